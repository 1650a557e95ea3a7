package drawing_test

import (
	"image"
	"math"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// testImages returns the 10000 MNIST test images.
func testImages(t testing.TB) *mnist.Set {
	s := mnisttest.Set(t)
	return &mnist.Set{Images: s.Images[mnist.TrainLen*mnist.Pixels:], Labels: s.Labels[mnist.TrainLen:]}
}

// grey returns the 28x28 MNIST image pix as an *image.Gray (no copy).
func grey(pix []uint8) *image.Gray {
	return &image.Gray{Pix: pix, Stride: mnist.Cols, Rect: image.Rect(0, 0, mnist.Cols, mnist.Rows)}
}

// centre returns the centre of mass of the 28x28 image pix, pixel (r, c) at
// (c, r).
func centre(pix []uint8) (x, y float64) {
	var sum, sx, sy float64
	for i, v := range pix {
		sum += float64(v)
		sx += float64(v) * float64(i%mnist.Cols)
		sy += float64(v) * float64(i/mnist.Cols)
	}
	return sx / sum, sy / sum
}

// meanAbsDiff returns the mean absolute difference of a and b in grey
// levels.
func meanAbsDiff(a, b []uint8) float64 {
	var d float64
	for i := range a {
		d += math.Abs(float64(a[i]) - float64(b[i]))
	}
	return d / float64(len(a))
}

// box returns the bounding box of the nonzero pixels of the 28x28 image pix.
func box(pix []uint8) image.Rectangle {
	var b image.Rectangle
	for i, v := range pix {
		if v > 0 {
			x, y := i%mnist.Cols, i/mnist.Cols
			b = b.Union(image.Rect(x, y, x+1, y+1))
		}
	}
	return b
}
