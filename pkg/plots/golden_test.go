package plots

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var regen = flag.Bool("regen", false, "rewrite the golden images in testdata instead of comparing with them")

// Golden comparison tolerance: a pixel differs if a channel differs by more
// than goldenChannel; at most goldenFraction of the pixels may differ (room
// for anti-aliased text rendered on another platform).
const (
	goldenChannel  = 8
	goldenFraction = 0.001
)

// checkGolden compares the PNG got with testdata/name, or writes it there
// with -regen. On a mismatch it writes got and a difference image to
// $TMPDIR/plots-golden/ and fails.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *regen {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/plots -regen to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gi, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("%s: rendered image does not decode: %v", name, err)
	}
	wi, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatalf("%s: golden image does not decode: %v", name, err)
	}
	if gi.Bounds() != wi.Bounds() {
		t.Errorf("%s: size %v, golden %v", name, gi.Bounds().Size(), wi.Bounds().Size())
		keepFailure(t, name, got, nil, nil)
		return
	}
	n, total := differing(gi, wi)
	if float64(n) > goldenFraction*float64(total) {
		t.Errorf("%s: %d of %d pixels differ from the golden image by more than %d", name, n, total, goldenChannel)
		keepFailure(t, name, got, gi, wi)
	}
}

// differing counts the pixels of a and b (same bounds) that differ by more
// than goldenChannel in a channel.
func differing(a, b image.Image) (n, total int) {
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ca, cb := rgbaAt(a, x, y), rgbaAt(b, x, y)
			if absDiff(ca.R, cb.R) > goldenChannel || absDiff(ca.G, cb.G) > goldenChannel ||
				absDiff(ca.B, cb.B) > goldenChannel || absDiff(ca.A, cb.A) > goldenChannel {
				n++
			}
		}
	}
	return n, r.Dx() * r.Dy()
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// keepFailure writes a failed rendering and its difference image for
// inspection.
func keepFailure(t *testing.T, name string, got []byte, gi, wi image.Image) {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "plots-golden")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Log(err)
		return
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, got, 0o644); err != nil {
		t.Log(err)
		return
	}
	t.Logf("rendering kept in %s", p)
	if gi == nil {
		return
	}
	// Differing pixels red, the rest a faint copy of the golden image.
	diff := image.NewRGBA(gi.Bounds())
	r := gi.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ca, cb := rgbaAt(gi, x, y), rgbaAt(wi, x, y)
			c := color.RGBA{R: 255 - (255-cb.R)/4, G: 255 - (255-cb.G)/4, B: 255 - (255-cb.B)/4, A: 255}
			if absDiff(ca.R, cb.R) > goldenChannel || absDiff(ca.G, cb.G) > goldenChannel ||
				absDiff(ca.B, cb.B) > goldenChannel || absDiff(ca.A, cb.A) > goldenChannel {
				c = color.RGBA{R: 255, A: 255}
			}
			diff.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if png.Encode(&b, diff) == nil {
		d := filepath.Join(dir, "diff_"+name)
		if os.WriteFile(d, b.Bytes(), 0o644) == nil {
			t.Logf("difference image in %s", d)
		}
	}
}

// render returns a function that takes the results of a figure function
// and returns the encoded figure, failing the test on an error:
// render(t)(Weights(coef, nil)).
func render(t testing.TB) func(*Figure, error) []byte {
	return func(f *Figure, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := f.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
}

// decode decodes a PNG into an *image.RGBA.
func decode(t testing.TB, b []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if rgba, ok := img.(*image.RGBA); ok {
		return rgba
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}

func rgbaAt(img image.Image, x, y int) (c struct{ R, G, B, A uint8 }) {
	r, g, b, a := img.At(x, y).RGBA()
	c.R, c.G, c.B, c.A = uint8(r>>8), uint8(g>>8), uint8(b>>8), uint8(a>>8)
	return c
}

// The golden images. Those from testdata/model.json (a real fit) are the
// pictures of the README.
func TestGolden(t *testing.T) {
	m := loadModel(t)
	cases := []struct {
		name  string
		mnist bool
		fn    func() (*Figure, error)
	}{
		{"weights_greys.png", false, func() (*Figure, error) { return Weights(m.coef(), nil) }},
		{"weights_rdbu.png", false, func() (*Figure, error) { return Weights(m.coef(), &Settings{ColorMap: RdBu}) }},
		{"weights_synthetic_3x4.png", false, func() (*Figure, error) {
			return Weights(synthWeights(12, 3), &Settings{Columns: 4, ColorMap: RdBu, Title: "synthetic weights, 12 classes"})
		}},
		{"digits_misclassified.png", true, func() (*Figure, error) {
			set := mnistSet(t)
			var ds []Digit
			for _, mc := range m.Misclassified {
				ds = append(ds, Digit{Pixels: set.Image(mc.Index), Caption: Caption(mc.True, mc.Pred, mc.P)})
			}
			return Digits(ds, &Settings{Title: "misclassified test digits"})
		}},
		{"digits_data.png", true, func() (*Figure, error) {
			set := mnistSet(t)
			var ds []Digit
			for i := range 10 {
				ds = append(ds, Digit{Pixels: set.Image(i), Caption: fmt.Sprintf("label %d", set.Labels[i])})
			}
			return Digits(ds, &Settings{Title: "the first ten MNIST training digits"})
		}},
		{"digits_synthetic.png", false, func() (*Figure, error) {
			return Digits(synthDigits(), &Settings{Columns: 3})
		}},
		{"confusion.png", false, func() (*Figure, error) { return ConfusionMatrix(m.Confusion, nil) }},
		{"learning.png", false, func() (*Figure, error) { return LearningCurve(m.Learning, nil) }},
		{"training.png", false, func() (*Figure, error) {
			return TrainingCurve(History{Iter: m.Training.Iter, Loss: m.Training.Loss, Accuracy: m.Training.Accuracy}, nil)
		}},
		{"regpath.png", false, func() (*Figure, error) { return RegularizationPath(m.Path, nil) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c.name, render(t)(c.fn()))
		})
	}
}
