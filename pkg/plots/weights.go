package plots

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WeightsTitle is the default title of Weights, the original's suptitle.
const WeightsTitle = "classification weights vector $w_j$ for digit class $j$"

// Weights draws the weight vectors of a linear classifier on 28x28 images
// as a grid of images, one panel per class with "Class i" under it and the
// title WeightsTitle above, as the second cell of the original notebook.
//
// coef is K x 784: row i holds the weights of class i, pixels in row-major
// order (for example softmax.Model.Coef). All panels share the symmetric
// colour scale [-max|w|, +max|w|], so zero weights have the map's middle
// colour (mid grey in Greys, near white in RdBu); if every weight is zero the
// scale is [-1, 1].
//
// The figure uses s.ColorMap (Greys by default: -scale white, +scale black),
// s.ColorBar, s.Columns (5 by default, so ten classes give the original's 2x5
// grid) and s.Title. The default size is 9 x 4.5 inches, plus 0.7 inch of
// width for the colour bar, at 96 dpi: 864 x 432 pixels without a bar.
//
// Weights returns a nil Figure and an error if coef is nil or has no rows,
// does not have 784 columns, holds a NaN or an infinity, or s is invalid.
func Weights(coef mat.Matrix, s *Settings) (*Figure, error) {
	return newFigure(coef, s, weightsFigure)
}

// weightsGeom records where weightsFigure drew things, for the tests.
type weightsGeom struct {
	panels []vg.Rectangle // image of class i
	bar    vg.Rectangle   // colour bar, empty if none
	scale  float64        // the colour scale is [-scale, scale]
	ticks  []plot.Tick    // colour bar ticks
}

func weightsFigure(coef mat.Matrix, s *Settings) (*drawing, *weightsGeom, error) {
	o, err := s.check()
	if err != nil {
		return nil, nil, err
	}
	vals, k, scale, err := weightValues(coef)
	if err != nil {
		return nil, nil, err
	}
	const d = Side * Side
	rows, cols := o.grid(k)
	bar := o.ColorBar == ColorBarOn || (o.ColorBar == ColorBarAuto && o.ColorMap != Greys)

	defW, defH := 9*vg.Inch, 4.5*vg.Inch
	// Keep the default panels the size of the 2x5 grid's for other shapes.
	defW = defW * vg.Length(cols) / 5
	defH = defH * vg.Length(rows) / 2
	if bar {
		defW += 0.7 * vg.Inch
	}
	wd, ht := o.size(defW, defH)
	f, err := o.newDrawing(wd, ht)
	if err != nil {
		return nil, nil, err
	}
	cm := newColorMap(o.ColorMap, -scale, scale)
	g := &weightsGeom{scale: scale}

	const pad = 6
	c := f.Canvas
	top := drawTitle(c, o.title(WeightsTitle), c.Max.Y-pad)

	ls := textStyle(labelSize)
	ls.XAlign, ls.YAlign = draw.XCenter, draw.YTop
	labelH := ls.Height("Class 0") + 3

	right := c.Max.X - pad
	var tickStyle draw.TextStyle
	if bar {
		tickStyle = textStyle(tickSize)
		tickStyle.YAlign = draw.YCenter
		g.ticks = majorTicks(-scale, scale)
		var tw vg.Length
		for _, t := range g.ticks {
			tw = max(tw, tickStyle.Width(t.Label))
		}
		right -= 12 + 12 + 4 + tw
	}
	grid := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Min.X + pad, Y: c.Min.Y + pad},
		Max: vg.Point{X: right, Y: top},
	}}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 12, PadY: 10}
	for i := range k {
		img := valuesImage(vals[i*d:(i+1)*d], Side, Side, cm)
		r := drawPanel(c, tiles.At(grid, i%cols, i/cols).Rectangle, labelH, img, fmt.Sprintf("Class %d", i), ls)
		g.panels = append(g.panels, r)
	}

	if bar {
		first, last := g.panels[0], g.panels[(rows-1)*cols]
		br := vg.Rectangle{
			Min: vg.Point{X: right + 12, Y: last.Min.Y},
			Max: vg.Point{X: right + 24, Y: first.Max.Y},
		}
		g.bar = drawColorBar(c, br, cm, g.ticks, tickStyle)
	}
	return f, g, nil
}

// weightValues returns the k rows of coef (k x Side*Side) flattened row
// by row, and the scale of the symmetric colour map, max|coef| (1 when
// coef is all zeros). It returns an error if coef is nil, has no rows or
// another number of columns, or holds a NaN or an infinity.
func weightValues(coef mat.Matrix) (vals []float64, k int, scale float64, err error) {
	if coef == nil {
		return nil, 0, 0, errors.New("plots: coef is nil")
	}
	k, d := coef.Dims()
	switch {
	case k == 0:
		return nil, 0, 0, errors.New("plots: coef has no rows")
	case d != Side*Side:
		return nil, 0, 0, fmt.Errorf("plots: coef has %d columns, want %d (%dx%d images)", d, Side*Side, Side, Side)
	}
	vals = make([]float64, k*d)
	for i := range k {
		for j := range d {
			v := coef.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, 0, 0, fmt.Errorf("plots: coef[%d][%d] is %v", i, j, v)
			}
			vals[i*d+j] = v
			scale = math.Max(scale, math.Abs(v))
		}
	}
	if scale == 0 {
		scale = 1
	}
	return vals, k, scale, nil
}

// majorTicks returns the labelled ticks of niceTicks on [lo, hi].
func majorTicks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, t := range (niceTicks{}).Ticks(lo, hi) {
		if t.Label != "" {
			ts = append(ts, t)
		}
	}
	return ts
}

// drawColorBar draws a vertical colour bar of cm in r (snapped to device
// pixels on raster canvases) with ticks and labels on its right and returns
// the rectangle used.
func drawColorBar(c draw.Canvas, r vg.Rectangle, cm *colorMap, ticks []plot.Tick, sty draw.TextStyle) vg.Rectangle {
	// Highest value at the top, each image row the colour of the value at
	// its centre, so the ends show the first and last colours of the map.
	var rows, cols int
	if dpi, raster := dpiOf(c); raster {
		// One column, one image pixel per device pixel.
		snap := func(l vg.Length) vg.Length {
			return vg.Length(math.Round(l.Dots(dpi)) / dpi * vg.Inch.Points())
		}
		r.Min.X, r.Min.Y, r.Max.X, r.Max.Y = snap(r.Min.X), snap(r.Min.Y), snap(r.Max.X), snap(r.Max.Y)
		rows, cols = max(1, int(math.Round((r.Max.Y-r.Min.Y).Dots(dpi)))), 1
	} else {
		// 1024 rows and the aspect ratio of the bar, which is narrowed to
		// match it exactly: SVG viewers keep an image's aspect ratio
		// inside its box (gonum's <image> has the default
		// preserveAspectRatio), so a one-pixel-wide column would be drawn
		// as a thin line in the middle of the bar.
		rows = 1024
		h := r.Max.Y - r.Min.Y
		cols = max(1, int(math.Round(float64((r.Max.X-r.Min.X)/h)*float64(rows))))
		r.Max.X = r.Min.X + h*vg.Length(cols)/vg.Length(rows)
	}
	img := image.NewRGBA(image.Rect(0, 0, cols, rows))
	for y := range rows {
		v := cm.max - (float64(y)+0.5)/float64(rows)*(cm.max-cm.min)
		for x := range cols {
			img.SetRGBA(x, y, cm.rgba(v))
		}
	}
	c.DrawImage(r, img)
	drawFrame(c, r)
	for _, t := range ticks {
		y := r.Min.Y + (r.Max.Y-r.Min.Y)*vg.Length((t.Value-cm.min)/(cm.max-cm.min))
		c.StrokeLine2(draw.LineStyle{Color: color.Black, Width: 0.8}, r.Max.X, y, r.Max.X+3.5, y)
		c.FillText(sty, vg.Point{X: r.Max.X + 5, Y: y}, t.Label)
	}
	return r
}
