package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Digit is one image of a digit grid and its caption. Exactly one of Pixels
// and Values holds the 28x28 image, row-major.
type Digit struct {
	// Pixels holds the image as MNIST stores it: 0 (background, drawn white)
	// to 255 (ink, drawn black).
	Pixels []uint8

	// Values holds the image as float64, for example a standardised image;
	// each image is drawn from its own minimum (white) to its maximum
	// (black), and a constant image is white.
	Values []float64

	// Caption is written under the image; it may be empty.
	Caption string
}

// Caption returns the caption of a classified digit: "true 4 → pred 9
// (p=0.81)" for truth 4, prediction 9 and predicted probability 0.81. If p is
// NaN the probability is left out.
func Caption(truth, pred int, p float64) string {
	if math.IsNaN(p) {
		return fmt.Sprintf("true %d → pred %d", truth, pred)
	}
	return fmt.Sprintf("true %d → pred %d (p=%.2f)", truth, pred, p)
}

// Digits draws digits as a grid of images with their captions, left to right
// and top to bottom, for a look at the data or at misclassified samples, in
// the Greys map (white background, black ink). It uses s.Columns (zero means
// min(5, len(digits))) and s.Title (zero means no title). The default size
// gives each digit a 1.6 x 1.8 inch cell; captions too wide for their cell
// are set in a smaller font, down to 6 points.
//
// Digits returns a nil Figure and an error if digits is empty, a digit has
// both or neither of Pixels and Values, an image does not have 784 values, a
// value is NaN or infinite, or s is invalid.
func Digits(digits []Digit, s *Settings) (*Figure, error) {
	return newFigure(digits, s, digitsFigure)
}

// digitsGeom records where digitsFigure drew the images, for the tests.
type digitsGeom struct {
	cells       []vg.Rectangle
	captionSize vg.Length
}

func digitsFigure(digits []Digit, s *Settings) (*drawing, *digitsGeom, error) {
	o, err := s.check()
	if err != nil {
		return nil, nil, err
	}
	if len(digits) == 0 {
		return nil, nil, errors.New("plots: digits is empty")
	}
	vals := make([][]float64, len(digits))
	for i, d := range digits {
		v, err := digitValues(d)
		if err != nil {
			return nil, nil, fmt.Errorf("plots: digits[%d]: %w", i, err)
		}
		vals[i] = v
	}
	// The colour range of each image: 0..255 for Pixels, its own range for
	// Values.
	ranges := make([][2]float64, len(digits))
	for i, v := range vals {
		lo, hi := 0.0, 255.0
		if digits[i].Pixels == nil {
			lo, hi = v[0], v[0]
			for _, x := range v {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
			if hi == lo {
				hi = lo + 1 // constant image: white
			}
		}
		ranges[i] = [2]float64{lo, hi}
	}
	rows, cols := o.grid(len(digits))
	title := o.title("")
	const pad = 6
	cellW, cellH := 1.6*vg.Inch, 1.8*vg.Inch
	wd, ht := o.size(vg.Length(cols)*cellW+2*pad, vg.Length(rows)*cellH+2*pad+titleHeight(title))
	f, err := o.newDrawing(wd, ht)
	if err != nil {
		return nil, nil, err
	}
	c := f.Canvas
	top := drawTitle(c, title, c.Max.Y-pad)
	grid := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Min.X + pad, Y: c.Min.Y + pad},
		Max: vg.Point{X: c.Max.X - pad, Y: top},
	}}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 8, PadY: 6}

	// One caption size for all, small enough for the widest caption.
	cs := textStyle(labelSize)
	cs.XAlign, cs.YAlign = draw.XCenter, draw.YTop
	tileW := tiles.At(grid, 0, 0).Max.X - tiles.At(grid, 0, 0).Min.X
	for cs.Font.Size > 6 {
		var widest vg.Length
		for _, d := range digits {
			widest = max(widest, cs.Width(d.Caption))
		}
		if widest <= tileW {
			break
		}
		cs.Font.Size = max(6, cs.Font.Size*tileW/widest)
	}
	capH := cs.Height("Mg") + 3

	g := &digitsGeom{captionSize: cs.Font.Size}
	for i, v := range vals {
		img := valuesImage(v, Side, Side, newColorMap(Greys, ranges[i][0], ranges[i][1]))
		r := drawPanel(c, tiles.At(grid, i%cols, i/cols).Rectangle, capH, img, digits[i].Caption, cs)
		g.cells = append(g.cells, r)
	}
	return f, g, nil
}

// digitValues returns the image of d as float64, checking its size.
func digitValues(d Digit) ([]float64, error) {
	const n = Side * Side
	switch {
	case d.Pixels != nil && d.Values != nil:
		return nil, errors.New("both Pixels and Values are set")
	case d.Pixels != nil:
		if len(d.Pixels) != n {
			return nil, fmt.Errorf("Pixels has %d values, want %d (%dx%d)", len(d.Pixels), n, Side, Side)
		}
		v := make([]float64, n)
		for j, p := range d.Pixels {
			v[j] = float64(p)
		}
		return v, nil
	case d.Values != nil:
		if len(d.Values) != n {
			return nil, fmt.Errorf("Values has %d values, want %d (%dx%d)", len(d.Values), n, Side, Side)
		}
		for j, x := range d.Values {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("Values[%d] is %v", j, x)
			}
		}
		return d.Values, nil
	}
	return nil, errors.New("neither Pixels nor Values is set")
}
