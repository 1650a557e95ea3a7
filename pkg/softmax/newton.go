package softmax

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

const (
	// eps is the float64 machine epsilon.
	eps = 2.220446049250313e-16
	// newtonMaxInner is the limit on conjugate gradient iterations
	// (Hessian-vector products) per Newton iteration, about scikit-learn's
	// maxinner (200; its loop allows 201).
	newtonMaxInner = 200
	// newtonEta is the largest forcing term: CG stops when
	// ||r|| <= min(newtonEta, sqrt(||g||)) ||g|| (Euclidean norms, scipy's
	// fmin_ncg rule).
	newtonEta = 0.5
	// newtonArmijo is the sufficient decrease constant of the backtracking
	// line search (Nocedal and Wright's c1).
	newtonArmijo = 1e-4
	// newtonMaxBacktrack is the number of step reductions after which the
	// line search gives up.
	newtonMaxBacktrack = 40
)

// fitNewtonCG minimises, as scikit-learn 1.2's solver='newton-cg' does,
//
//	f(W, b) = sum_i CE_i + ||W||^2/(2C)    (the objective divided by C)
//
// with a truncated (line search) Newton method, Nocedal and Wright,
// Numerical Optimization, algorithm 7.1, as scikit-learn's _newton_cg:
// each Newton iteration solves H p = -g by conjugate gradients started
// from 0, stopped when ||r|| <= min(0.5, sqrt(||g||)) ||g||, on
// non-positive curvature, or after 200 Hessian-vector products; then a
// backtracking line search from the step 1 enforces the sufficient
// decrease condition (Armijo, c1 = 1e-4, quadratic interpolation), or,
// where the change of f is below its rounding error, a smaller gradient.
// It stops when max|grad f| <= Tol (scikit-learn's rule, converged), after
// MaxIter Newton iterations, or when the line search fails (not
// converged).
//
// The forcing term uses Euclidean norms, as scipy's fmin_ncg; scikit-learn
// 1.2's _cg uses sum|r| <= min(0.5, sqrt(sum|g|)) sum|g|, which on the MNIST
// benchmark (C=1, tol=1e-4) needed 60 Newton iterations and about 3x the
// Hessian-vector products of the Euclidean rule (41 iterations) for the
// same optimum.
//
// A Hessian-vector product costs one parallel sparse pass over the data,
// as a gradient does (the gemv and ger kernels, without the exponentials):
// with p_i the probabilities at the current point and u_i = V z_i + v_b the
// change of the logits of sample i along the direction (V, v_b), the data
// part of H (V, v_b) is sum_i (p_i .* u_i - p_i (p_i . u_i)) [z_i; 1]^T.
func fitNewtonCG(p *problem) (*result, error) {
	ds, k, cf := p.ds, p.k, p.cf
	full := newBatchObjective(p)
	e := full.e
	e.probs = make([]float64, ds.n*k)
	nw, dim, l2, split := full.nw, full.dim(), full.l2, full.split
	// fg evaluates f and its gradient at x; the evaluator keeps the
	// probabilities at x for the Hessian-vector products.
	fg := full.fg
	// hv stores in out the Hessian of f at the last point fg evaluated
	// times v.
	hv := func(v, out []float64) {
		full.passes++
		vw, vb := split(v)
		ow, ob := split(out)
		e.hessVec(vw, vb, ow, ob)
		if l2 != 0 {
			for i, x := range vw {
				ow[i] += l2 * x
			}
		}
	}

	x := make([]float64, dim)
	g := make([]float64, dim)
	f := fg(x, g)
	dir := make([]float64, dim)
	r := make([]float64, dim)
	pd := make([]float64, dim)
	hp := make([]float64, dim)
	xNew := make([]float64, dim)
	gNew := make([]float64, dim)
	prevW := make([]float64, nw)
	res := &result{}
	for iter := 0; ; iter++ {
		if maxAbs(g) <= cf.tol {
			res.converged = true
			break
		}
		if iter >= cf.maxIter {
			break
		}
		// Inner loop: conjugate gradients on H dir = -g from dir = 0
		// (scikit-learn's _cg).
		gn := floats.Norm(g, 2)
		term := math.Min(newtonEta, math.Sqrt(gn)) * gn
		clear(dir)
		copy(r, g)
		for i, v := range g {
			pd[i] = -v
		}
		rr := gn * gn
		for i := 0; i < newtonMaxInner; i++ {
			if math.Sqrt(rr) <= term {
				break
			}
			hv(pd, hp)
			curv := floats.Dot(pd, hp)
			if curv <= 3*eps {
				if i == 0 && curv < 0 {
					// Negative curvature at once: steepest descent.
					for j, v := range g {
						dir[j] = -v
					}
				}
				break
			}
			a := rr / curv
			floats.AddScaled(dir, a, pd)
			floats.AddScaled(r, a, hp)
			rrNew := floats.Dot(r, r)
			beta := rrNew / rr
			rr = rrNew
			for j, v := range r {
				pd[j] = -v + beta*pd[j]
			}
		}
		gd := floats.Dot(g, dir)
		if !(gd < 0) {
			// No descent direction (CG stopped at once): steepest descent.
			for j, v := range g {
				dir[j] = -v
			}
			gd = -floats.Dot(g, g)
		}
		// Backtracking line search from the Newton step.
		step := 1.0
		fNew := math.NaN()
		ok := false
		for bt := 0; bt <= newtonMaxBacktrack; bt++ {
			for i := range x {
				xNew[i] = x[i] + step*dir[i]
			}
			fNew = fg(xNew, gNew)
			if fNew-f <= newtonArmijo*step*gd {
				ok = true
				break
			}
			// Near the optimum the decrease of f is below its rounding
			// error: accept the step if f did not measurably increase and
			// the gradient shrank (scikit-learn >= 1.4's rule).
			if math.Abs(fNew-f) <= 16*eps*math.Abs(f) && floats.Norm(gNew, 1) < floats.Norm(g, 1) {
				ok = true
				break
			}
			// Minimiser of the quadratic through f, gd and fNew, kept in
			// [0.1, 0.5] times the step (non-finite fNew: 0.1).
			next := 0.1 * step
			if q := -gd * step * step / (2 * (fNew - f - gd*step)); q > next {
				next = math.Min(q, 0.5*step)
			}
			step = next
		}
		if !ok {
			if math.IsNaN(fNew) || math.IsInf(fNew, 0) {
				if math.IsNaN(f) || math.IsInf(f, 0) {
					return nil, fmt.Errorf("%w (newton-cg, iteration %d)", ErrDiverged, iter+1)
				}
			}
			// The line search failed (the step is below machine precision
			// along dir): stop, as scikit-learn's "Line Search failed".
			break
		}
		copy(prevW, x[:nw])
		copy(x, xNew)
		copy(g, gNew)
		f = fNew
		res.nIter = iter + 1
		full.report(p, NewtonCG, iter+1, f, x, prevW)
	}
	res.w, res.b = full.result(x)
	return res, nil
}

// hessVec stores in hw (d*K) and hb (K, if not nil) the product of the
// Hessian of sum_i CE_i, at the point whose probabilities the last eval
// over all rows stored in e.probs, with the direction (vw, vb); a nil vb is
// a zero intercept direction. The direction is folded and the product
// unfolded as the weights and gradient are in eval, and the rows are cut
// into the same fixed blocks reduced in order.
func (e *evaluator) hessVec(vw, vb, hw, hb []float64) {
	if len(e.probs) != e.ds.n*e.k {
		panic("softmax: hessVec without probabilities")
	}
	e.fold(vw, vb)
	n := e.ds.n
	nc := nChunks
	if n < nc {
		nc = n
	}
	for i := 0; i < nc; i++ {
		if e.parts[i].g == nil {
			e.parts[i].g = make([]float64, e.ds.d*e.k)
		}
	}
	work := func(ci int) {
		p := &e.parts[ci]
		lo, hi := ci*n/nc, (ci+1)*n/nc
		clear(p.g)
		clear(p.s)
		switch {
		case e.k == 10 && e.ds.v8 != nil:
			hvKernel10(e.ds.v8, e, lo, hi, p.g, p.s)
		case e.k == 10:
			hvKernel10(e.ds.v64, e, lo, hi, p.g, p.s)
		case e.ds.v8 != nil:
			hvKernel(e.ds.v8, e, lo, hi, p.g, p.s, p.z)
		default:
			hvKernel(e.ds.v64, e, lo, hi, p.g, p.s, p.z)
		}
	}
	parallel(nc, e.threads, work)
	e.reduce(nc, hw, hb)
}

// hvKernel accumulates over rows lo:hi the raw-feature Hessian-vector
// product g and s = sum_i r_i, r_i = p_i .* u_i - p_i (p_i . u_i), with
// u_i the folded direction times row i.
func hvKernel[T uint8 | float64](vals []T, e *evaluator, lo, hi int, g, s, z []float64) {
	ds, k := e.ds, e.k
	v, c := e.v, e.c
	z = z[:k]
	s = s[:k]
	for i := lo; i < hi; i++ {
		cols, xs := rowEntries(ds, vals, i)
		gemvRowK(z, c, v, cols, xs)
		pr := e.probs[i*k : i*k+k]
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
		gerRowK(g, cols, xs, z)
	}
}

// hvKernel10 is hvKernel for K = 10, with the gemv and ger kernels of
// kernel10.
func hvKernel10[T uint8 | float64](vals []T, e *evaluator, lo, hi int, g, s []float64) {
	ds := e.ds
	v := e.v
	if len(v) != ds.d*10 || len(g) != ds.d*10 || len(e.probs) != ds.n*10 {
		panic("softmax: hvKernel10: bad length")
	}
	c := (*[10]float64)(e.c)
	sum := (*[10]float64)(s)
	var z [10]float64
	for i := lo; i < hi; i++ {
		cols, xs := rowEntries(ds, vals, i)
		z = *c
		asm.Gemv10(&z, v, 10, cols, xs)
		pr := (*[10]float64)(e.probs[i*10 : i*10+10])
		pu := ((pr[0]*z[0] + pr[1]*z[1]) + (pr[2]*z[2] + pr[3]*z[3])) +
			((pr[4]*z[4] + pr[5]*z[5]) + (pr[6]*z[6] + pr[7]*z[7])) + (pr[8]*z[8] + pr[9]*z[9])
		for kk := range z {
			z[kk] = pr[kk] * (z[kk] - pu)
			sum[kk] += z[kk]
		}
		asm.Ger10(g, cols, xs, &z)
	}
}
