package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
)

// ColorMap names a colour map.
type ColorMap int

const (
	// Greys runs from white (lowest value) to black (highest value): the
	// map of the original notebook's weights figure (matplotlib "Greys").
	Greys ColorMap = iota
	// RdBu is diverging: dark red (lowest), near white (middle), dark blue
	// (highest), as matplotlib's "RdBu". With a symmetric scale, negative
	// weights are red and positive weights blue.
	RdBu
	// Blues runs from near white (lowest) to dark blue (highest), as
	// matplotlib's "Blues"; ConfusionMatrix uses it.
	Blues
)

// String returns matplotlib's name of the map.
func (m ColorMap) String() string {
	switch m {
	case Greys:
		return "Greys"
	case RdBu:
		return "RdBu"
	case Blues:
		return "Blues"
	}
	return fmt.Sprintf("ColorMap(%d)", int(m))
}

// anchors are the ColorBrewer colours of each map (Cynthia Brewer,
// colorbrewer2.org), as listed in matplotlib's _cm.py, lowest value first.
var anchors = map[ColorMap][]uint32{
	Greys: {0xffffff, 0xf0f0f0, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373, 0x525252, 0x252525, 0x000000},
	RdBu: {0x67001f, 0xb2182b, 0xd6604d, 0xf4a582, 0xfddbc7, 0xf7f7f7,
		0xd1e5f0, 0x92c5de, 0x4393c3, 0x2166ac, 0x053061},
	Blues: {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b},
}

// lutSize is the number of colours in a map's table, matplotlib's default N.
const lutSize = 256

// colorMap is a palette.ColorMap that samples a ColorBrewer map as
// matplotlib's LinearSegmentedColormap.from_list(N=256) does: entry i is the
// linear interpolation of the anchors at i/255, a value v maps to entry
// floor(256 (v-min)/(max-min)) clamped to [0, 255], and channels are
// truncated to bytes as by matplotlib's Colormap(x, bytes=True).
type colorMap struct {
	lut      [lutSize]color.RGBA
	min, max float64
	alpha    float64
}

var _ palette.ColorMap = (*colorMap)(nil)

// newColorMap returns the map m over [min, max]. It panics if m is unknown.
//
// The table is built as matplotlib's _create_lookup_table builds it, in the
// same floating-point steps, so that the truncated bytes agree exactly: the
// anchors sit at x_j = 255 * j/(n-1) (numpy.linspace), entry i at
// t_i = 255 * i/255 takes the anchors j-1, j with x_{j-1} < t_i <= x_j
// (numpy.searchsorted) and is y_{j-1} + (t_i-x_{j-1})/(x_j-x_{j-1}) (y_j-y_{j-1}).
func newColorMap(m ColorMap, min, max float64) *colorMap {
	a, ok := anchors[m]
	if !ok {
		panic(fmt.Sprintf("plots: unknown colour map %d", int(m)))
	}
	c := &colorMap{min: min, max: max, alpha: 1}
	n := len(a)
	x := make([]float64, n)
	step := 1 / float64(n-1)
	for j := range x {
		x[j] = float64(j) * step * (lutSize - 1)
	}
	x[n-1] = lutSize - 1
	chans := func(v uint32) [3]float64 {
		return [3]float64{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255}
	}
	tstep := 1 / float64(lutSize-1)
	for i := range c.lut {
		var f [3]float64
		switch i {
		case 0:
			f = chans(a[0])
		case lutSize - 1:
			f = chans(a[n-1])
		default:
			t := (lutSize - 1) * (float64(i) * tstep)
			j := 1
			for j < n-1 && x[j] < t {
				j++
			}
			d := (t - x[j-1]) / (x[j] - x[j-1])
			lo, hi := chans(a[j-1]), chans(a[j])
			for k := range f {
				f[k] = d*(hi[k]-lo[k]) + lo[k]
			}
		}
		var b [3]uint8
		for k, v := range f {
			b[k] = uint8(math.Min(math.Max(v, 0), 1) * 255)
		}
		c.lut[i] = color.RGBA{R: b[0], G: b[1], B: b[2], A: 0xff}
	}
	return c
}

// index returns the table entry of v, which must not be NaN.
func (c *colorMap) index(v float64) int {
	if c.max == c.min {
		return lutSize / 2
	}
	x := (v - c.min) / (c.max - c.min)
	i := int(math.Floor(x * lutSize))
	return min(max(i, 0), lutSize-1)
}

// rgba returns the colour of v, clamping v to [min, max].
func (c *colorMap) rgba(v float64) color.RGBA {
	return c.lut[c.index(v)]
}

// At implements palette.ColorMap.
func (c *colorMap) At(v float64) (color.Color, error) {
	switch {
	case math.IsNaN(v):
		return nil, fmt.Errorf("plots: colour map value is NaN")
	case v < c.min:
		return nil, palette.ErrUnderflow
	case v > c.max:
		return nil, palette.ErrOverflow
	}
	col := c.rgba(v)
	if c.alpha == 1 {
		return col, nil
	}
	return color.NRGBA{R: col.R, G: col.G, B: col.B, A: uint8(c.alpha*255 + 0.5)}, nil
}

// Max implements palette.ColorMap.
func (c *colorMap) Max() float64 { return c.max }

// SetMax implements palette.ColorMap.
func (c *colorMap) SetMax(v float64) { c.max = v }

// Min implements palette.ColorMap.
func (c *colorMap) Min() float64 { return c.min }

// SetMin implements palette.ColorMap.
func (c *colorMap) SetMin(v float64) { c.min = v }

// Alpha implements palette.ColorMap.
func (c *colorMap) Alpha() float64 { return c.alpha }

// SetAlpha implements palette.ColorMap. It panics if a is outside [0, 1].
func (c *colorMap) SetAlpha(a float64) {
	if a < 0 || a > 1 {
		panic("plots: alpha out of range")
	}
	c.alpha = a
}

// Palette implements palette.ColorMap.
func (c *colorMap) Palette(n int) palette.Palette {
	cols := make([]color.Color, n)
	for i := range cols {
		v := c.min
		if n > 1 {
			v += (c.max - c.min) * float64(i) / float64(n-1)
		}
		cols[i], _ = c.At(v)
	}
	return plainPalette(cols)
}

type plainPalette []color.Color

func (p plainPalette) Colors() []color.Color { return p }

// luminance returns the relative luminance of c (WCAG 2 / sRGB, in [0, 1]).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// textColor returns black or white, whichever contrasts more with the
// background bg by the WCAG contrast ratio (L1+0.05)/(L2+0.05). White wins
// when the luminance of bg is below sqrt(1.05*0.05)-0.05, about 0.179.
func textColor(bg color.Color) color.Color {
	l := luminance(bg)
	if (1.05)/(l+0.05) > (l+0.05)/0.05 {
		return color.White
	}
	return color.Black
}
