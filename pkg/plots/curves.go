package plots

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Line colours: matplotlib's first two "tab10" colours.
var (
	blue   = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	orange = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
)

// Default titles of the curve figures.
const (
	LearningTitle = "accuracy against training-set size"
	TrainingTitle = "training curve"
	PathTitle     = "L1 regularisation path"
)

// LearningPoint is one training-set size of a learning curve with the
// accuracies of repeated runs (for example one per seed).
type LearningPoint struct {
	// Size is the number of training samples, > 0.
	Size int
	// Test holds the test accuracy of each run, in [0, 1]; it must not be
	// empty.
	Test []float64
	// Train holds the training accuracy of each run, in [0, 1]. It is
	// optional: either every point has Train or none has.
	Train []float64
}

// LearningCurve draws accuracy against training-set size on a log x axis:
// the mean test accuracy over the runs of each point with error bars of one
// standard deviation (sample standard deviation, n-1; none for a single run),
// and the training accuracy the same way if it is given, with a legend. Points
// are drawn in order of Size. The default size is 6 x 4 inches.
//
// LearningCurve returns a nil Figure and an error if pts is empty, a Size is
// not positive or repeats, a Test is empty, some points have Train and others
// not, an accuracy is NaN or outside [0, 1], or s is invalid.
func LearningCurve(pts []LearningPoint, s *Settings) (*Figure, error) {
	return newFigure(pts, s, learningFigure)
}

func learningFigure(pts []LearningPoint, s *Settings) (*drawing, *curveGeom, error) {
	o, err := s.check()
	if err != nil {
		return nil, nil, err
	}
	if len(pts) == 0 {
		return nil, nil, errors.New("plots: pts is empty")
	}
	pts = slices.Clone(pts)
	slices.SortStableFunc(pts, func(a, b LearningPoint) int { return a.Size - b.Size })
	withTrain := len(pts[0].Train) > 0
	for i, pt := range pts {
		switch {
		case pt.Size <= 0:
			return nil, nil, fmt.Errorf("plots: pts has Size %d, want > 0", pt.Size)
		case i > 0 && pt.Size == pts[i-1].Size:
			return nil, nil, fmt.Errorf("plots: pts has Size %d twice", pt.Size)
		case len(pt.Test) == 0:
			return nil, nil, fmt.Errorf("plots: pts with Size %d has no Test accuracy", pt.Size)
		case (len(pt.Train) > 0) != withTrain:
			return nil, nil, fmt.Errorf("plots: pts with Size %d and %d differ in having Train accuracies", pts[0].Size, pt.Size)
		}
		for _, a := range [][]float64{pt.Test, pt.Train} {
			if err := checkFractions(a, fmt.Sprintf("pts with Size %d", pt.Size)); err != nil {
				return nil, nil, err
			}
		}
	}

	p := newPlot(o.title(LearningTitle))
	p.X.Label.Text = "training-set size"
	p.Y.Label.Text = "accuracy"
	p.X.Tick.Marker = logTicks{}
	// Bottom right: below the training curve, right of the rising test curve.
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.XOffs, p.Legend.YOffs = -6, 6
	p.Add(plotter.NewGrid())
	add := func(name string, col color.Color, acc func(LearningPoint) []float64) error {
		xys := make(plotter.XYs, len(pts))
		errs := make(plotter.YErrors, len(pts))
		for i, pt := range pts {
			m, sd := meanStd(acc(pt))
			xys[i] = plotter.XY{X: math.Log10(float64(pt.Size)), Y: m}
			errs[i] = struct{ Low, High float64 }{sd, sd}
		}
		ln, sc, err := plotter.NewLinePoints(xys)
		if err != nil {
			return err
		}
		ln.Color, ln.Width = col, 1.5
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = col, draw.CircleGlyph{}, 2.5
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xys, errs})
		if err != nil {
			return err
		}
		eb.LineStyle.Color, eb.LineStyle.Width, eb.CapWidth = col, 1, 6
		p.Add(eb, ln, sc)
		p.Legend.Add(name, ln, sc)
		return nil
	}
	if err := add("test", blue, func(pt LearningPoint) []float64 { return pt.Test }); err != nil {
		return nil, nil, fmt.Errorf("plots: %w", err)
	}
	if withTrain {
		if err := add("train", orange, func(pt LearningPoint) []float64 { return pt.Train }); err != nil {
			return nil, nil, fmt.Errorf("plots: %w", err)
		}
	}
	padLog(p, float64(pts[0].Size), float64(pts[len(pts)-1].Size))
	padY(p)
	return drawPlots(o, 6*vg.Inch, 4*vg.Inch, p)
}

// History is the record of a training run, one entry per epoch or
// iteration, as the model's progress hook reports it.
type History struct {
	// Iter holds the x values (epoch or iteration numbers). If Iter is nil,
	// 1, 2, ..., len(Loss) are used.
	Iter []int
	// Loss holds the objective (or loss) value of each entry; it must not
	// be empty.
	Loss []float64
	// Accuracy optionally holds an accuracy in [0, 1] for each entry; if it
	// is not nil it has the length of Loss and is drawn in a second panel
	// under the loss.
	Accuracy []float64
	// XLabel labels the x axis; if it is "", "epoch" is used.
	XLabel string
}

// TrainingCurve draws the loss of a training run against the epoch or
// iteration, and the accuracy in a second panel with the same x axis if
// h.Accuracy is given. The default size is 6 x 3.5 inches, or 6 x 5.5 with
// the accuracy panel.
//
// TrainingCurve returns a nil Figure and an error if h.Loss is empty, h.Iter
// or h.Accuracy is not nil and has another length than h.Loss, a loss is NaN
// or infinite, an accuracy is NaN or outside [0, 1], or s is invalid.
func TrainingCurve(h History, s *Settings) (*Figure, error) {
	return newFigure(h, s, trainingFigure)
}

func trainingFigure(h History, s *Settings) (*drawing, *curveGeom, error) {
	o, err := s.check()
	if err != nil {
		return nil, nil, err
	}
	n := len(h.Loss)
	switch {
	case n == 0:
		return nil, nil, errors.New("plots: History.Loss is empty")
	case h.Iter != nil && len(h.Iter) != n:
		return nil, nil, fmt.Errorf("plots: History.Iter has %d entries, History.Loss %d", len(h.Iter), n)
	case h.Accuracy != nil && len(h.Accuracy) != n:
		return nil, nil, fmt.Errorf("plots: History.Accuracy has %d entries, History.Loss %d", len(h.Accuracy), n)
	}
	for i, v := range h.Loss {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("plots: History.Loss[%d] is %v", i, v)
		}
	}
	if err := checkFractions(h.Accuracy, "History.Accuracy"); err != nil {
		return nil, nil, err
	}
	x := func(i int) float64 {
		if h.Iter == nil {
			return float64(i + 1)
		}
		return float64(h.Iter[i])
	}
	xl := h.XLabel
	if xl == "" {
		xl = "epoch"
	}
	line := func(p *plot.Plot, ys []float64, col color.Color) error {
		xys := make(plotter.XYs, n)
		for i, y := range ys {
			xys[i] = plotter.XY{X: x(i), Y: y}
		}
		ln, sc, err := plotter.NewLinePoints(xys)
		if err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		ln.Color, ln.Width = col, 1.5
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = col, draw.CircleGlyph{}, 2
		if n > 60 {
			sc.GlyphStyle.Radius = 0
		}
		p.Add(plotter.NewGrid(), ln, sc)
		padY(p)
		// Keep the first and last points off the axes.
		d := 0.02 * (p.X.Max - p.X.Min)
		p.X.Min, p.X.Max = p.X.Min-d, p.X.Max+d
		return nil
	}
	p := newPlot(o.title(TrainingTitle))
	p.Y.Label.Text = "loss"
	p.X.Label.Text = xl
	p.X.Tick.Marker = intTicks{}
	if err := line(p, h.Loss, blue); err != nil {
		return nil, nil, err
	}
	if h.Accuracy == nil {
		return drawPlots(o, 6*vg.Inch, 3.5*vg.Inch, p)
	}
	q := newPlot("")
	q.Y.Label.Text = "accuracy"
	q.X.Label.Text = xl
	q.X.Tick.Marker = intTicks{}
	if err := line(q, h.Accuracy, orange); err != nil {
		return nil, nil, err
	}
	p.X.Label.Text = ""
	shareX(p, q)
	return drawPlots(o, 6*vg.Inch, 5.5*vg.Inch, p, q)
}

// PathPoint is one value of C on an L1 regularisation path.
type PathPoint struct {
	// C is the inverse regularisation strength, > 0.
	C float64
	// Accuracy is the test accuracy, in [0, 1].
	Accuracy float64
	// Sparsity is the percentage of weights that are exactly zero, in
	// [0, 100] (softmax.Model.Sparsity).
	Sparsity float64
}

// RegularizationPath draws test accuracy (top panel) and sparsity in percent
// (bottom panel) against C on a shared log x axis: the picture of exercise 1,
// where a smaller C (stronger L1 penalty) gives sparser weights. Points are
// drawn in order of C. The default size is 6 x 5.5 inches.
//
// RegularizationPath returns a nil Figure and an error if pts is empty, a C is
// not positive and finite or repeats, an Accuracy is NaN or outside [0, 1], a
// Sparsity is NaN or outside [0, 100], or s is invalid.
func RegularizationPath(pts []PathPoint, s *Settings) (*Figure, error) {
	return newFigure(pts, s, pathFigure)
}

func pathFigure(pts []PathPoint, s *Settings) (*drawing, *curveGeom, error) {
	o, err := s.check()
	if err != nil {
		return nil, nil, err
	}
	if len(pts) == 0 {
		return nil, nil, errors.New("plots: pts is empty")
	}
	pts = slices.Clone(pts)
	for i, pt := range pts {
		switch {
		case !(pt.C > 0) || math.IsInf(pt.C, 0):
			return nil, nil, fmt.Errorf("plots: pts[%d].C is %v, want a finite C > 0", i, pt.C)
		case math.IsNaN(pt.Accuracy) || pt.Accuracy < 0 || pt.Accuracy > 1:
			return nil, nil, fmt.Errorf("plots: pts[%d].Accuracy is %v, want a value in [0, 1]", i, pt.Accuracy)
		case math.IsNaN(pt.Sparsity) || pt.Sparsity < 0 || pt.Sparsity > 100:
			return nil, nil, fmt.Errorf("plots: pts[%d].Sparsity is %v, want a percentage in [0, 100]", i, pt.Sparsity)
		}
	}
	slices.SortStableFunc(pts, func(a, b PathPoint) int { return cmp.Compare(a.C, b.C) })
	for i := 1; i < len(pts); i++ {
		if pts[i].C == pts[i-1].C {
			return nil, nil, fmt.Errorf("plots: pts has C %v twice", pts[i].C)
		}
	}
	panel := func(title, ylabel string, col color.Color, y func(PathPoint) float64) (*plot.Plot, error) {
		p := newPlot(title)
		p.Y.Label.Text = ylabel
		p.X.Tick.Marker = logTicks{}
		xys := make(plotter.XYs, len(pts))
		for i, pt := range pts {
			xys[i] = plotter.XY{X: math.Log10(pt.C), Y: y(pt)}
		}
		ln, sc, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: %w", err)
		}
		ln.Color, ln.Width = col, 1.5
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = col, draw.CircleGlyph{}, 2.5
		p.Add(plotter.NewGrid(), ln, sc)
		padLog(p, pts[0].C, pts[len(pts)-1].C)
		padY(p)
		return p, nil
	}
	p, err := panel(o.title(PathTitle), "test accuracy", blue, func(pt PathPoint) float64 { return pt.Accuracy })
	if err != nil {
		return nil, nil, err
	}
	q, err := panel("", "sparsity (% zero weights)", orange, func(pt PathPoint) float64 { return pt.Sparsity })
	if err != nil {
		return nil, nil, err
	}
	q.X.Label.Text = "C (inverse regularisation strength)"
	shareX(p, q)
	return drawPlots(o, 6*vg.Inch, 5.5*vg.Inch, p, q)
}

// meanStd returns the mean and the sample standard deviation (n-1) of a, and
// 0 for the deviation of a single value.
func meanStd(a []float64) (mean, sd float64) {
	mean = stat.Mean(a, nil)
	if len(a) > 1 {
		sd = stat.StdDev(a, nil)
	}
	return mean, sd
}

// checkFractions checks that every value of a is in [0, 1].
func checkFractions(a []float64, name string) error {
	for i, v := range a {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return fmt.Errorf("plots: %s: accuracy[%d] is %v, want a value in [0, 1]", name, i, v)
		}
	}
	return nil
}

// padLog sets the x range of p, whose x data are log10 of [lo, hi], a little
// wider than the data so that the end points and their error bars are not
// on the frame; a single point gets a decade around it.
func padLog(p *plot.Plot, lo, hi float64) {
	a, b := math.Log10(lo), math.Log10(hi)
	d := 0.05 * (b - a)
	if a == b {
		d = 0.5
	}
	p.X.Min, p.X.Max = a-d, b+d
}

// padY widens the y range of p by 4% on each side so that error-bar caps
// and glyphs do not touch the frame.
func padY(p *plot.Plot) {
	d := 0.04 * (p.Y.Max - p.Y.Min)
	p.Y.Min -= d
	p.Y.Max += d
}

// shareX gives the stacked plots the union of their x ranges.
func shareX(ps ...*plot.Plot) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		lo, hi = math.Min(lo, p.X.Min), math.Max(hi, p.X.Max)
	}
	for _, p := range ps {
		p.X.Min, p.X.Max = lo, hi
	}
}

// curveGeom records the plots of a curve figure and the canvases they were
// drawn on, for the tests.
type curveGeom struct {
	plots    []*plot.Plot
	canvases []draw.Canvas
}

// drawPlots draws ps stacked vertically, aligned, on a new figure of the
// default size defW x defH.
func drawPlots(o settings, defW, defH vg.Length, ps ...*plot.Plot) (*drawing, *curveGeom, error) {
	wd, ht := o.size(defW, defH)
	f, err := o.newDrawing(wd, ht)
	if err != nil {
		return nil, nil, err
	}
	g := &curveGeom{plots: ps}
	dc := f.Canvas
	// Leave a small margin so that the outermost tick labels are not cut.
	dc.Min.X += 4
	dc.Max.X -= 8
	dc.Min.Y += 4
	dc.Max.Y -= 4
	if len(ps) == 1 {
		ps[0].Draw(dc)
		g.canvases = []draw.Canvas{dc}
		return f, g, nil
	}
	grid := make([][]*plot.Plot, len(ps))
	for i, p := range ps {
		grid[i] = []*plot.Plot{p}
	}
	cs := plot.Align(grid, draw.Tiles{Rows: len(ps), Cols: 1, PadY: 10}, dc)
	for i, p := range ps {
		p.Draw(cs[i][0])
		g.canvases = append(g.canvases, cs[i][0])
	}
	return f, g, nil
}
