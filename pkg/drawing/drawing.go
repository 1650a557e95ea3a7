package drawing

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// Geometry of an MNIST digit.
const (
	// Box is the size in pixels of the larger side of the digit's
	// bounding box after scaling.
	Box = 20
	// Centre is the row and the column of the pixel where the digit's
	// centre of mass is put (pixel (r, c) at (c, r)).
	Centre = 14
)

// MaxPixels is the largest image Normalize reads: 4096x4096 pixels, 128 MB
// of ink at 8 bytes a pixel.
const MaxPixels = 1 << 24

// ErrEmpty is wrapped by the error Normalize returns for an image with no
// ink (every pixel black or transparent, or no pixels at all).
var ErrEmpty = errors.New("no ink")

// Settings configures Normalize. A nil *Settings is the zero value, MNIST's
// own procedure.
type Settings struct {
	// Subpixel translates the digit by a fraction of a pixel so that its
	// centre of mass is (Centre, Centre) within 0.01 pixel (unless ink is
	// cut off at the border). The zero value translates by whole pixels,
	// as MNIST's digits were: each coordinate of the centre of mass is then
	// in [Centre-0.5, Centre+0.5).
	Subpixel bool
}

// Normalize returns the drawing src as an MNIST image: mnist.Pixels (784)
// grey levels 0..255 (0 is background), row-major, as mnist.Set.Image
// returns one, ready for the scaler and the model of the other packages.
//
// The ink of src (its luminance over black; see the package documentation)
// is cropped to the bounding box of every pixel with any ink; the box is
// scaled, aspect ratio kept, so that its larger side is Box pixels, by exact
// area averaging; the result is placed in the 28x28 field with its box on
// the pixel grid and translated by whole pixels so that each coordinate of
// its centre of mass is in [Centre-0.5, Centre+0.5) (or exactly Centre with
// Settings.Subpixel). Ink translated past the border of the field is cut
// off. src may have any size and any bounds; a box smaller than Box pixels
// is scaled up (a single dot fills the 20x20 box).
//
// Normalize returns an error wrapping ErrEmpty if src has no ink, and an
// error if src is nil or has more than MaxPixels pixels. It reads every
// pixel of src once; placing the box costs O(28 w h) for a box of w x h
// pixels, twice (up to nine times with Subpixel).
func Normalize(src image.Image, s *Settings) ([]uint8, error) {
	if src == nil {
		return nil, errors.New("drawing: nil image")
	}
	if b := src.Bounds(); b.Dx() > 0 && b.Dy() > 0 && b.Dx() > MaxPixels/b.Dy() {
		return nil, fmt.Errorf("drawing: %dx%d image: more than %d pixels", b.Dx(), b.Dy(), MaxPixels)
	}
	ink, box := inkOf(src)
	if box.Empty() {
		b := src.Bounds()
		return nil, fmt.Errorf("drawing: %dx%d image: %w", b.Dx(), b.Dy(), ErrEmpty)
	}
	w, h := box.Dx(), box.Dy()
	scale := float64(Box) / float64(max(w, h))
	x, y := (mnist.Cols-float64(w)*scale)/2, (mnist.Rows-float64(h)*scale)/2
	subpixel := s != nil && s.Subpixel
	if !subpixel {
		x, y = math.Floor(x), math.Floor(y)
	}
	var out mat.Dense
	render(&out, ink, scale, x, y)
	for range 8 {
		dx, dy := shift(&out, subpixel)
		if math.Abs(dx) < 1e-3 && math.Abs(dy) < 1e-3 {
			break
		}
		x, y = x+dx, y+dy
		render(&out, ink, scale, x, y)
	}
	pix := make([]uint8, mnist.Pixels)
	for r := range mnist.Rows {
		for c := range mnist.Cols {
			pix[r*mnist.Cols+c] = uint8(math.Round(255 * min(1, max(0, out.At(r, c)))))
		}
	}
	return pix, nil
}

// inkOf returns the ink of src, values in [0, 1], cropped to its bounding
// box, and that box (relative to src.Bounds().Min); the box is empty if
// there is no ink.
func inkOf(src image.Image) (*mat.Dense, image.Rectangle) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, image.Rectangle{}
	}
	grey, isGrey := src.(*image.Gray)
	ink := make([]float64, w*h)
	var box image.Rectangle
	for y := range h {
		for x := range w {
			var v float64
			if isGrey {
				v = float64(grey.GrayAt(b.Min.X+x, b.Min.Y+y).Y) / 0xff
			} else {
				v = float64(color.Gray16Model.Convert(src.At(b.Min.X+x, b.Min.Y+y)).(color.Gray16).Y) / 0xffff
			}
			if v > 0 {
				ink[y*w+x] = v
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Empty() {
		return nil, box
	}
	m := mat.NewDense(h, w, ink)
	return m.Slice(box.Min.Y, box.Max.Y, box.Min.X, box.Max.X).(*mat.Dense), box
}

// render sets dst (mnist.Rows x mnist.Cols) to the ink scaled by scale with
// its top left corner at (x, y) in the field, where pixel (r, c) covers
// [c, c+1] x [r, r+1]: each pixel of dst is the mean ink over its area.
// The scaling is separable, dst = Wy ink Wx^T.
func render(dst *mat.Dense, ink *mat.Dense, scale, x, y float64) {
	h, w := ink.Dims()
	var t mat.Dense
	t.Mul(ink, overlaps(mnist.Cols, w, x, scale).T())
	dst.Reset()
	dst.Mul(overlaps(mnist.Rows, h, y, scale), &t)
}

// overlaps returns the field x n matrix whose entry (c, j) is the length of
// the overlap of the output pixel [c, c+1] with the input pixel j scaled and
// translated to [at + j*scale, at + (j+1)*scale].
func overlaps(field, n int, at, scale float64) *mat.Dense {
	m := mat.NewDense(field, n, nil)
	for j := range n {
		lo, hi := at+float64(j)*scale, at+float64(j+1)*scale
		for c := max(0, int(math.Floor(lo))); c < field && float64(c) < hi; c++ {
			if v := min(float64(c+1), hi) - max(float64(c), lo); v > 0 {
				m.Set(c, j, v)
			}
		}
	}
	return m
}

// shift returns the translation that brings the centre of mass of m to
// (Centre, Centre), or, unless subpixel, the whole-pixel translation that
// brings it into [Centre-0.5, Centre+0.5) on each axis, as in MNIST (a
// coordinate of exactly Centre-0.5 is left alone; a tolerance of 1e-9
// absorbs rounding in the sums).
func shift(m *mat.Dense, subpixel bool) (dx, dy float64) {
	cx, cy := centreOfMass(m)
	if subpixel {
		return Centre - cx, Centre - cy
	}
	return math.Ceil(Centre - 0.5 - cx - 1e-9), math.Ceil(Centre - 0.5 - cy - 1e-9)
}

// centreOfMass returns the centre of mass of m, pixel (r, c) at (c, r).
// It returns NaNs if m has no ink.
func centreOfMass(m *mat.Dense) (x, y float64) {
	var sum, sx, sy float64
	r, c := m.Dims()
	for i := range r {
		for j := range c {
			v := m.At(i, j)
			sum += v
			sx += v * float64(j)
			sy += v * float64(i)
		}
	}
	return sx / sum, sy / sum
}
