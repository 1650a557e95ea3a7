package kernel

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"runtime"

	"gonum.org/v1/gonum/mat"
)

// Design is a design matrix of n rows (samples) and d features in
// compressed sparse row form with a folded per-feature affine map: the
// model's feature j of row i is raw[i,j]*inv[j] - m[j], where raw is stored
// sparsely (zeros skipped). For Dense data inv is 1 and m is 0; for Pixels
// inv = 1/scale and m = mean/scale of the scaler, which is never applied to
// the data. A Design is read-only once built and may be shared by
// goroutines.
type Design struct {
	n, d int
	ptr  []int     // row i is entries ptr[i]:ptr[i+1]
	col  []int32   // feature of each entry
	v8   []uint8   // raw values (Pixels), or nil
	v64  []float64 // raw values (Dense), or nil
	inv  []float64 // 1/scale per feature
	m    []float64 // mean/scale per feature
}

// FromDense returns the nonzero entries of x, an n x d matrix, as a
// Design with inv = 1 and m = 0. With check set it returns an error naming
// the first non-finite entry. Cost O(n d).
func FromDense(x mat.Matrix, check bool) (*Design, error) {
	n, f := x.Dims()
	ds := newDesign(n, f)
	ds.ptr = make([]int, n+1)
	var raw []float64
	stride := 0
	if rm, ok := x.(mat.RawMatrixer); ok {
		b := rm.RawMatrix()
		raw, stride = b.Data, b.Stride
	}
	for i := 0; i < n; i++ {
		for j := 0; j < f; j++ {
			var v float64
			if raw != nil {
				v = raw[i*stride+j]
			} else {
				v = x.At(i, j)
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

// FromPixels returns the nonzero entries of n rows of d uint8 values (row
// i is pix[i*d:(i+1)*d]) as a Design with the scaler (mean, scale) folded
// in; a nil mean means zeros and a nil scale ones. With check set it
// returns an error naming the first non-finite mean or non-positive or
// non-finite scale. The rows are scanned on GOMAXPROCS goroutines, 8 bytes
// at a time. Cost O(n d / 8 + nnz).
func FromPixels(pix []uint8, d int, mean, scale []float64, check bool) (*Design, error) {
	n := len(pix) / d
	ds := newDesign(n, d)
	for j := 0; j < d; j++ {
		mu, sc := 0.0, 1.0
		if mean != nil {
			mu = mean[j]
		}
		if scale != nil {
			sc = scale[j]
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
	// Count, then fill, each in parallel over row blocks.
	ds.ptr = make([]int, n+1)
	const blocks = 16
	threads := runtime.GOMAXPROCS(0)
	parallel(blocks, threads, func(b int) {
		for i := b * n / blocks; i < (b+1)*n/blocks; i++ {
			ds.ptr[i+1] = countNonzero(pix[i*d : (i+1)*d])
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
			ds.fillRow(i, pix[i*d:(i+1)*d])
		}
	})
	return ds, nil
}

// fillRow stores the nonzero bytes of row, row i of the pixels, at
// ds.ptr[i]; zero 8-byte words are skipped whole.
func (ds *Design) fillRow(i int, row []uint8) {
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

func newDesign(n, d int) *Design {
	ds := &Design{n: n, d: d, inv: make([]float64, d), m: make([]float64, d)}
	for j := range ds.inv {
		ds.inv[j] = 1
	}
	return ds
}

// Dims returns the number of rows and features.
func (ds *Design) Dims() (n, d int) { return ds.n, ds.d }

// NNZ returns the number of stored (nonzero raw) entries.
func (ds *Design) NNZ() int { return ds.ptr[ds.n] }

// Used reports for each feature whether the model sees it as anything but
// 0 in some row: it has a nonzero raw entry or a nonzero folded mean. A
// feature that is not used has a zero gradient at every point.
func (ds *Design) Used() []bool {
	used := make([]bool, ds.d)
	for _, j := range ds.col {
		used[j] = true
	}
	for j, m := range ds.m {
		used[j] = used[j] || m != 0
	}
	return used
}

// GramPairs returns sum_i nnz_i (nnz_i + 1) / 2 over the rows, the number
// of entry pairs NewClassBlocks visits.
func (ds *Design) GramPairs() float64 {
	p := 0.0
	for i := 0; i < ds.n; i++ {
		m := float64(ds.ptr[i+1] - ds.ptr[i])
		p += m * (m + 1) / 2
	}
	return p
}

// rowEntries returns the features and raw values of the nonzero entries of
// row i of ds, whose values are vals (ds.v8 or ds.v64); both have the
// same length.
func rowEntries[T uint8 | float64](ds *Design, vals []T, i int) (cols []int32, xs []T) {
	a, b := ds.ptr[i], ds.ptr[i+1]
	cols = ds.col[a:b]
	return cols, vals[a:b][:len(cols)]
}

// maxSqNorm returns max_i ||x_i||^2 over the standardised rows.
func (ds *Design) maxSqNorm() float64 {
	mm := 0.0
	for _, m := range ds.m {
		mm += m * m
	}
	max := 0.0
	for i := 0; i < ds.n; i++ {
		s := mm
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
func (ds *Design) value(p int) float64 {
	if ds.v8 != nil {
		return float64(ds.v8[p])
	}
	return ds.v64[p]
}
