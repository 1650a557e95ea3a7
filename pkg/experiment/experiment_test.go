package experiment

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// synthetic returns n images whose pixels encode their row, so a test can
// tell which row an image came from.
func synthetic(n int) *mnist.Set {
	s := &mnist.Set{Images: make([]uint8, n*mnist.Pixels), Labels: make([]uint8, n)}
	for i := 0; i < n; i++ {
		img := s.Image(i)
		img[0], img[1] = uint8(i), uint8(i>>8)
		img[100] = uint8(i % 7)
		s.Labels[i] = uint8(i % mnist.Classes)
	}
	return s
}

func TestPrepareSetRows(t *testing.T) {
	all := synthetic(300)
	sp, err := PrepareSet(all, &Settings{TrainSize: 200, TestSize: 50, SplitSeed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Train.Len() != 200 || sp.Test.Len() != 50 {
		t.Fatalf("sizes %d, %d, want 200, 50", sp.Train.Len(), sp.Test.Len())
	}
	seen := make(map[int]bool)
	for _, c := range []struct {
		set  *mnist.Set
		rows []int
	}{{sp.Train, sp.TrainRows}, {sp.Test, sp.TestRows}} {
		for i, r := range c.rows {
			if !slices.Equal(c.set.Image(i), all.Image(r)) || c.set.Labels[i] != all.Labels[r] {
				t.Fatalf("image %d is not row %d of the data set", i, r)
			}
			if seen[r] {
				t.Fatalf("row %d selected twice", r)
			}
			seen[r] = true
		}
	}
	// The scaler is fitted on the training rows only.
	var sum float64
	for _, r := range sp.TrainRows {
		sum += float64(r % 7)
	}
	if got, want := sp.Scaler.Mean[100], sum/200; got != want {
		t.Errorf("Scaler.Mean[100] = %v, want the training mean %v", got, want)
	}
	if sp.Scaler.Scale[500] != 1 {
		t.Errorf("constant pixel has scale %v, want 1", sp.Scaler.Scale[500])
	}
	if n, d := sp.TestData().Dims(); n != 50 || d != mnist.Pixels {
		t.Errorf("TestData dims %d x %d, want 50 x %d", n, d, mnist.Pixels)
	}
}

func TestSubsample(t *testing.T) {
	all := synthetic(300)
	sp, err := PrepareSet(all, &Settings{TrainSize: 200, TestSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := sp.Subsample(20, 3)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Train.Len() != 20 || sub.Test != sp.Test {
		t.Fatalf("subsample has %d training images and another test set", sub.Train.Len())
	}
	var sum float64
	for i, r := range sub.TrainRows {
		if !slices.Equal(sub.Train.Image(i), all.Image(r)) || !slices.Contains(sp.TrainRows, r) {
			t.Fatalf("subsample image %d is not training row %d", i, r)
		}
		sum += float64(r % 7)
	}
	if got, want := sub.Scaler.Mean[100], sum/20; got != want {
		t.Errorf("subsample Scaler.Mean[100] = %v, want its own training mean %v", got, want)
	}
	for _, size := range []int{0, 201} {
		if _, err := sp.Subsample(size, 0); err == nil {
			t.Errorf("Subsample(%d) succeeded, want an error", size)
		}
	}
}

func TestPrepareSetErrors(t *testing.T) {
	all := synthetic(100)
	for _, s := range []*Settings{
		{TrainSize: 80, TestSize: 30},
		{TrainSize: -1, TestSize: 10},
		{}, // the defaults need 60000 images
	} {
		_, err := PrepareSet(all, s)
		if err == nil || !strings.HasPrefix(err.Error(), "experiment: ") {
			t.Errorf("PrepareSet(%+v) error = %v, want an experiment error", *s, err)
		}
	}
}

func TestPrepareLoaderError(t *testing.T) {
	_, err := Prepare(&Settings{MNIST: &mnist.Options{Source: mnist.Dir, Dir: t.TempDir()}})
	if !errors.Is(err, mnist.ErrNotFound) {
		t.Errorf("Prepare on an empty directory: %v, want mnist.ErrNotFound", err)
	}
}

// TestPrepareMatchesScikitLearn checks the rows against scikit-learn 1.2.1
// and numpy 1.24.2 (Debian's python3-sklearn):
//
//	idx = np.arange(70000)[check_random_state(0).permutation(70000)]
//	tr, te = train_test_split(idx, train_size=50000, test_size=10000, random_state=0)
//	tr, te = train_test_split(idx, train_size=1000, test_size=500, random_state=7)
func TestPrepareMatchesScikitLearn(t *testing.T) {
	all := mnisttest.Set(t)
	for _, c := range []struct {
		s                    Settings
		trainHead, trainTail []int
		testHead, testTail   []int
	}{
		{
			s:         Settings{},
			trainHead: []int{46212, 12960, 55117, 6067, 58850}, trainTail: []int{47304, 54508, 51322, 9493, 7968},
			testHead: []int{21711, 29032, 26384, 46514, 53297}, testTail: []int{51690, 64090, 55581, 49556, 5078},
		},
		{
			s:         Settings{TrainSize: 1000, TestSize: 500, SplitSeed: 7},
			trainHead: []int{3884, 53247, 54600, 23659, 29061}, trainTail: []int{63862, 65553, 589, 23129, 19378},
			testHead: []int{7009, 13730, 19585, 67847, 1626}, testTail: []int{23397, 64792, 11273, 38267, 18151},
		},
	} {
		sp, err := PrepareSet(all, &c.s)
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string, rows, head, tail []int) {
			if got := rows[:5]; !slices.Equal(got, head) {
				t.Errorf("%+v: %s rows start %v, want %v", c.s, name, got, head)
			}
			if got := rows[len(rows)-5:]; !slices.Equal(got, tail) {
				t.Errorf("%+v: %s rows end %v, want %v", c.s, name, got, tail)
			}
		}
		check("train", sp.TrainRows, c.trainHead, c.trainTail)
		check("test", sp.TestRows, c.testHead, c.testTail)
	}
}
