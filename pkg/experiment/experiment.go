package experiment

import (
	"fmt"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/preprocess"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// Default sizes of the original notebook's split.
const (
	DefaultTrainSize = 50000
	DefaultTestSize  = 10000
)

// Settings configures Prepare. The zero value is the original notebook's
// data preparation with the port's documented split seed.
type Settings struct {
	// TrainSize and TestSize are the numbers of training and test images.
	// Zero means DefaultTrainSize and DefaultTestSize. Their sum must not
	// exceed the 70000 images.
	TrainSize, TestSize int

	// ShuffleSeed seeds numpy's RandomState for the shuffle; the original
	// uses 0, the zero value.
	ShuffleSeed uint32

	// SplitSeed seeds the split (scikit-learn's random_state). The zero
	// value is the port's documented seed, preprocess.SplitSeed.
	SplitSeed uint32

	// MNIST selects the data source; nil means mnist.Load's default order.
	MNIST *mnist.Options
}

// Split is MNIST shuffled, split and with a scaler fitted on the training
// images.
type Split struct {
	// Train and Test hold the images and labels of the two halves, in
	// the order of the shuffled data set.
	Train, Test *mnist.Set

	// TrainRows and TestRows are the rows of the full data set (the
	// order of mnist.Load, that is OpenML's) that Train and Test hold:
	// Train.Image(i) is image TrainRows[i] of mnist.Load.
	TrainRows, TestRows []int

	// Permutation is the shuffle, numpy's
	// RandomState(ShuffleSeed).permutation(70000).
	Permutation []int

	// Scaler is fitted on Train's images.
	Scaler preprocess.StandardScaler

	// origin is set by Load and Subsample, for the cache keys of Fit.
	origin *origin
}

// Prepare loads MNIST with s.MNIST and returns it shuffled, split and
// scaled as described by s; a nil s means the zero Settings. It returns the
// loader's error, or an error naming the sizes when they do not fit.
func Prepare(s *Settings) (*Split, error) {
	if s == nil {
		s = &Settings{}
	}
	all, err := mnist.Load(s.MNIST)
	if err != nil {
		return nil, err
	}
	return PrepareSet(all, s)
}

// PrepareSet is Prepare on a data set that is already loaded, usually all
// 70000 images of mnist.Load; all is not modified. A nil s means the zero
// Settings. It returns an error naming the sizes if s.TrainSize or
// s.TestSize is negative or the two do not fit in all.
func PrepareSet(all *mnist.Set, s *Settings) (*Split, error) {
	if s == nil {
		s = &Settings{}
	}
	d := s.withDefaults()
	trainSize, testSize := d.TrainSize, d.TestSize
	n := all.Len()
	if trainSize < 0 || testSize < 0 {
		return nil, fmt.Errorf("experiment: TrainSize=%d and TestSize=%d must not be negative", s.TrainSize, s.TestSize)
	}
	perm := preprocess.NewRandomState(s.ShuffleSeed).Permutation(n)
	train, test, err := preprocess.TrainTestSplit(n, trainSize, testSize, s.SplitSeed)
	if err != nil {
		return nil, fmt.Errorf("experiment: %d images: %w", n, err)
	}
	// The split picks positions in the shuffled order; map them back to
	// rows of all.
	for i, p := range train {
		train[i] = perm[p]
	}
	for i, p := range test {
		test[i] = perm[p]
	}
	sp := &Split{
		Train:       all.Subset(train),
		Test:        all.Subset(test),
		TrainRows:   train,
		TestRows:    test,
		Permutation: perm,
	}
	sp.Scaler.FitPixels(sp.Train.Images, mnist.Pixels)
	return sp, nil
}

// Data returns the images of set, standardised with the training scaler,
// as model input. The standardised matrix is never stored (see
// softmax.Pixels).
func (sp *Split) Data(set *mnist.Set) softmax.Data {
	return softmax.Pixels(set.Images, mnist.Pixels, sp.Scaler.Mean, sp.Scaler.Scale)
}

// TrainData returns the standardised training images as model input.
func (sp *Split) TrainData() softmax.Data { return sp.Data(sp.Train) }

// TestData returns the standardised test images as model input.
func (sp *Split) TestData() softmax.Data { return sp.Data(sp.Test) }

// Subsample returns a Split whose training set is size images of sp.Train
// drawn without replacement, the first size of numpy's
// RandomState(seed).permutation(sp.Train.Len()), with a scaler refitted on
// them; the test set is sp.Test. It is how the learning curve and the L1
// path train on fewer images while testing on the same ones. The models
// that Fit fits on a subsample of a split made by Load are cached, keyed
// with size and seed. It returns an error if size is not in
// [1, sp.Train.Len()].
func (sp *Split) Subsample(size int, seed uint32) (*Split, error) {
	if size < 1 || size > sp.Train.Len() {
		return nil, fmt.Errorf("experiment: subsample size %d not in [1, %d]", size, sp.Train.Len())
	}
	pick := preprocess.NewRandomState(seed).Permutation(sp.Train.Len())[:size]
	rows := make([]int, size)
	for i, p := range pick {
		rows[i] = sp.TrainRows[p]
	}
	sub := &Split{
		Train:       sp.Train.Subset(pick),
		Test:        sp.Test,
		TrainRows:   rows,
		TestRows:    sp.TestRows,
		Permutation: sp.Permutation,
		origin:      sp.origin.subsampled(size, seed),
	}
	sub.Scaler.FitPixels(sub.Train.Images, mnist.Pixels)
	return sub, nil
}
