package explore

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/drawing"
)

// canvasURL returns img as a browser canvas gives it: a PNG data URL.
func canvasURL(t testing.TB, img image.Image) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

// paint returns a 280x280 canvas, transparent, with white ink where ink
// returns a positive alpha for the canvas pixel (x, y).
func paint(ink func(x, y int) uint8) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 280, 280))
	for y := range 280 {
		for x := range 280 {
			if a := ink(x, y); a > 0 {
				img.SetNRGBA(x, y, color.NRGBA{255, 255, 255, a})
			}
		}
	}
	return img
}

// A test digit drawn ten times larger on a canvas comes back as the test
// image itself, and the model reads it as it reads that image.
func TestReadTestDigits(t *testing.T) {
	sp := realSplit(t)
	r := testReader(t)
	for i := range 5 {
		pix := sp.Test.Image(i)
		got, err := r.read(canvasURL(t, paint(func(x, y int) uint8 { return pix[(y/10)*28+x/10] })))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Pixels, pix) {
			t.Errorf("test image %d: the model saw another image than the test image", i)
			continue
		}
		x := sp.Data(sp.Test.Subset([]int{i}))
		if want := r.model.Predict(x)[0]; got.Pred != want {
			t.Errorf("test image %d: predicted %d, the model on the test image %d", i, got.Pred, want)
		}
		proba := r.model.PredictProba(x)
		sum := 0.0
		for k, p := range got.Proba {
			sum += p
			if p != proba.At(0, k) {
				t.Errorf("test image %d: P(%d) = %v, the model on the test image %v", i, k, p, proba.At(0, k))
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("test image %d: probabilities sum to %v", i, sum)
		}
		seen, err := png.Decode(bytes.NewReader(got.Seen))
		if err != nil {
			t.Fatal(err)
		}
		if g, ok := seen.(*image.Gray); !ok || !slices.Equal(g.Pix, pix) || g.Bounds() != image.Rect(0, 0, 28, 28) {
			t.Errorf("test image %d: the PNG of what the model saw is not its 28x28 image", i)
		}
		t.Logf("test image %d (label %d): predicted %d with p = %.3f", i, sp.Test.Labels[i], got.Pred, got.Proba[got.Pred])
	}
}

// A vertical stroke is a 1 to the port's model; a ring is a 0.
func TestReadStrokes(t *testing.T) {
	r := testReader(t)
	for _, tc := range []struct {
		name string
		ink  func(x, y int) uint8
		want int
	}{
		{"vertical stroke", func(x, y int) uint8 {
			if x >= 130 && x < 152 && y >= 40 && y < 240 {
				return 255
			}
			return 0
		}, 1},
		{"ring", func(x, y int) uint8 {
			// An ellipse 120 wide and 180 high, the stroke 22 px wide.
			u, v := float64(x-140)/60, float64(y-140)/90
			if d := math.Hypot(u, v); math.Abs(d-1)*75 < 11 {
				return 255
			}
			return 0
		}, 0},
	} {
		got, err := r.read(canvasURL(t, paint(tc.ink)))
		if err != nil {
			t.Fatal(err)
		}
		if got.Pred != tc.want {
			t.Errorf("%s: predicted %d (p = %.3f), want %d (p = %.3f)", tc.name, got.Pred, got.Proba[got.Pred], tc.want, got.Proba[tc.want])
		}
	}
}

func TestReadErrors(t *testing.T) {
	r := testReader(t)
	if _, err := r.read(canvasURL(t, paint(func(x, y int) uint8 { return 0 }))); !errors.Is(err, drawing.ErrEmpty) {
		t.Errorf("empty canvas: %v, want drawing.ErrEmpty", err)
	}
	if _, err := r.read("data:image/jpeg;base64,AAAA"); err == nil {
		t.Error("a JPEG data URL was read")
	}
}
