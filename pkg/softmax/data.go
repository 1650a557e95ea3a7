package softmax

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/kernel"
)

// Data is a design matrix of samples (rows) and features (columns) that a
// Model can be fitted on or predict. The implementations are Dense and
// Pixels.
type Data interface {
	// Dims returns the number of samples and features.
	Dims() (samples, features int)

	// design returns the data in compressed sparse row form. If check is
	// true it reports non-finite values as errors.
	design(check bool) (*kernel.Design, error)
}

var (
	_ Data = denseData{}
	_ Data = pixelData{}
)

// Dense returns x, an n x d matrix of float64 features, as Data. The model
// sees x as it is: standardise it first, or use Pixels. Fit and the
// Model's methods read the nonzero entries of x once per call, O(n d).
func Dense(x mat.Matrix) Data { return denseData{x} }

type denseData struct{ x mat.Matrix }

func (d denseData) Dims() (int, int) { return d.x.Dims() }

func (d denseData) design(check bool) (*kernel.Design, error) {
	return kernel.FromDense(d.x, check)
}

// Pixels returns n rows of features uint8 values (row i is
// pix[i*features:(i+1)*features]) as Data standardised on the fly: the
// model sees (pix - mean)/scale feature by feature, as after
// scikit-learn's StandardScaler (preprocess.StandardScaler's Mean and
// Scale), but the standardised matrix is never stored: the scaler is folded
// into the weights and the kernels run on the nonzero raw pixels only.
// A nil mean means zeros and a nil scale means ones. Pixels keeps the
// slices; they must not change while the Data is in use.
//
// Pixels panics if features is not positive, if len(pix) is not a multiple
// of features, or if mean or scale is not nil and its length is not
// features. Fit reports non-finite means and non-positive or non-finite
// scales as errors.
func Pixels(pix []uint8, features int, mean, scale []float64) Data {
	if features <= 0 {
		panic("softmax: Pixels: features must be positive")
	}
	if len(pix)%features != 0 {
		panic(fmt.Sprintf("softmax: Pixels: len(pix) = %d is not a multiple of features = %d", len(pix), features))
	}
	if mean != nil && len(mean) != features {
		panic(fmt.Sprintf("softmax: Pixels: len(mean) = %d, want %d", len(mean), features))
	}
	if scale != nil && len(scale) != features {
		panic(fmt.Sprintf("softmax: Pixels: len(scale) = %d, want %d", len(scale), features))
	}
	return pixelData{pix: pix, d: features, mean: mean, scale: scale}
}

type pixelData struct {
	pix         []uint8
	d           int
	mean, scale []float64
}

func (p pixelData) Dims() (int, int) { return len(p.pix) / p.d, p.d }

func (p pixelData) design(check bool) (*kernel.Design, error) {
	return kernel.FromPixels(p.pix, p.d, p.mean, p.scale, check)
}
