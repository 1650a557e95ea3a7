package softmax

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"runtime"

	"gonum.org/v1/gonum/mat"
)

// Data is a design matrix of samples (rows) and features (columns) that a
// Model can be fitted on or predict. The implementations are Dense and
// Pixels.
type Data interface {
	// Dims returns the number of samples and features.
	Dims() (samples, features int)

	// design returns the data in compressed sparse row form. If check is
	// true it reports non-finite values as errors.
	design(check bool) (*design, error)
}

var (
	_ Data = denseData{}
	_ Data = pixelData{}
)

// Dense returns x, an n x d matrix of float64 features, as Data. The model
// sees x as it is: standardise it first, or use Pixels.
func Dense(x mat.Matrix) Data { return denseData{x} }

type denseData struct{ x mat.Matrix }

func (d denseData) Dims() (int, int) { return d.x.Dims() }

func (d denseData) design(check bool) (*design, error) {
	n, f := d.x.Dims()
	ds := newDesign(n, f)
	ds.ptr = make([]int, n+1)
	var raw []float64
	stride := 0
	if rm, ok := d.x.(mat.RawMatrixer); ok {
		b := rm.RawMatrix()
		raw, stride = b.Data, b.Stride
	}
	for i := 0; i < n; i++ {
		for j := 0; j < f; j++ {
			var v float64
			if raw != nil {
				v = raw[i*stride+j]
			} else {
				v = d.x.At(i, j)
			}
			if v == 0 {
				continue
			}
			if check && (math.IsNaN(v) || math.IsInf(v, 0)) {
				return nil, fmt.Errorf("softmax: x[%d,%d] = %v: features must be finite", i, j, v)
			}
			ds.col = append(ds.col, int32(j))
			ds.v64 = append(ds.v64, v)
		}
		ds.ptr[i+1] = len(ds.col)
	}
	return ds, nil
}

// Pixels returns n rows of features uint8 values (row i is
// pix[i*features:(i+1)*features]) as Data standardised on the fly: the
// model sees (pix - mean)/scale feature by feature, as after
// scikit-learn's StandardScaler (preprocess.StandardScaler's Mean and
// Scale), but the standardised matrix is never stored: the scaler is folded
// into the weights and the kernels run on the nonzero raw pixels only.
// A nil mean means zeros and a nil scale means ones.
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

func (p pixelData) design(check bool) (*design, error) {
	n, f := p.Dims()
	ds := newDesign(n, f)
	for j := 0; j < f; j++ {
		mu, sc := 0.0, 1.0
		if p.mean != nil {
			mu = p.mean[j]
		}
		if p.scale != nil {
			sc = p.scale[j]
		}
		if check && (math.IsNaN(mu) || math.IsInf(mu, 0)) {
			return nil, fmt.Errorf("softmax: mean[%d] = %v: must be finite", j, mu)
		}
		if check && (!(sc > 0) || math.IsInf(sc, 0)) {
			return nil, fmt.Errorf("softmax: scale[%d] = %v: must be positive and finite", j, sc)
		}
		ds.inv[j] = 1 / sc
		ds.m[j] = mu / sc
	}
	ds.finish()
	// Count, then fill, each in parallel over row blocks; zero 8-byte words
	// are skipped whole.
	ds.ptr = make([]int, n+1)
	const blocks = 16
	threads := runtime.GOMAXPROCS(0)
	parallel(blocks, threads, func(b int) {
		for i := b * n / blocks; i < (b+1)*n/blocks; i++ {
			ds.ptr[i+1] = countNonzero(p.pix[i*f : (i+1)*f])
		}
	})
	for i := 0; i < n; i++ {
		ds.ptr[i+1] += ds.ptr[i]
	}
	nnz := ds.ptr[n]
	ds.col = make([]int32, nnz)
	ds.v8 = make([]uint8, nnz)
	parallel(blocks, threads, func(b int) {
		for i := b * n / blocks; i < (b+1)*n/blocks; i++ {
			row := p.pix[i*f : (i+1)*f]
			at := ds.ptr[i]
			j := 0
			for ; j+8 <= len(row); j += 8 {
				if binary.LittleEndian.Uint64(row[j:]) == 0 {
					continue
				}
				for t, v := range row[j : j+8] {
					if v != 0 {
						ds.col[at] = int32(j + t)
						ds.v8[at] = v
						at++
					}
				}
			}
			for ; j < len(row); j++ {
				if v := row[j]; v != 0 {
					ds.col[at] = int32(j)
					ds.v8[at] = v
					at++
				}
			}
		}
	})
	return ds, nil
}

// countNonzero returns the number of nonzero bytes of row.
func countNonzero(row []uint8) int {
	c := 0
	j := 0
	for ; j+8 <= len(row); j += 8 {
		w := binary.LittleEndian.Uint64(row[j:])
		if w == 0 {
			continue
		}
		// Set the high bit of every nonzero byte, then count them.
		const lo7 = 0x7f7f7f7f7f7f7f7f
		t := ((w & lo7) + lo7) | w
		c += bits.OnesCount64(t & 0x8080808080808080)
	}
	for ; j < len(row); j++ {
		if row[j] != 0 {
			c++
		}
	}
	return c
}

// design is a design matrix in compressed sparse row form with a folded
// per-feature affine map: the model's feature j of row i is
// raw[i,j]*inv[j] - m[j], where raw is stored sparsely (zeros skipped).
// For Dense data inv is 1 and m is 0.
type design struct {
	n, d int
	ptr  []int     // row i is entries ptr[i]:ptr[i+1]
	col  []int32   // feature of each entry
	v8   []uint8   // raw values (Pixels), or nil
	v64  []float64 // raw values (Dense), or nil
	inv  []float64 // 1/scale per feature
	m    []float64 // mean/scale per feature
	mm   float64   // sum_j m[j]^2
	// folded reports whether any m[j] != 0.
	folded bool
}

// rowEntries returns the features and raw values of the nonzero entries of
// row i of ds, whose values are vals (ds.v8 or ds.v64); both have the
// same length.
func rowEntries[T uint8 | float64](ds *design, vals []T, i int) (cols []int32, xs []T) {
	a, b := ds.ptr[i], ds.ptr[i+1]
	cols = ds.col[a:b]
	return cols, vals[a:b][:len(cols)]
}

func newDesign(n, d int) *design {
	ds := &design{n: n, d: d, inv: make([]float64, d), m: make([]float64, d)}
	for j := range ds.inv {
		ds.inv[j] = 1
	}
	return ds
}

// finish computes the derived per-feature quantities.
func (ds *design) finish() {
	ds.mm = 0
	ds.folded = false
	for _, m := range ds.m {
		ds.mm += m * m
		if m != 0 {
			ds.folded = true
		}
	}
}

// rowSqNorms returns max_i ||x_i||^2 of the standardised rows.
func (ds *design) maxSqNorm() float64 {
	max := 0.0
	for i := 0; i < ds.n; i++ {
		s := ds.mm
		for p := ds.ptr[i]; p < ds.ptr[i+1]; p++ {
			j := ds.col[p]
			v := ds.value(p)*ds.inv[j] - ds.m[j]
			s += v*v - ds.m[j]*ds.m[j]
		}
		if s > max {
			max = s
		}
	}
	return max
}

// value returns the raw value of entry p.
func (ds *design) value(p int) float64 {
	if ds.v8 != nil {
		return float64(ds.v8[p])
	}
	return ds.v64[p]
}
