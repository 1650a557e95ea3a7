package softmax

import (
	"fmt"
	"math"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// TestCSCGradient checks that the column-block gradient of full passes
// (K = 10) equals the row-by-row one (the same pass over rows listed
// explicitly, which takes the row path): bit for bit with the assembly
// kernels, which do the same fused multiply-adds in the same order, and to
// 1e-12 relative in pure Go. K = 3 takes the row path both ways.
func TestCSCGradient(t *testing.T) {
	type tc struct {
		name  string
		n, d  int
		k     int
		dense bool
		icpt  bool
	}
	var cases []tc
	for _, k := range []int{10, 3} {
		for _, dense := range []bool{false, true} {
			for _, icpt := range []bool{false, true} {
				// d odd exercises the unpaired last feature; n above
				// nChunks*cscRows exercises several blocks per chunk.
				cases = append(cases, tc{fmt.Sprintf("k%d/dense=%v/icpt=%v/d=31", k, dense, icpt), 700, 31, k, dense, icpt})
			}
			cases = append(cases, tc{fmt.Sprintf("k%d/dense=%v/d=40/blocks", k, dense), nChunks*cscRows + 3001, 40, k, dense, true})
		}
	}
	cases = append(cases, tc{"k10/n=5<nChunks", 5, 12, 10, false, true})
	for _, c := range cases {
		for _, withAsm := range []bool{true, false} {
			if withAsm && !asm.Enabled {
				continue
			}
			t.Run(fmt.Sprintf("%s/asm=%v", c.name, withAsm), func(t *testing.T) {
				defer func(old bool) { asm.Enabled = old }(asm.Enabled)
				asm.Enabled = withAsm
				pix, y := synthPixels(c.n, c.d, c.k, 11, 0, c.d-2)
				sc := scaler(pix, c.d)
				var data Data = Pixels(pix, c.d, sc.Mean, sc.Scale)
				if c.dense {
					data = Dense(standardise(pix, c.d, sc.Mean, sc.Scale))
				}
				ds, err := data.design(true)
				if err != nil {
					t.Fatal(err)
				}
				e := newEvaluator(ds, y, c.k, 2)
				w := make([]float64, c.d*c.k)
				for i := range w {
					w[i] = 1e-3 * float64(i%13-6)
				}
				var b []float64
				if c.icpt {
					b = make([]float64, c.k)
					for i := range b {
						b[i] = 0.1 * float64(i-1)
					}
				}
				gw1, gb1 := make([]float64, len(w)), make([]float64, c.k)
				ce1 := e.eval(w, b, gw1, gb1, nil)
				if c.k == 10 && e.csc == nil {
					t.Fatal("full pass did not build the column blocks")
				}
				all := make([]int, c.n)
				for i := range all {
					all[i] = i
				}
				gw2, gb2 := make([]float64, len(w)), make([]float64, c.k)
				ce2 := e.eval(w, b, gw2, gb2, all)
				if ce1 != ce2 {
					t.Errorf("loss %v, row path %v", ce1, ce2)
				}
				scale := 0.0
				for _, x := range gw2 {
					scale = max(scale, math.Abs(x))
				}
				for i := range gw1 {
					diff := math.Abs(gw1[i] - gw2[i])
					if (withAsm && diff != 0) || diff > 1e-12*scale {
						t.Fatalf("gw[%d] = %v, row path %v", i, gw1[i], gw2[i])
					}
				}
				for i := range gb1 {
					if gb1[i] != gb2[i] {
						t.Fatalf("gb[%d] = %v, row path %v", i, gb1[i], gb2[i])
					}
				}
			})
		}
	}
}
