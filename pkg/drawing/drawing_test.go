package drawing_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/mlphys/softmax-mnist/pkg/drawing"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

var subpixel = &drawing.Settings{Subpixel: true}

func normalize(t testing.TB, src image.Image, s *drawing.Settings) []uint8 {
	t.Helper()
	pix, err := drawing.Normalize(src, s)
	if err != nil {
		t.Fatal(err)
	}
	return pix
}

// MNIST's own digits are fixed points of Normalize: the larger side of their
// box of nonzero pixels is 20 and their centre of mass in [13.5, 14.5),
// measured on the real data, so Normalize must return them pixel for pixel.
// With Settings.Subpixel their centre of mass lands on (14, 14) and they
// stay close to MNIST's.
func TestMNIST(t *testing.T) {
	test := testImages(t)
	var box20, same int
	var worst, sum float64
	for i := range test.Len() {
		img := test.Image(i)
		got := normalize(t, grey(img), nil)
		if b := box(img); max(b.Dx(), b.Dy()) == drawing.Box {
			box20++
			if bytes.Equal(got, img) {
				same++
			} else if box20-same <= 3 {
				x, y := centre(img)
				t.Errorf("image %d (box %v, centre of mass (%.3f, %.3f)): changed, mean |difference| %.2f", i, b, x, y, meanAbsDiff(got, img))
			}
		}
		gb := box(got)
		cut := gb.Max.X == mnist.Cols || gb.Max.Y == mnist.Rows // ink cut off at the border
		if max(gb.Dx(), gb.Dy()) != drawing.Box && !cut {
			t.Errorf("image %d: box %v after, want a larger side of %d", i, gb, drawing.Box)
		}
		if x, y := centre(got); !inHalfOpen(x) || !inHalfOpen(y) {
			t.Errorf("image %d: centre of mass (%.3f, %.3f) after, want in [13.5, 14.5)", i, x, y)
		}

		got = normalize(t, grey(img), subpixel)
		if x, y := centre(got); math.Abs(x-drawing.Centre) > 0.01 || math.Abs(y-drawing.Centre) > 0.01 {
			t.Errorf("image %d, subpixel: centre of mass (%.4f, %.4f), want (14, 14) within 0.01", i, x, y)
		}
		d := meanAbsDiff(got, img)
		sum += d
		worst = max(worst, d)
	}
	t.Logf("%d of %d test images have a box of %d pixels; %d of them come back unchanged", box20, test.Len(), drawing.Box, same)
	if box20 != 9997 || same != box20 {
		t.Errorf("%d images of box %d, %d unchanged; want 9997 and all of them", box20, drawing.Box, same)
	}
	mean := sum / float64(test.Len())
	t.Logf("subpixel: mean |difference| from MNIST %.2f grey levels on average, %.2f at worst", mean, worst)
	if mean > 8 || worst > 20 {
		t.Errorf("subpixel: mean |difference| %.2f on average, %.2f at worst; want at most 8 and 20", mean, worst)
	}
}

// inHalfOpen reports whether a coordinate of a centre of mass is in
// [Centre-0.5, Centre+0.5), up to rounding.
func inHalfOpen(c float64) bool { return c >= drawing.Centre-0.5-1e-9 && c < drawing.Centre+0.5 }

// A digit translated in a larger canvas, of any bounds, comes back as the
// digit itself.
func TestShifted(t *testing.T) {
	test := testImages(t)
	for i := range 500 {
		img := test.Image(i)
		want := normalize(t, grey(img), nil)
		wantSub := normalize(t, grey(img), subpixel)
		// A 71x53 canvas with its origin at (-9, 5), the digit at a
		// different place in each.
		canvas := image.NewGray(image.Rect(-9, 5, 62, 58))
		off := image.Pt(-9+(7*i)%43, 5+(3*i)%25)
		xdraw.Copy(canvas, off, grey(img), grey(img).Bounds(), xdraw.Src, nil)
		if got := normalize(t, canvas, nil); !bytes.Equal(got, want) {
			t.Fatalf("image %d at %v: mean |difference| %.2f from the digit normalised in place", i, off, meanAbsDiff(got, want))
		}
		if got := normalize(t, canvas, subpixel); !bytes.Equal(got, wantSub) {
			t.Fatalf("image %d at %v, subpixel: mean |difference| %.2f from the digit normalised in place", i, off, meanAbsDiff(got, want))
		}
	}
}

// canvas returns the 28x28 image pix scaled up by the interpolator q to
// size x size pixels at (at, at) in a transparent canvas of (size + 2 at)
// pixels a side, as a browser canvas holds a white drawing: white, the ink
// in the alpha channel. If pen, the scaled-up ink is made bilevel (full
// where it is at least half), as a pen draws.
func canvas(pix []uint8, q xdraw.Interpolator, size, at int, pen bool) *image.NRGBA {
	up := image.NewGray(image.Rect(0, 0, size, size))
	q.Scale(up, up.Bounds(), grey(pix), grey(pix).Bounds(), xdraw.Src, nil)
	c := image.NewNRGBA(image.Rect(0, 0, size+2*at, size+2*at))
	for y := range size {
		for x := range size {
			a := up.GrayAt(x, y).Y
			if pen {
				a = 0xff * (a >> 7)
			}
			c.SetNRGBA(at+x, at+y, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: a})
		}
	}
	return c
}

// A digit scaled up by a whole factor with nearest-neighbour sampling (each
// pixel a 10x10 block) is the digit again; scaled up smoothly, as a canvas
// draws anti-aliased strokes, it is close to it and centred.
func TestScaledUp(t *testing.T) {
	test := testImages(t)
	var sumNear, sumSmooth float64
	const n = 100
	for i := range n {
		img := test.Image(i)
		got := normalize(t, canvas(img, xdraw.NearestNeighbor, 280, 13, false), nil)
		if d := maxAbsDiff(got, img); d > 1 {
			t.Errorf("image %d scaled up x10 (nearest): a pixel differs by %d grey levels", i, d)
		}
		sumNear += meanAbsDiff(got, img)
		smooth := canvas(img, xdraw.CatmullRom, 280, 13, false)
		got = normalize(t, smooth, nil)
		if x, y := centre(got); !inHalfOpen(x) || !inHalfOpen(y) {
			t.Errorf("image %d scaled up x10 (Catmull-Rom): centre of mass (%.3f, %.3f), want in [13.5, 14.5)", i, x, y)
		}
		sumSmooth += meanAbsDiff(got, img)
		got = normalize(t, smooth, subpixel)
		if x, y := centre(got); math.Abs(x-drawing.Centre) > 0.01 || math.Abs(y-drawing.Centre) > 0.01 {
			t.Errorf("image %d scaled up x10 (Catmull-Rom), subpixel: centre of mass (%.4f, %.4f), want (14, 14) within 0.01", i, x, y)
		}
	}
	t.Logf("mean |difference| from the digit: %.3f (nearest), %.2f (Catmull-Rom) grey levels", sumNear/n, sumSmooth/n)
	if sumSmooth/n > 10 {
		t.Errorf("mean |difference| from the smoothly scaled-up digits %.2f, want at most 10", sumSmooth/n)
	}
}

func maxAbsDiff(a, b []uint8) int {
	var d int
	for i := range a {
		d = max(d, int(a[i])-int(b[i]), int(b[i])-int(a[i]))
	}
	return d
}

// Solid rectangles have exact answers: a 75x200 rectangle becomes 7.5x20
// pixels, seven full columns and one half column of 20 rows, with the
// area (the ink) scaled by (20/200)^2; a 200x30 one becomes 20x3.
func TestRectangles(t *testing.T) {
	for _, tc := range []struct {
		rect       image.Rectangle
		full, half int // pixels of 255 and of 128 (127.5 rounded)
		box        image.Point
	}{
		{image.Rect(37, 51, 37+75, 51+200), 7 * 20, 20, image.Pt(8, 20)},
		{image.Rect(3, 200, 203, 230), 20 * 3, 0, image.Pt(20, 3)},
		{image.Rect(100, 100, 101, 101), 20 * 20, 0, image.Pt(20, 20)}, // a dot fills the box
	} {
		c := image.NewGray(image.Rect(0, 0, 280, 280))
		xdraw.Draw(c, tc.rect, image.White, image.Point{}, xdraw.Src)
		got := normalize(t, c, nil)
		var full, half, other int
		for _, v := range got {
			switch v {
			case 0:
			case 255:
				full++
			case 128:
				half++
			default:
				other++
			}
		}
		b := box(got)
		if full != tc.full || half != tc.half || other != 0 || b.Size() != tc.box {
			t.Errorf("rectangle %v: %d pixels of 255, %d of 128, %d others, box %v; want %d, %d, 0, size %v",
				tc.rect, full, half, other, b, tc.full, tc.half, tc.box)
		}
		if x, y := centre(got); !inHalfOpen(x) || !inHalfOpen(y) {
			t.Errorf("rectangle %v: centre of mass (%.3f, %.3f), want in [13.5, 14.5)", tc.rect, x, y)
		}
		// With Subpixel the edges are grey but the ink is the same.
		scale := float64(drawing.Box) / float64(max(tc.rect.Dx(), tc.rect.Dy()))
		want := scale * scale * float64(tc.rect.Dx()*tc.rect.Dy())
		var ink float64
		for _, v := range normalize(t, c, subpixel) {
			ink += float64(v) / 255
		}
		if math.Abs(ink-want) > 0.5*mnist.Pixels/255 {
			t.Errorf("rectangle %v, subpixel: ink %.3f pixels, want %.3f", tc.rect, ink, want)
		}
	}
}

// An image with no ink is an error, not a panic.
func TestEmpty(t *testing.T) {
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"black", image.NewGray(image.Rect(0, 0, 280, 280))},
		{"transparent white", transparentWhite(280, 280)},
		{"no pixels", image.NewNRGBA(image.Rectangle{})},
		{"inverted bounds", image.NewGray(image.Rect(5, 5, 5, 5))},
	} {
		pix, err := drawing.Normalize(tc.img, nil)
		if !errors.Is(err, drawing.ErrEmpty) || pix != nil {
			t.Errorf("%s: Normalize returned %d pixels and error %v, want %v", tc.name, len(pix), err, drawing.ErrEmpty)
		}
	}
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"nil", nil},
		{"unbounded", &image.Uniform{C: color.White}},
		{"4097x4096", image.NewAlpha(image.Rect(0, 0, 4097, 4096))},
	} {
		if _, err := drawing.Normalize(tc.img, nil); err == nil || errors.Is(err, drawing.ErrEmpty) {
			t.Errorf("%s image: error %v, want an error that is not ErrEmpty", tc.name, err)
		} else {
			t.Logf("%s image: %v", tc.name, err)
		}
	}
}

// transparentWhite returns a w x h canvas of transparent white.
func transparentWhite(w, h int) *image.NRGBA {
	c := image.NewNRGBA(image.Rect(0, 0, w, h))
	xdraw.Draw(c, c.Bounds(), &image.Uniform{C: color.NRGBA{R: 0xff, G: 0xff, B: 0xff}}, image.Point{}, xdraw.Src)
	return c
}
