package kernel

import (
	"fmt"
	"math"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/fixture"
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
	modes := asmModes()
	defer func(old bool) { asm.Enabled = old }(asm.Enabled)
	for _, c := range cases {
		for _, withAsm := range modes {
			t.Run(fmt.Sprintf("%s/asm=%v", c.name, withAsm), func(t *testing.T) {
				asm.Enabled = withAsm
				pix, y := fixture.Pixels(c.n, c.d, c.k, 11, 0, c.d-2)
				dss, _ := designs(t, pix, c.d)
				ds := dss["pixels"]
				if c.dense {
					ds = dss["dense"]
				}
				checkCSCGradient(t, ds, y, c.k, c.icpt, withAsm)
			})
		}
	}
}

// checkCSCGradient compares a full pass with the same pass over the rows
// listed explicitly.
func checkCSCGradient(t *testing.T, ds *Design, y []int, k int, icpt, withAsm bool) {
	n, d := ds.Dims()
	e := NewEvaluator(ds, y, k, 2)
	w := make([]float64, d*k)
	for i := range w {
		w[i] = 1e-3 * float64(i%13-6)
	}
	var b []float64
	if icpt {
		b = make([]float64, k)
		for i := range b {
			b[i] = 0.1 * float64(i-1)
		}
	}
	gw1, gb1 := make([]float64, len(w)), make([]float64, k)
	ce1 := e.ObjGrad(w, b, gw1, gb1, nil)
	if k == 10 && e.csc == nil {
		t.Fatal("full pass did not build the column blocks")
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	gw2, gb2 := make([]float64, len(w)), make([]float64, k)
	ce2 := e.Rows(all, nChunks, w, b, gw2, gb2)
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
}
