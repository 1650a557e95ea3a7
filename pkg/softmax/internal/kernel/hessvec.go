package kernel

import "github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"

// HessVec stores in hw (d*K) and hb (K, if not nil) the product of the
// Hessian of sum_i CE_i, at the point whose softmax probabilities are probs
// (n*K, as ObjGrad stores them), with the direction (vw, vb); a nil vb is
// a zero intercept direction. For sample i with probabilities p_i and
// logit change u_i along the direction, it adds (p_i .* u_i - p_i (p_i .
// u_i)) x_i^T. The direction is folded and the product unfolded as the
// weights and gradient are in ObjGrad, over the same fixed row blocks
// reduced in order: one parallel pass, O(nnz K + d K), without
// exponentials. It panics if len(probs) is not n*K.
func (e *Evaluator) HessVec(probs, vw, vb, hw, hb []float64) {
	if len(probs) != e.ds.n*e.k {
		panic("softmax: HessVec: probabilities of the wrong length")
	}
	e.fold(vw, vb)
	n := e.ds.n
	nc := min(nChunks, n)
	for i := 0; i < nc; i++ {
		p := &e.parts[i]
		p.lo, p.hi, p.rows, p.probs, p.cs = i*n/nc, (i+1)*n/nc, nil, probs, nil
		if p.g == nil {
			p.g = make([]float64, e.ds.d*e.k)
		}
	}
	parallel(nc, e.threads, func(ci int) {
		p := &e.parts[ci]
		clear(p.g)
		clear(p.s)
		switch {
		case e.k == 10 && e.ds.v8 != nil:
			hv10(e, e.ds.v8, p)
		case e.k == 10:
			hv10(e, e.ds.v64, p)
		case e.ds.v8 != nil:
			hvK(e, e.ds.v8, p)
		default:
			hvK(e, e.ds.v64, p)
		}
	})
	e.reduce(nc, hw, hb)
}

// hvK accumulates over the rows of block p the raw-feature
// Hessian-vector product p.g and p.s = sum_i r_i, r_i = p_i .* u_i - p_i
// (p_i . u_i), with u_i the folded direction times row i.
func hvK[T uint8 | float64](e *Evaluator, vals []T, p *evalPart) {
	k := e.k
	z, s := p.z[:k], p.s[:k]
	for i := p.lo; i < p.hi; i++ {
		cols, xs := rowEntries(e.ds, vals, i)
		gemvRowK(z, e.c, e.v, cols, xs)
		pr := p.probs[i*k : i*k+k]
		pr = pr[:len(z)]
		pu := 0.0
		for kk, u := range z {
			pu += pr[kk] * u
		}
		for kk, u := range z {
			r := pr[kk] * (u - pu)
			z[kk] = r
			s[kk] += r
		}
		gerRowK(p.g, cols, xs, z)
	}
}

// hv10 is hvK for K = 10, with the kernels of ce10.
func hv10[T uint8 | float64](e *Evaluator, vals []T, p *evalPart) {
	ds := e.ds
	if len(e.v) != ds.d*10 || len(p.g) != ds.d*10 {
		panic("softmax: hv10: bad length")
	}
	c := (*[10]float64)(e.c)
	sum := (*[10]float64)(p.s)
	var z [10]float64
	for i := p.lo; i < p.hi; i++ {
		cols, xs := rowEntries(ds, vals, i)
		z = *c
		asm.Gemv10(&z, e.v, 10, cols, xs)
		pr := (*[10]float64)(p.probs[i*10 : i*10+10])
		pu := ((pr[0]*z[0] + pr[1]*z[1]) + (pr[2]*z[2] + pr[3]*z[3])) +
			((pr[4]*z[4] + pr[5]*z[5]) + (pr[6]*z[6] + pr[7]*z[7])) + (pr[8]*z[8] + pr[9]*z[9])
		for kk := range z {
			z[kk] = pr[kk] * (z[kk] - pu)
			sum[kk] += z[kk]
		}
		asm.Ger10(p.g, cols, xs, &z)
	}
}
