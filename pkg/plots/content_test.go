package plots

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"
)

// pixelRect converts a rectangle of a raster drawing to image coordinates
// (y down).
func pixelRect(f *drawing, r vg.Rectangle) image.Rectangle {
	dpi, _ := dpiOf(f.Canvas)
	h := math.Round(f.Max.Y.Dots(dpi))
	px := func(l vg.Length) int { return int(math.Round(l.Dots(dpi))) }
	return image.Rect(px(r.Min.X), int(h)-px(r.Max.Y), px(r.Max.X), int(h)-px(r.Min.Y))
}

// encode encodes f and decodes the PNG.
func encode(t *testing.T, f *drawing) *image.RGBA {
	t.Helper()
	return decode(t, render(t)(f.encode()))
}

// cellCenter returns the image point at the centre of pixel (r, c) of a
// Side x Side image drawn in the pixel rectangle p.
func cellCenter(p image.Rectangle, r, c int) image.Point {
	k := float64(p.Dx()) / Side
	return image.Pt(p.Min.X+int((float64(c)+0.5)*k), p.Min.Y+int((float64(r)+0.5)*k))
}

func rgb(img *image.RGBA, p image.Point) color.RGBA {
	c := img.RGBAAt(p.X, p.Y)
	c.A = 0xff
	return c
}

// components returns the bounding boxes of the 4-connected regions of img
// that have exactly colour c.
func components(img *image.RGBA, c color.RGBA) []image.Rectangle {
	b := img.Bounds()
	seen := make([]bool, b.Dx()*b.Dy())
	var out []image.Rectangle
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if seen[y*b.Dx()+x] || img.RGBAAt(x, y) != c {
				continue
			}
			box := image.Rect(x, y, x+1, y+1)
			stack := []image.Point{{x, y}}
			seen[y*b.Dx()+x] = true
			for len(stack) > 0 {
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				box = box.Union(image.Rect(p.X, p.Y, p.X+1, p.Y+1))
				for _, d := range []image.Point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					q := p.Add(d)
					if q.In(b) && !seen[q.Y*b.Dx()+q.X] && img.RGBAAt(q.X, q.Y) == c {
						seen[q.Y*b.Dx()+q.X] = true
						stack = append(stack, q)
					}
				}
			}
			out = append(out, box)
		}
	}
	return out
}

func constWeights(k int, v float64) *mat.Dense {
	w := mat.NewDense(k, Side*Side, nil)
	for i := range k {
		for j := range Side * Side {
			w.Set(i, j, v)
		}
	}
	return w
}

// TestWeightsPanels counts the panels of the weights grid in the picture
// itself: with every weight at +scale each panel is a solid square of RdBu's
// darkest blue, so the blue regions are the panels.
func TestWeightsPanels(t *testing.T) {
	darkBlue := color.RGBA{R: 0x05, G: 0x30, B: 0x61, A: 0xff} // matplotlib RdBu(1.0)
	for _, tc := range []struct {
		k, cols, wantCols, wantRows int
		bar                         ColorBar
	}{
		{10, 0, 5, 2, ColorBarOff},
		{10, 0, 5, 2, ColorBarOn},
		{3, 2, 2, 2, ColorBarOff},
		{12, 0, 5, 3, ColorBarOff},
		{1, 0, 1, 1, ColorBarOff},
	} {
		img := decode(t, render(t)(Weights(constWeights(tc.k, 0.3), &Settings{ColorMap: RdBu, Columns: tc.cols, ColorBar: tc.bar})))
		boxes := components(img, darkBlue)
		want := tc.k
		if tc.bar == ColorBarOn {
			want++ // the top of the colour bar
		}
		if len(boxes) != want {
			t.Errorf("k=%d cols=%d bar=%v: %d dark blue regions, want %d", tc.k, tc.cols, tc.bar, len(boxes), want)
			continue
		}
		boxes = boxes[:0]
		for _, b := range components(img, darkBlue) {
			if b.Dx() > 40 { // panels, not the colour bar's end
				boxes = append(boxes, b)
			}
		}
		xs, ys := map[int]bool{}, map[int]bool{}
		for _, b := range boxes {
			if b.Size() != boxes[0].Size() || b.Dx() != b.Dy() || b.Dx()%Side != 0 {
				t.Errorf("k=%d: panel %v: want equal squares of whole pixels per weight, first %v", tc.k, b, boxes[0])
			}
			xs[b.Min.X], ys[b.Min.Y] = true, true
		}
		if len(xs) != tc.wantCols || len(ys) != tc.wantRows {
			t.Errorf("k=%d cols=%d: %d columns x %d rows of panels, want %d x %d", tc.k, tc.cols, len(xs), len(ys), tc.wantCols, tc.wantRows)
		}
	}
}

// TestWeightsScaleSymmetric checks the shared symmetric scale against
// matplotlib's colours: with weights in [-2, 1] the scale is [-2, 2], so +1
// is three quarters of the map, not its end, and 0 is its middle.
func TestWeightsScaleSymmetric(t *testing.T) {
	w := mat.NewDense(10, Side*Side, nil)
	w.Set(0, 3*Side+4, -2)
	w.Set(0, 10*Side+10, 1)
	w.Set(7, 14*Side+14, 0.5)
	for _, cm := range []ColorMap{Greys, RdBu} {
		f, g, err := weightsFigure(w, &Settings{ColorMap: cm, ColorBar: ColorBarOn})
		if err != nil {
			t.Fatal(err)
		}
		if g.scale != 2 {
			t.Errorf("%v: scale %v, want 2", cm, g.scale)
		}
		img := encode(t, f)
		p0, p7 := pixelRect(f, g.panels[0]), pixelRect(f, g.panels[7])
		for _, s := range []struct {
			at   image.Point
			v    float64
			what string
		}{
			{cellCenter(p0, 3, 4), -2, "class 0 (3,4) = -2"},
			{cellCenter(p0, 10, 10), 1, "class 0 (10,10) = +1"},
			{cellCenter(p0, 20, 20), 0, "class 0 (20,20) = 0"},
			{cellCenter(p7, 14, 14), 0.5, "class 7 (14,14) = 0.5"},
			{cellCenter(p7, 0, 0), 0, "class 7 (0,0) = 0"},
		} {
			want := mplColor(t, cm, (s.v+2)/4)
			if got := rgb(img, s.at); got != want {
				t.Errorf("%v: %s drawn %v, matplotlib (vmin=-2, vmax=2) %v", cm, s.what, got, want)
			}
		}
		// The colour bar runs from the lowest colour at the bottom to the
		// highest at the top, and its ticks are symmetric about 0, which
		// sits at its middle.
		bar := pixelRect(f, g.bar)
		mid := (bar.Min.X + bar.Max.X) / 2
		if got, want := rgb(img, image.Pt(mid, bar.Min.Y)), mplColor(t, cm, 1); got != want {
			t.Errorf("%v: top of colour bar %v, want %v", cm, got, want)
		}
		if got, want := rgb(img, image.Pt(mid, bar.Max.Y-1)), mplColor(t, cm, 0); got != want {
			t.Errorf("%v: bottom of colour bar %v, want %v", cm, got, want)
		}
		var vals []float64
		for _, tk := range g.ticks {
			vals = append(vals, tk.Value)
		}
		if !slices.Contains(vals, 0) || len(vals) < 3 {
			t.Errorf("%v: colour bar ticks %v: want 0 and at least 3 ticks", cm, vals)
		}
		for _, v := range vals {
			if !slices.ContainsFunc(vals, func(u float64) bool { return math.Abs(u+v) < 1e-12 }) {
				t.Errorf("%v: colour bar tick %v has no mirror -%v", cm, v, v)
			}
		}
	}
}

// TestWeightsRealModel samples the weights of the real fit
// (testdata/model.json) where the largest and smallest weights are, and
// where a pixel is blank in every training image (weight exactly 0).
func TestWeightsRealModel(t *testing.T) {
	coef := loadModel(t).coef()
	var scale, lo float64
	var imax, jmax, imin, jmin int
	k, d := coef.Dims()
	for i := range k {
		for j := range d {
			v := coef.At(i, j)
			if v > coef.At(imax, jmax) {
				imax, jmax = i, j
			}
			if v < lo {
				lo, imin, jmin = v, i, j
			}
			scale = math.Max(scale, math.Abs(v))
		}
	}
	if coef.At(3, 0) != 0 {
		t.Fatalf("coef[3][0] = %v, want 0 (corner pixel blank in every image)", coef.At(3, 0))
	}
	for _, cm := range []ColorMap{Greys, RdBu} {
		f, g, err := weightsFigure(coef, &Settings{ColorMap: cm})
		if err != nil {
			t.Fatal(err)
		}
		img := encode(t, f)
		at := func(i, j int) color.RGBA { return rgb(img, cellCenter(pixelRect(f, g.panels[i]), j/Side, j%Side)) }
		for _, s := range []struct {
			i, j int
			want color.RGBA
			what string
		}{
			{imax, jmax, mplColor(t, cm, (coef.At(imax, jmax)+scale)/(2*scale)), "largest weight"},
			{imin, jmin, mplColor(t, cm, (lo+scale)/(2*scale)), "smallest weight"},
			{3, 0, mplColor(t, cm, 0.5), "zero weight"},
		} {
			if got := at(s.i, s.j); got != s.want {
				t.Errorf("%v: %s (class %d pixel %d, %.4g) drawn %v, want %v", cm, s.what, s.i, s.j, coef.At(s.i, s.j), got, s.want)
			}
		}
		if cm == Greys && at(imax, jmax) != (color.RGBA{A: 0xff}) && coef.At(imax, jmax) == scale {
			t.Errorf("Greys: the largest weight is not black")
		}
	}
}

// TestWeightsCrisp checks every device pixel of every panel: it has exactly
// the colour of the weight it shows (nearest neighbour, no blur), and the
// one-pixel frame around the panel is black, at several resolutions.
func TestWeightsCrisp(t *testing.T) {
	w := synthWeights(10, 5)
	for _, dpi := range []int{72, 96, 150, 200} {
		f, g, err := weightsFigure(w, &Settings{DPI: dpi, ColorMap: RdBu})
		if err != nil {
			t.Fatal(err)
		}
		img := encode(t, f)
		cm := newColorMap(RdBu, -g.scale, g.scale)
		bad := 0
		for i, pr := range g.panels {
			p := pixelRect(f, pr)
			if p.Dx() != p.Dy() || p.Dx()%Side != 0 {
				t.Fatalf("dpi %d: panel %d is %v, want a square of whole pixels per weight", dpi, i, p.Size())
			}
			k := p.Dx() / Side
			for y := p.Min.Y; y < p.Max.Y; y++ {
				for x := p.Min.X; x < p.Max.X; x++ {
					r, c := (y-p.Min.Y)/k, (x-p.Min.X)/k
					if got, want := img.RGBAAt(x, y), cm.rgba(w.At(i, r*Side+c)); got != want {
						bad++
						if bad < 5 {
							t.Errorf("dpi %d: panel %d pixel (%d,%d) of weight (%d,%d) is %v, want %v", dpi, i, x, y, r, c, got, want)
						}
					}
				}
			}
			black := color.RGBA{A: 0xff}
			for _, q := range []image.Point{
				{p.Min.X - 1, p.Min.Y + 5}, {p.Max.X, p.Min.Y + 5},
				{p.Min.X + 5, p.Min.Y - 1}, {p.Min.X + 5, p.Max.Y},
			} {
				if got := img.RGBAAt(q.X, q.Y); got != black {
					t.Errorf("dpi %d: panel %d frame pixel %v is %v, want black", dpi, i, q, got)
				}
			}
		}
		if bad > 0 {
			t.Errorf("dpi %d: %d panel pixels differ from their weight's colour", dpi, bad)
		}
	}
}

// svgText is a text element of an SVG figure.
type svgText struct {
	text, style string
}

var svgTextRE = regexp.MustCompile(`(?s)<text [^>]*?(?:style="([^"]*)")?>([^<]*)</text>`)

func svgTexts(svg []byte) []svgText {
	var out []svgText
	for _, m := range svgTextRE.FindAllSubmatch(svg, -1) {
		out = append(out, svgText{text: string(m[2]), style: string(m[1])})
	}
	return out
}

func countText(ts []svgText, s string) int {
	n := 0
	for _, t := range ts {
		if t.text == s {
			n++
		}
	}
	return n
}

// TestWeightsSVG checks the text and images of the SVG weights grid: one
// "Class i" label per panel, the title with an italic w and a smaller
// subscript j, and the panels as images upscaled to blocks.
func TestWeightsSVG(t *testing.T) {
	svg := render(t)(Weights(loadModel(t).coef(), &Settings{Format: "svg"}))
	ts := svgTexts(svg)
	for i := range 10 {
		if n := countText(ts, "Class "+strconv.Itoa(i)); n != 1 {
			t.Errorf(`"Class %d" appears %d times, want once`, i, n)
		}
	}
	if countText(ts, "Class 10") != 0 {
		t.Error(`"Class 10" appears in a 10-class figure`)
	}
	var title []svgText
	for _, x := range ts {
		if !strings.HasPrefix(x.text, "Class") {
			title = append(title, x)
		}
	}
	var runs []string
	for _, x := range title {
		runs = append(runs, x.text)
		if strings.TrimSpace(x.text) != x.text {
			t.Errorf("title run %q has outer spaces, which SVG viewers drop", x.text)
		}
	}
	if got := strings.Join(runs, "|"); got != "classification weights vector|w|j|for digit class|j" {
		t.Errorf("title runs %q", got)
	}
	for _, x := range title {
		switch x.text {
		case "w":
			if !strings.Contains(x.style, "font-style:italic") || !strings.Contains(x.style, "font-size:12px") {
				t.Errorf("w of w_j: style %q, want italic 12px", x.style)
			}
		case "j":
			if !strings.Contains(x.style, "font-style:italic") {
				t.Errorf("j: style %q, want italic", x.style)
			}
		}
	}
	if !slices.ContainsFunc(title, func(x svgText) bool { return x.text == "j" && strings.Contains(x.style, "font-size:8.4px") }) {
		t.Error("no subscript j at 70% of the title size")
	}

	imgs := regexp.MustCompile(`xlink:href="data:image/[a-z]+;base64,([^"]+)"`).FindAllSubmatch(svg, -1)
	if len(imgs) != 10 {
		t.Fatalf("%d images in the SVG, want 10", len(imgs))
	}
	raw, err := base64.StdEncoding.DecodeString(string(imgs[0][1]))
	if err != nil {
		t.Fatal(err)
	}
	im, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if im.Bounds().Dx() != 8*Side {
		t.Errorf("embedded panel is %v pixels, want %d (28 upscaled 8x)", im.Bounds().Size(), 8*Side)
	}
	for y := range 8 {
		for x := range 8 {
			if im.At(x, y) != im.At(0, 0) || im.At(8+x, y) != im.At(8, 0) {
				t.Fatalf("embedded panel pixel (%d,%d) is not part of an 8x8 block", x, y)
			}
		}
	}

	rdbu := render(t)(Weights(loadModel(t).coef(), &Settings{Format: "svg", ColorMap: RdBu}))
	if n := strings.Count(string(rdbu), "<image "); n != 11 {
		t.Errorf("RdBu SVG has %d images, want 10 panels and a colour bar", n)
	}
	checkSVGImageAspect(t, "weights RdBu", rdbu)
	checkSVGImageAspect(t, "digits", render(t)(Digits(synthDigits(), &Settings{Format: "svg"})))
	checkSVGImageAspect(t, "confusion", render(t)(ConfusionMatrix(loadModel(t).Confusion, &Settings{Format: "svg", Width: 7 * vg.Inch, Height: 3 * vg.Inch})))
}

// checkSVGImageAspect checks that every image of an SVG has the aspect ratio
// of its box: viewers keep an image's aspect ratio and would leave the rest
// of the box empty.
func checkSVGImageAspect(t *testing.T, name string, svg []byte) {
	t.Helper()
	re := regexp.MustCompile(`<image x="[^"]*" y="[^"]*" width="([^"]*)" height="([^"]*)" xlink:href="data:image/[a-z]+;base64,([^"]+)"`)
	ms := re.FindAllSubmatch(svg, -1)
	if len(ms) == 0 {
		t.Errorf("%s: no images", name)
	}
	for _, m := range ms {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		raw, err := base64.StdEncoding.DecodeString(string(m[3]))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if box, img := w/h, float64(cfg.Width)/float64(cfg.Height); math.Abs(box/img-1) > 0.01 {
			t.Errorf("%s: %dx%d image in a %.4gx%.4g box: aspect ratios differ", name, cfg.Width, cfg.Height, w, h)
		}
	}
}

func TestDigits(t *testing.T) {
	ds := synthDigits()
	f, g, err := digitsFigure(ds, &Settings{Columns: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.cells) != len(ds) {
		t.Fatalf("%d cells, want %d", len(g.cells), len(ds))
	}
	xs, ys := map[vg.Length]bool{}, map[vg.Length]bool{}
	for _, c := range g.cells {
		xs[c.Min.X], ys[c.Min.Y] = true, true
	}
	if len(xs) != 4 || len(ys) != 2 {
		t.Errorf("cells in %d columns x %d rows, want 4 x 2", len(xs), len(ys))
	}
	img := encode(t, f)
	white, black := color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}
	cell := func(i int) image.Rectangle { return pixelRect(f, g.cells[i]) }
	for _, s := range []struct {
		i, r, c int
		want    color.RGBA
		what    string
	}{
		{0, 5, 0, white, "ramp pixel 0"},
		{0, 5, 27, black, "ramp pixel 255"},
		{1, 14, 14, white, "blank image"},
		{2, 0, 0, black, "cross"},
		{2, 0, 1, white, "beside the cross"},
		{3, 0, 27, white, "smallest value"},
		{3, 27, 0, black, "largest value"},
		{4, 14, 14, white, "constant values"},
	} {
		if got := rgb(img, cellCenter(cell(s.i), s.r, s.c)); got != s.want {
			t.Errorf("digit %d (%s) at (%d,%d): %v, want %v", s.i, s.what, s.r, s.c, got, s.want)
		}
	}

	svg := render(t)(Digits(ds, &Settings{Format: "svg"}))
	ts := svgTexts(svg)
	captions := 0
	for _, d := range ds {
		if d.Caption != "" {
			captions++
			if n := countText(ts, d.Caption); n != 1 {
				t.Errorf("caption %q appears %d times", d.Caption, n)
			}
		}
	}
	if len(ts) != captions {
		t.Errorf("%d texts in the SVG, want the %d captions only", len(ts), captions)
	}
	if n := strings.Count(string(svg), "<image "); n != len(ds) {
		t.Errorf("%d images, want %d", n, len(ds))
	}

	// Captions too wide for a narrow figure get a smaller font, not less
	// than 6 points.
	long := make([]Digit, 5)
	for i := range long {
		long[i] = Digit{Pixels: make([]uint8, Side*Side), Caption: Caption(4, 9, 0.81)}
	}
	_, g, err = digitsFigure(long, &Settings{Width: 4 * vg.Inch})
	if err != nil {
		t.Fatal(err)
	}
	if g.captionSize >= labelSize || g.captionSize < 6 {
		t.Errorf("caption size %v in a 4 inch wide 5-column grid, want smaller than %d and at least 6", g.captionSize, labelSize)
	}
}

func TestCaption(t *testing.T) {
	for _, tc := range []struct {
		truth, pred int
		p           float64
		want        string
	}{
		{4, 9, 0.81, "true 4 → pred 9 (p=0.81)"},
		{7, 1, 0.005, "true 7 → pred 1 (p=0.01)"},
		{0, 2, math.NaN(), "true 0 → pred 2"},
	} {
		if got := Caption(tc.truth, tc.pred, tc.p); got != tc.want {
			t.Errorf("Caption(%d, %d, %v) = %q, want %q", tc.truth, tc.pred, tc.p, got, tc.want)
		}
	}
}

func TestConfusionMatrix(t *testing.T) {
	counts := [][]int{{900, 11, 12}, {13, 800, 14}, {15, 16, 0}}
	f, g, err := confusionFigure(counts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := g.area.Max.X - g.area.Min.X - (g.area.Max.Y - g.area.Min.Y); math.Abs(float64(d)) > 0.5 {
		t.Errorf("matrix area %v is not square", g.area.Size())
	}
	white, black := color.Color(color.White), color.Color(color.Black)
	for _, c := range []struct {
		i, j int
		want color.Color
	}{{0, 0, white}, {1, 1, white}, {0, 1, black}, {2, 2, black}, {2, 1, black}} {
		if got := g.textColor[c.i][c.j]; got != c.want {
			t.Errorf("text colour of cell (%d,%d) count %d: %v, want %v", c.i, c.j, counts[c.i][c.j], got, c.want)
		}
	}

	// In the picture: the dark cell (0,0) holds light text pixels on a dark
	// background, the light cell (0,1) dark text on a light background.
	img := encode(t, f)
	area := pixelRect(f, g.area)
	cellPx := func(i, j int) image.Rectangle {
		w := float64(area.Dx()) / 3
		return image.Rect(area.Min.X+int(float64(j)*w)+2, area.Min.Y+int(float64(i)*w)+2,
			area.Min.X+int(float64(j+1)*w)-2, area.Min.Y+int(float64(i+1)*w)-2)
	}
	lums := func(r image.Rectangle) (dark, light int) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				switch l := luminance(img.RGBAAt(x, y)); {
				case l < 0.1:
					dark++
				case l > 0.8:
					light++
				}
			}
		}
		return dark, light
	}
	if dark, light := lums(cellPx(0, 0)); light < 10 || dark < 10*light {
		t.Errorf("dark cell (0,0): %d dark and %d light pixels, want light text on a mostly dark cell", dark, light)
	}
	if dark, light := lums(cellPx(0, 1)); dark < 10 || light < 10*dark {
		t.Errorf("light cell (0,1): %d dark and %d light pixels, want dark text on a mostly light cell", dark, light)
	}

	// In the SVG the counts of dark cells are white, the others black.
	ts := svgTexts(render(t)(ConfusionMatrix(counts, &Settings{Format: "svg"})))
	for _, x := range ts {
		isWhite := strings.Contains(x.style, "fill:#FFFFFF")
		switch x.text {
		case "900", "800":
			if !isWhite {
				t.Errorf("count %s on a dark cell: style %q, want white", x.text, x.style)
			}
		case "11", "12", "13", "14", "15", "16":
			if isWhite {
				t.Errorf("count %s on a light cell is white", x.text)
			}
		}
	}
	for _, s := range []string{"900", "16", "predicted label", "true label", ConfusionTitle} {
		if countText(ts, s) != 1 {
			t.Errorf("%q appears %d times in the SVG, want once", s, countText(ts, s))
		}
	}
	if _, _, err := confusionFigure([][]int{{0}}, nil); err != nil {
		t.Errorf("1x1 zero matrix: %v", err)
	}
}

func TestMeanStd(t *testing.T) {
	// numpy: np.mean, np.std(ddof=1).
	for _, tc := range []struct {
		a        []float64
		mean, sd float64
	}{
		{[]float64{0.9, 0.92, 0.94}, 0.92, 0.02},
		{[]float64{0.5}, 0.5, 0},
		{[]float64{0.8, 0.9}, 0.85, 0.070710678118654752},
	} {
		m, sd := meanStd(tc.a)
		if math.Abs(m-tc.mean) > 1e-12 || math.Abs(sd-tc.sd) > 1e-12 {
			t.Errorf("meanStd(%v) = %v, %v; want %v, %v", tc.a, m, sd, tc.mean, tc.sd)
		}
	}
}

func TestLearningCurve(t *testing.T) {
	pts := loadModel(t).Learning
	_, g, err := learningFigure(pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := g.plots[0]
	dc := p.DataCanvas(g.canvases[0])
	trX, _ := p.Transforms(&dc)
	// A log axis: equal ratios are equal distances.
	d1 := trX(math.Log10(3000)) - trX(math.Log10(300))
	d2 := trX(math.Log10(30000)) - trX(math.Log10(3000))
	if math.Abs(float64(d1-d2)) > 1e-6 || d1 <= 0 {
		t.Errorf("300->3000 spans %v, 3000->30000 %v: not a log axis", d1, d2)
	}
	labels := map[string]float64{}
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tk.Value < p.X.Min || tk.Value > p.X.Max {
			t.Errorf("tick %v outside the axis range [%v, %v]", tk, p.X.Min, p.X.Max)
		}
		if tk.Label != "" {
			labels[tk.Label] = tk.Value
		}
	}
	if labels["1000"] != 3 || labels["10000"] != 4 {
		t.Errorf("labelled ticks %v: want 1000 at log10 = 3 and 10000 at 4", labels)
	}
	if p.X.Min > math.Log10(300) || p.X.Max < math.Log10(50000) {
		t.Errorf("x range [%v, %v] does not hold the data", p.X.Min, p.X.Max)
	}

	ts := svgTexts(render(t)(LearningCurve(pts, &Settings{Format: "svg"})))
	for _, s := range []string{"test", "train", "training-set size", "accuracy", LearningTitle} {
		if countText(ts, s) != 1 {
			t.Errorf("%q appears %d times, want once", s, countText(ts, s))
		}
	}
	testOnly := make([]LearningPoint, len(pts))
	for i, pt := range pts {
		testOnly[i] = LearningPoint{Size: pt.Size, Test: pt.Test}
	}
	ts = svgTexts(render(t)(LearningCurve(testOnly, &Settings{Format: "svg"})))
	if countText(ts, "train") != 0 || countText(ts, "test") != 1 {
		t.Error("without Train: want the test curve only")
	}

	// The order of the points does not matter.
	rev := slices.Clone(pts)
	slices.Reverse(rev)
	a := render(t)(LearningCurve(pts, nil))
	b := render(t)(LearningCurve(rev, nil))
	if !bytes.Equal(a, b) {
		t.Error("reversed points draw another picture")
	}
}

func TestTrainingCurve(t *testing.T) {
	m := loadModel(t).Training
	h := History{Iter: m.Iter, Loss: m.Loss, Accuracy: m.Accuracy}
	_, g, err := trainingFigure(h, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.plots) != 2 {
		t.Fatalf("%d panels with Accuracy, want 2", len(g.plots))
	}
	if g.plots[0].X.Min != g.plots[1].X.Min || g.plots[0].X.Max != g.plots[1].X.Max {
		t.Error("loss and accuracy panels have different x ranges")
	}
	ts := svgTexts(render(t)(TrainingCurve(h, &Settings{Format: "svg"})))
	for _, s := range []string{"loss", "accuracy", "epoch", TrainingTitle} {
		if countText(ts, s) != 1 {
			t.Errorf("%q appears %d times, want once", s, countText(ts, s))
		}
	}
	h = History{Loss: m.Loss, XLabel: "iteration"}
	_, g, err = trainingFigure(h, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := g.plots[0]
	if len(g.plots) != 1 || p.X.Min > 1 || p.X.Max < float64(len(m.Loss)) {
		t.Errorf("loss only: %d panels, x range [%v, %v]; want 1 panel over 1..%d", len(g.plots), p.X.Min, p.X.Max, len(m.Loss))
	}
	ts = svgTexts(render(t)(TrainingCurve(h, &Settings{Format: "svg"})))
	if countText(ts, "accuracy") != 0 || countText(ts, "iteration") != 1 {
		t.Error("loss only: want no accuracy panel and the x label iteration")
	}
}

func TestRegularizationPath(t *testing.T) {
	pts := loadModel(t).Path
	_, g, err := pathFigure(pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.plots) != 2 {
		t.Fatalf("%d panels, want 2", len(g.plots))
	}
	for _, p := range g.plots {
		if p.X.Min > math.Log10(pts[0].C) || p.X.Max < math.Log10(pts[len(pts)-1].C) {
			t.Errorf("x range [%v, %v] does not hold log10 C of the data", p.X.Min, p.X.Max)
		}
	}
	if g.plots[1].Y.Max < 100 || g.plots[1].Y.Min > 18.5 {
		t.Errorf("sparsity range [%v, %v] does not hold the data (18.5%% to 100%%)", g.plots[1].Y.Min, g.plots[1].Y.Max)
	}
	ts := svgTexts(render(t)(RegularizationPath(pts, &Settings{Format: "svg"})))
	for _, s := range []string{"test accuracy", "sparsity (% zero weights)", "C (inverse regularisation strength)", PathTitle, "0.01", "1"} {
		if countText(ts, s) < 1 {
			t.Errorf("%q missing", s)
		}
	}
}
