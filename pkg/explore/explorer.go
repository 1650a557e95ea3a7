package explore

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/plots"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// explorer fits the choices of the regularisation panel and keeps the path
// of the settings tried: for each penalty and training-set size, the last
// test accuracy and sparsity at each value of C. It is used by one
// goroutine at a time.
type explorer struct {
	sets  map[int]*experiment.Split // by training-set size
	paths map[pathKey]map[int]plots.PathPoint
	fits  int // completed fits
}

// pathKey names one path: a penalty and a training-set size.
type pathKey struct {
	penalty softmax.Penalty
	size    int
}

// fitResult is one completed fit of the explorer, drawn.
type fitResult struct {
	Seq      int
	Choice   Choice
	Sparsity float64 // percent of weights exactly zero
	Accuracy float64 // on the 10000 test images
	Epochs   int
	Fit      time.Duration // softmax.Fit alone
	Weights  []byte        // PNG: plots.Weights
	Path     []byte        // PNG: plots.RegularizationPath of the choice's path, nil for one point
	Points   int           // points on that path
}

// newExplorer prepares the training sets of Sizes from sp: sp itself for
// its full size, else sp.Subsample(size, 0) (each with its own scaler, the
// test images of sp). It returns an error if sp has fewer training images
// than a size.
func newExplorer(sp *experiment.Split) (*explorer, error) {
	e := &explorer{sets: make(map[int]*experiment.Split), paths: make(map[pathKey]map[int]plots.PathPoint)}
	for _, n := range Sizes {
		if n == sp.Train.Len() {
			e.sets[n] = sp
			continue
		}
		sub, err := sp.Subsample(n, 0)
		if err != nil {
			return nil, fmt.Errorf("explore: %d training images: %w", n, err)
		}
		e.sets[n] = sub
	}
	return e, nil
}

// fit fits ch, measures it, adds it to its path and draws the weights and
// the path. It returns ErrSuperseded if ctx ended or stop returned true
// after an epoch (see fitUnless); progress, if not nil, is called after
// every epoch.
func (e *explorer) fit(ctx context.Context, ch Choice, stop func() bool, progress func(softmax.Progress)) (*fitResult, error) {
	if err := ch.Validate(); err != nil {
		return nil, err
	}
	sp := e.sets[ch.Size]
	s := ch.Settings()
	s.Progress = progress
	t0 := time.Now()
	m, err := fitUnless(ctx, sp.TrainData(), sp.Train.Ints(), s, stop)
	if err != nil {
		return nil, err
	}
	r := &fitResult{Choice: ch, Sparsity: m.Sparsity(), Epochs: m.NIter, Fit: time.Since(t0)}

	// The test score and the weights figure take about as long: in parallel.
	var wg sync.WaitGroup
	var werr error
	wg.Go(func() { r.Accuracy = m.Score(sp.TestData(), sp.Test.Ints()) })
	wg.Go(func() { r.Weights, werr = weightsPNG(m, ch) })
	wg.Wait()
	if werr != nil {
		return nil, werr
	}

	key := pathKey{ch.Penalty, ch.Size}
	if e.paths[key] == nil {
		e.paths[key] = make(map[int]plots.PathPoint)
	}
	e.paths[key][int(math.Round(ch.LogC/LogCStep))] = plots.PathPoint{C: ch.C(), Accuracy: r.Accuracy, Sparsity: r.Sparsity}
	e.fits++
	pts := e.path(key)
	r.Points = len(pts)
	if r.Points > 1 {
		r.Path, err = pathPNG(pts, key)
	}
	return r, err
}

// path returns the points of one path in increasing C.
func (e *explorer) path(k pathKey) []plots.PathPoint {
	steps := slices.Sorted(maps.Keys(e.paths[k]))
	pts := make([]plots.PathPoint, len(steps))
	for i, s := range steps {
		pts[i] = e.paths[k][s]
	}
	return pts
}

// weightsPNG draws the weights of m with a colour bar, which shows the
// scale shrink as C falls: the original's Greys for L2, RdBu for L1, where
// exact zeros are white and so stand out.
func weightsPNG(m *softmax.Model, ch Choice) ([]byte, error) {
	s := &plots.Settings{Title: "weights, " + ch.String(), ColorBar: plots.ColorBarOn}
	if ch.Penalty == softmax.L1 {
		s.ColorMap = plots.RdBu
	}
	return encode(plots.Weights(m.Coef, s))
}

// pathPNG draws the path of the settings tried for one penalty and size.
func pathPNG(pts []plots.PathPoint, k pathKey) ([]byte, error) {
	return encode(plots.RegularizationPath(pts, &plots.Settings{
		Width: 4.2 * vg.Inch, Height: 4 * vg.Inch,
		Title: fmt.Sprintf("%s, %d images: the C tried", penaltyName(k.penalty), k.size),
	}))
}

// encode returns the bytes of a figure.
func encode(f *plots.Figure, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	_, err = f.WriteTo(&b)
	return b.Bytes(), err
}
