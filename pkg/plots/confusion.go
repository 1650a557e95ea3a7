package plots

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ConfusionTitle is the default title of ConfusionMatrix.
const ConfusionTitle = "confusion matrix"

// ConfusionMatrix draws a confusion matrix as a heat map with the count
// written in each cell: counts[i][j] is the number of samples of true class i
// predicted as class j (softmax.Model.ConfusionMatrix), true classes down the
// rows from 0 at the top, predicted classes across the columns. Cells are
// coloured with the Blues map from 0 (near white) to the largest count (dark
// blue); each count is written in black or white, whichever contrasts more
// with its cell (WCAG contrast ratio). The default size is 5.5 x 5 inches;
// the matrix area is kept square.
//
// ConfusionMatrix returns a nil Figure and an error if counts is empty or
// not square, a count is negative, or s is invalid.
func ConfusionMatrix(counts [][]int, s *Settings) (*Figure, error) {
	return newFigure(counts, s, confusionFigure)
}

// confusionGeom records where confusionFigure drew the cells, for the tests.
type confusionGeom struct {
	area      vg.Rectangle // the K x K cells
	textColor [][]color.Color
	fontSize  vg.Length
}

func confusionFigure(counts [][]int, s *Settings) (*drawing, *confusionGeom, error) {
	o, err := s.check()
	if err != nil {
		return nil, nil, err
	}
	k := len(counts)
	if k == 0 {
		return nil, nil, errors.New("plots: counts is empty")
	}
	hi := 0
	for i, row := range counts {
		if len(row) != k {
			return nil, nil, fmt.Errorf("plots: counts[%d] has %d entries, want %d (a square matrix)", i, len(row), k)
		}
		for j, v := range row {
			if v < 0 {
				return nil, nil, fmt.Errorf("plots: counts[%d][%d] is %d, want >= 0", i, j, v)
			}
			hi = max(hi, v)
		}
	}
	wd, ht := o.size(5.5*vg.Inch, 5*vg.Inch)
	f, err := o.newDrawing(wd, ht)
	if err != nil {
		return nil, nil, err
	}
	cm := newColorMap(Blues, 0, float64(max(hi, 1)))
	img := image.NewRGBA(image.Rect(0, 0, k, k))
	g := &confusionGeom{textColor: make([][]color.Color, k)}
	for i, row := range counts {
		g.textColor[i] = make([]color.Color, k)
		for j, v := range row {
			bg := cm.rgba(float64(v))
			img.SetRGBA(j, i, bg)
			g.textColor[i][j] = textColor(bg)
		}
	}

	p := newPlot(o.title(ConfusionTitle))
	p.X.Label.Text = "predicted label"
	p.Y.Label.Text = "true label"
	p.X.Padding, p.Y.Padding = 0, 0
	xt, yt := make([]plot.Tick, k), make([]plot.Tick, k)
	for i := range k {
		l := strconv.Itoa(i)
		xt[i] = plot.Tick{Value: float64(i), Label: l}
		yt[i] = plot.Tick{Value: float64(k - 1 - i), Label: l}
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	lo, top := -0.5, float64(k)-0.5
	p.Add(&imagePlotter{img: img, xmin: lo, xmax: top, ymin: lo, ymax: top})
	ct := &cellText{counts: counts, colors: g.textColor}
	p.Add(ct)

	// Shrink the canvas so that the data area is square.
	dc := f.Canvas
	dc.Min.X += 4
	dc.Max.X -= 8
	dc.Min.Y += 4
	dc.Max.Y -= 6
	da := p.DataCanvas(dc)
	dw, dh := da.Max.X-da.Min.X, da.Max.Y-da.Min.Y
	if dw > dh {
		d := (dw - dh) / 2
		dc.Min.X += d
		dc.Max.X -= d
	} else {
		d := (dh - dw) / 2
		dc.Min.Y += d
		dc.Max.Y -= d
	}
	p.Draw(dc)
	g.area = p.DataCanvas(dc).Rectangle
	drawFrame(dc, g.area)
	g.fontSize = ct.size
	return f, g, nil
}

// cellText is a plot.Plotter that writes the count of each cell of a
// confusion matrix at the cell's centre, in one font size that fits the
// widest count in a cell.
type cellText struct {
	counts [][]int
	colors [][]color.Color
	size   vg.Length // the size used by the last Plot
}

// Plot implements plot.Plotter.
func (ct *cellText) Plot(c draw.Canvas, p *plot.Plot) {
	k := len(ct.counts)
	trX, trY := p.Transforms(&c)
	cellW := trX(1) - trX(0)
	cellH := trY(1) - trY(0)
	sty := textStyle(labelSize)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	var widest vg.Length
	for _, row := range ct.counts {
		for _, v := range row {
			widest = max(widest, sty.Width(strconv.Itoa(v)))
		}
	}
	size := sty.Font.Size
	if widest > 0.85*cellW {
		size = size * 0.85 * cellW / widest
	}
	size = min(size, 0.6*cellH)
	sty.Font.Size = size
	ct.size = size
	for i, row := range ct.counts {
		for j, v := range row {
			sty.Color = ct.colors[i][j]
			c.FillText(sty, vg.Point{X: trX(float64(j)), Y: trY(float64(k - 1 - i))}, strconv.Itoa(v))
		}
	}
}
