package plots

import (
	"encoding/json"
	"image/color"
	"math"
	"os"
	"testing"

	"gonum.org/v1/plot/palette/brewer"
)

// mplMaps holds matplotlib's colour tables, testdata/colormaps.json
// (testdata/gen_colormaps.py, matplotlib 3.6.3).
type mplMap struct {
	LUT     [][3]int     `json:"lut"`
	Samples [][4]float64 `json:"samples"`
}

func loadMPL(t *testing.T) map[string]mplMap {
	t.Helper()
	b, err := os.ReadFile("testdata/colormaps.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Maps map[string]mplMap `json:"maps"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Maps
}

// mplColor returns matplotlib's colour for the normalised value x of map m.
func mplColor(t *testing.T, m ColorMap, x float64) color.RGBA {
	t.Helper()
	lut := loadMPL(t)[m.String()].LUT
	i := min(max(int(math.Floor(x*256)), 0), 255)
	c := lut[i]
	return color.RGBA{R: uint8(c[0]), G: uint8(c[1]), B: uint8(c[2]), A: 0xff}
}

func TestColorMapMatchesMatplotlib(t *testing.T) {
	ref := loadMPL(t)
	for _, m := range []ColorMap{Greys, RdBu, Blues} {
		r, ok := ref[m.String()]
		if !ok || len(r.LUT) != lutSize {
			t.Fatalf("%v: no 256-entry reference table", m)
		}
		cm := newColorMap(m, -3, 5)
		for i, want := range r.LUT {
			got := cm.lut[i]
			if int(got.R) != want[0] || int(got.G) != want[1] || int(got.B) != want[2] {
				t.Errorf("%v entry %d = %v, matplotlib %v", m, i, got, want)
			}
		}
		for _, s := range r.Samples {
			x := s[0]
			got := cm.rgba(-3 + 8*x)
			if float64(got.R) != s[1] || float64(got.G) != s[2] || float64(got.B) != s[3] {
				t.Errorf("%v at %v = %v, matplotlib %v", m, x, got, s[1:])
			}
		}
	}
}

func TestColorMapAnchorsAreBrewer(t *testing.T) {
	// The anchors are ColorBrewer's 9- or 11-class palettes; gonum ships them.
	for _, tc := range []struct {
		m   ColorMap
		typ brewer.PaletteType
		n   int
	}{{Greys, brewer.TypeSequential, 9}, {Blues, brewer.TypeSequential, 9}, {RdBu, brewer.TypeDiverging, 11}} {
		p, err := brewer.GetPalette(tc.typ, tc.m.String(), tc.n)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range p.Colors() {
			r, g, b, _ := c.RGBA()
			got := uint32(r>>8)<<16 | uint32(g>>8)<<8 | uint32(b>>8)
			if got != anchors[tc.m][i] {
				t.Errorf("%v anchor %d = %06x, brewer %06x", tc.m, i, anchors[tc.m][i], got)
			}
		}
	}
}

func TestColorMapAt(t *testing.T) {
	cm := newColorMap(RdBu, -2, 2)
	if _, err := cm.At(2.5); err == nil {
		t.Error("At(2.5) on [-2, 2]: no error")
	}
	if _, err := cm.At(math.NaN()); err == nil {
		t.Error("At(NaN): no error")
	}
	c, err := cm.At(2)
	if err != nil || c != (color.RGBA{R: 0x05, G: 0x30, B: 0x61, A: 0xff}) {
		t.Errorf("At(max) = %v, %v; want RdBu's last colour 053061", c, err)
	}
	if n := len(cm.Palette(5).Colors()); n != 5 {
		t.Errorf("Palette(5) has %d colours", n)
	}
}

func TestLuminanceAndTextColor(t *testing.T) {
	// Relative luminance per WCAG 2.x: sRGB 0x80 grey is 0.2158605.
	for _, tc := range []struct {
		c    color.Color
		want float64
	}{
		{color.White, 1}, {color.Black, 0},
		{color.RGBA{0x80, 0x80, 0x80, 0xff}, 0.2158605},
		{color.RGBA{0xff, 0, 0, 0xff}, 0.2126},
	} {
		if got := luminance(tc.c); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("luminance(%v) = %v, want %v", tc.c, got, tc.want)
		}
	}
	blues := newColorMap(Blues, 0, 1)
	for _, tc := range []struct {
		bg   color.Color
		want color.Color
	}{
		{color.White, color.Black},
		{color.Black, color.White},
		{blues.rgba(0), color.Black},   // near white
		{blues.rgba(1), color.White},   // 08306b, dark blue
		{blues.rgba(0.3), color.Black}, // light blue
		{color.RGBA{0x75, 0x75, 0x75, 0xff}, color.White},
		{color.RGBA{0x77, 0x77, 0x77, 0xff}, color.Black},
	} {
		if got := textColor(tc.bg); got != tc.want {
			t.Errorf("textColor(%v) = %v, want %v", tc.bg, got, tc.want)
		}
	}
}
