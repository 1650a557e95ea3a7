package kernel

import "runtime"

// cscRows is the number of rows of a column block: their residuals
// (cscRows*10 float64, 160 KB) stay in the L2 cache while the gradient
// rows are accumulated from them.
const cscRows = 2048

// cscDesign is a copy of a design in compressed sparse column form, cut
// into the nc row chunks of a full-batch evaluation and each chunk into
// blocks of at most cscRows rows. Inside a block the entries of feature j
// are those of rows ascending. It costs 5 bytes per nonzero for Pixels
// (int32 row, uint8 value) and 12 for Dense, plus 4(d+1) bytes per block.
type cscDesign struct {
	nc     int
	chunks []cscChunk
	rows   []int32   // row of each entry, relative to its block's lo
	v8     []uint8   // raw values (Pixels), or nil
	v64    []float64 // raw values (Dense), or nil
}

// cscChunk is the column blocks of the design rows lo:hi.
type cscChunk struct {
	lo, hi int
	blocks []cscBlock
}

// cscBlock is the rows lo:hi of the design; the entries of feature j are
// ptr[j]:ptr[j+1] of cscDesign's rows and values. ptr is nil for the
// single block of a row-by-row evaluation.
type cscBlock struct {
	lo, hi int
	ptr    []int32
}

// newCSC returns the column blocks of ds for nc chunks, built in parallel
// on up to threads goroutines. The entries of a block occupy the same
// positions as in the row-major design. It panics if the design has 2^31
// or more nonzeros.
func newCSC(ds *Design, nc, threads int) *cscDesign {
	n, d := ds.n, ds.d
	nnz := ds.ptr[n]
	if nnz >= 1<<31-1 {
		panic("softmax: too many nonzeros for a column copy")
	}
	cs := &cscDesign{nc: nc, chunks: make([]cscChunk, nc), rows: make([]int32, nnz)}
	if ds.v8 != nil {
		cs.v8 = make([]uint8, nnz)
	} else {
		cs.v64 = make([]float64, nnz)
	}
	if threads < 1 {
		threads = runtime.GOMAXPROCS(0)
	}
	parallel(nc, threads, func(ci int) {
		lo, hi := ci*n/nc, (ci+1)*n/nc
		ch := &cs.chunks[ci]
		ch.lo, ch.hi = lo, hi
		for a := lo; a < hi; a += cscRows {
			b := min(a+cscRows, hi)
			ptr := make([]int32, d+1)
			for p := ds.ptr[a]; p < ds.ptr[b]; p++ {
				ptr[ds.col[p]+1]++
			}
			ptr[0] = int32(ds.ptr[a])
			for j := 0; j < d; j++ {
				ptr[j+1] += ptr[j]
			}
			next := append([]int32(nil), ptr[:d]...)
			for i := a; i < b; i++ {
				for p := ds.ptr[i]; p < ds.ptr[i+1]; p++ {
					j := ds.col[p]
					t := next[j]
					next[j]++
					cs.rows[t] = int32(i - a)
					if cs.v8 != nil {
						cs.v8[t] = ds.v8[p]
					} else {
						cs.v64[t] = ds.v64[p]
					}
				}
			}
			ch.blocks = append(ch.blocks, cscBlock{lo: a, hi: b, ptr: ptr})
		}
	})
	return cs
}

// values8 returns the raw values of the column blocks of Pixels, or nil.
func (cs *cscDesign) values8() []uint8 {
	if cs == nil {
		return nil
	}
	return cs.v8
}

// values64 returns the raw values of the column blocks of Dense data, or
// nil.
func (cs *cscDesign) values64() []float64 {
	if cs == nil {
		return nil
	}
	return cs.v64
}
