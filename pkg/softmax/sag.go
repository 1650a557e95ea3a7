package softmax

import (
	"fmt"
	"math"
	"time"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// SAG and SAGA follow scikit-learn's sag_fast (Schmidt, Le Roux and Bach
// 2013, "Minimizing finite sums with the stochastic average gradient";
// Defazio, Bach and Lacoste-Julien 2014, "SAGA"), on the objective divided
// by n*C:
//
//	(1/n) sum_i CE_i + 0.5*alpha*||W||^2 + beta*||W||_1,  alpha = (1/C)(1-r)/n, beta = (1/C) r/n.
//
// Each epoch draws n samples uniformly with replacement. The gradient
// memory of sample i is the K-vector g_i = p_i - y_i (its gradient is
// g_i x_i^T); S = sum over samples seen of g_i x_i^T and T = sum g_i. A step
// on sample i with m distinct samples seen so far and step size eta is, on
// the true weights,
//
//	W <- (1 - eta*alpha) W
//	SAGA: W <- W - eta (1 - 1/m) (g_new - g_old) x_i^T
//	S <- S + (g_new - g_old) x_i^T
//	W <- prox_{eta*beta}(W - (eta/m) S)
//	b <- b - eta T/m (SAGA: also - eta (1 - 1/m)(g_new - g_old))
//
// with eta = 1/L (SAG) or 1/(2L + min(2 n alpha, L)) (SAGA), L = 0.25*(max_i
// ||x_i||^2 + fit_intercept) + alpha. After each epoch the run stops when
// max|W - W_prev| / max|W| <= tol.
//
// The implementation is lazy ("just in time"), so that a step costs O(nnz_i
// K) rather than O(d K). The weights are stored as w with W = wscale*w (the
// L2 decay is a scalar). The standardised sample is x_ij = v_ij - m_j with
// v_ij = raw_ij/scale_j nonzero only at the nonzero raw pixels and
// m_j = mean_j/scale_j, so
//
//	S[j,k] = R[j,k] - m_j T_k,  R = sum_i g_i v_i^T  (sparse updates only),
//
// and the pending update of a feature j not touched since its last access
// is, per step t, w_jk -= c_t R_jk - m_j a_tk with c_t = eta/(wscale_t m_t)
// and a_tk = c_t T_tk + e_t (g_new - g_old)_k, e_t = eta(1-1/m_t)/wscale_t
// (the dense part of SAGA's correction). R_jk is constant between accesses
// of j, so the pending update is R_jk*(sum c) - m_j*(sum a_k): running sums
// ccum, acum_k and per-feature snapshots of them suffice. The prediction
// needs sum_j m_j w_jk over all features, kept in msafe_k and advanced per
// step by -c_t sr_k + a_tk sum_j m_j^2 with sr_k = sum_j m_j R_jk.
//
// With an L1 term the proximal step makes the pending update nonlinear; the
// features that may cross zero (all but the inert ones, zero in every
// sample with m_j = 0) are then updated at every step ("unsafe" features).
// A feature that is zero in every sample and has m_j = 0 has R = 0 and a
// zero gradient forever, so its weight stays exactly 0.
type sagSolver struct {
	*problem
	n, d, k int
	saga    bool
	prox    bool
	eta     float64
	alpha   float64 // L2 strength divided by n
	beta    float64 // L1 strength divided by n

	// wh holds, for a safe feature, the offset form of the stored weights,
	// wh_jk = w_jk + R_jk*ccum - m_j*acum_k, constant between accesses, so
	// that the current stored weight is wh_jk - R_jk*ccum + m_j*acum_k;
	// for an unsafe feature it holds the current stored weight.
	// wr interleaves wh and R per feature, wh_j then R_j, so that the 2K
	// values a step touches for feature j are contiguous.
	wr     []float64 // d*2K
	t      []float64 // K, sum of the gradient memory
	b      []float64 // K intercepts
	mem    []float64 // n*K gradient memory
	seen   []bool
	nSeen  int
	wscale float64

	ccum, pcum float64
	acum       []float64 // K
	a          []float64 // K, this step's a_t

	unsafe   []int32 // features updated at every step
	isUnsafe []bool
	msafe    []float64 // K, sum over safe j of m_j w_jk
	munsafe  []float64 // K, sum over unsafe j of m_j w_jk
	sr       []float64 // K, sum over safe j of m_j R_jk
	sm2      float64   // sum over safe j of m_j^2

	z, delta []float64 // K scratch
	vbuf     []float64 // standardised sparse values of the sample
	ceSum    float64
	sink     int // keeps touchRow's loads alive
}

// touchRow reads one value per cache line of row i of the design and the
// row's gradient memory, to start loading them early.
func touchRow[T uint8 | float64](ds *design, vals []T, i int) int {
	lo, hi := ds.ptr[i], ds.ptr[i+1]
	acc := 0
	for p := lo; p < hi; p += 16 {
		acc += int(ds.col[p])
	}
	for p := lo; p < hi; p += 64 {
		acc += int(vals[p])
	}
	return acc
}

func fitSAG(p *problem) (*result, error) {
	s := newSAG(p)
	if s.ds.v8 != nil {
		return runSAG(s, s.ds.v8)
	}
	return runSAG(s, s.ds.v64)
}

func newSAG(p *problem) *sagSolver {
	ds := p.ds
	n, d, k := ds.n, ds.d, p.k
	s := &sagSolver{problem: p, n: n, d: d, k: k}
	s.saga = p.cf.Solver == SAGA
	s.alpha = p.cf.alpha / float64(n)
	s.beta = p.cf.beta / float64(n)
	s.prox = s.saga && s.beta > 0
	fi := 0.0
	if p.cf.intercept {
		fi = 1
	}
	l := 0.25*(ds.maxSqNorm()+fi) + s.alpha
	if s.saga {
		s.eta = 1 / (2*l + math.Min(2*float64(n)*s.alpha, l))
	} else {
		s.eta = 1 / l
	}
	s.wr = make([]float64, 2*d*k)
	s.t = make([]float64, k)
	s.b = make([]float64, k)
	s.mem = make([]float64, n*k)
	s.seen = make([]bool, n)
	s.wscale = 1
	s.acum = make([]float64, k)
	s.a = make([]float64, k)
	s.msafe = make([]float64, k)
	s.munsafe = make([]float64, k)
	s.sr = make([]float64, k)
	s.z = make([]float64, k)
	s.delta = make([]float64, k)
	maxNNZ := 0
	for i := 0; i < n; i++ {
		maxNNZ = max(maxNNZ, ds.ptr[i+1]-ds.ptr[i])
	}
	s.vbuf = make([]float64, maxNNZ)
	s.isUnsafe = make([]bool, d)
	if s.prox {
		nnz := make([]int, d)
		for _, j := range ds.col {
			nnz[j]++
		}
		for j := 0; j < d; j++ {
			if nnz[j] != 0 || ds.m[j] != 0 {
				s.isUnsafe[j] = true
				s.unsafe = append(s.unsafe, int32(j))
			}
		}
	}
	for j, m := range ds.m {
		if !s.isUnsafe[j] {
			s.sm2 += m * m
		}
	}
	return s
}

func runSAG[T uint8 | float64](s *sagSolver, vals []T) (*result, error) {
	rng := newRand(s.cf.Seed)
	prev := make([]float64, s.d*s.k)
	w := make([]float64, s.d*s.k)
	res := &result{}
	for epoch := 0; epoch < s.cf.maxIter; epoch++ {
		s.ceSum = 0
		next := rng.IntN(s.n)
		for it := 0; it < s.n; it++ {
			i := next
			if it+1 < s.n {
				// Draw the next sample now and touch its row, so that its
				// memory loads overlap with this step.
				next = rng.IntN(s.n)
				s.sink += touchRow(s.ds, vals, next)
			}
			sagStep(s, vals, i)
			if s.wscale < 1e-9 {
				s.sync()
			}
		}
		s.sync()
		res.nIter = epoch + 1
		if err := s.checkFinite(epoch + 1); err != nil {
			return nil, err
		}
		s.weights(w)
		rel, maxChange, maxW := relChange(w, prev)
		if s.cf.Progress != nil {
			s.cf.Progress(Progress{
				Solver: s.cf.Solver, Iter: epoch + 1,
				Loss: s.ceSum / float64(s.n), Objective: math.NaN(),
				RelChange: rel, Elapsed: time.Since(s.start),
			})
		}
		if (maxW != 0 && maxChange/maxW <= s.cf.tol) || (maxW == 0 && maxChange == 0) {
			res.converged = true
			break
		}
	}
	res.w, res.b = w, s.b
	return res, nil
}

func (s *sagSolver) checkFinite(epoch int) error {
	for _, x := range s.wr {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errDiverged(s.cf.Solver, epoch)
		}
	}
	for _, x := range s.b {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errDiverged(s.cf.Solver, epoch)
		}
	}
	return nil
}

// whj returns the K values wh of feature j.
func (s *sagSolver) whj(j int) []float64 { return s.wr[2*j*s.k : 2*j*s.k+s.k] }

// rj returns the K values R of feature j.
func (s *sagSolver) rj(j int) []float64 { return s.wr[2*j*s.k+s.k : 2*j*s.k+2*s.k] }

// weights copies the stored weights (current after sync) to w (d*K).
func (s *sagSolver) weights(w []float64) {
	for j := 0; j < s.d; j++ {
		copy(w[j*s.k:j*s.k+s.k], s.whj(j))
	}
}

func errDiverged(s Solver, epoch int) error {
	return fmt.Errorf("%w (%v, epoch %d): scale the features or lower the step size", ErrDiverged, s, epoch)
}

// sagStep runs one SAG or SAGA step on sample i.
func sagStep[T uint8 | float64](s *sagSolver, vals []T, i int) {
	ds, k := s.ds, s.k
	if !s.seen[i] {
		s.seen[i] = true
		s.nSeen++
	}
	cols, xs := rowEntries(ds, vals, i)

	// Predict with the current weights. mv is the sum of m_j v_j over the
	// sample's safe features: sr and msafe change by delta_k*mv times a
	// scalar below.
	z := s.z[:k]
	clear(z)
	vbuf := s.vbuf[:len(cols)]
	mv := 0.0
	ccum := s.ccum
	acum := s.acum[:k]
	_ = acum[len(z)-1]
	switch {
	case k == 10 && !s.prox:
		mv = predict10(s, vals, cols, xs, vbuf, (*[10]float64)(z))
	case k == 10:
		// With an L1 term every feature of a sample is unsafe: wh holds
		// the current weights.
		for t, j32 := range cols {
			vbuf[t] = float64(xs[t]) * ds.inv[j32]
		}
		asm.Gemv10((*[10]float64)(z), s.wr, 20, cols, vbuf)
	default:
		for t, j32 := range cols {
			j := int(j32)
			wh := s.whj(j)
			wh = wh[:len(z)]
			v := float64(xs[t]) * ds.inv[j]
			vbuf[t] = v
			if s.isUnsafe[j] {
				for kk := range z {
					z[kk] += v * wh[kk]
				}
				continue
			}
			mv += ds.m[j] * v
			r := s.rj(j)
			r = r[:len(z)]
			for kk := range z {
				z[kk] += v * (wh[kk] - r[kk]*ccum)
			}
		}
	}
	for kk := range z {
		z[kk] += mv * acum[kk]
	}
	for kk := range z {
		z[kk] = s.wscale*(z[kk]-s.msafe[kk]-s.munsafe[kk]) + s.b[kk]
	}
	yi := s.y[i]
	zy := z[yi]
	s.ceSum += softmaxInPlace(z) - zy
	g := z // probabilities
	g[yi] -= 1
	mem := s.mem[i*k : i*k+k]
	delta := s.delta[:k]
	for kk := range delta {
		delta[kk] = g[kk] - mem[kk]
	}

	s.wscale *= 1 - s.eta*s.alpha
	fs := float64(s.nSeen)
	e := 0.0
	if s.saga {
		e = s.eta * (1 - 1/fs) / s.wscale
	}
	// R += delta v^T keeps the current weights of safe features unchanged
	// if wh += (delta v^T)*ccum; SAGA's immediate correction subtracts
	// e*delta*v.
	switch {
	case k == 10 && !s.prox:
		update10(s, cols, vbuf, (*[10]float64)(delta), (ccum - e))
	case k == 10:
		// Every feature of the sample is unsafe (see above).
		asm.SAGUpdate10(s.wr, cols, vbuf, -e, (*[10]float64)(delta))
	default:
		for t, j32 := range cols {
			j := int(j32)
			v := vbuf[t]
			wh := s.whj(j)
			r := s.rj(j)
			wh = wh[:len(delta)]
			r = r[:len(delta)]
			f := (ccum - e) * v
			if s.isUnsafe[j] {
				f = -e * v
			}
			for kk, dl := range delta {
				wh[kk] += f * dl
				r[kk] += v * dl
			}
		}
	}
	if mv != 0 {
		for kk, dl := range delta {
			s.msafe[kk] -= e * mv * dl
			s.sr[kk] += mv * dl
		}
	}
	for kk, dl := range delta {
		s.t[kk] += dl
		if s.cf.intercept {
			s.b[kk] -= s.eta * s.t[kk] / fs
			if s.saga {
				s.b[kk] -= dl * s.eta * (1 - 1/fs)
			}
		}
	}
	copy(mem, g)

	c := s.eta / (s.wscale * fs)
	s.ccum += c
	for kk := range s.a {
		a := c*s.t[kk] + e*delta[kk]
		s.a[kk] = a
		s.acum[kk] += a
		s.msafe[kk] += -c*s.sr[kk] + a*s.sm2
	}
	if !s.prox {
		return
	}
	pstep := s.eta * s.beta / s.wscale
	s.pcum += pstep
	clear(s.munsafe)
	if k == 10 {
		asm.ProxStep10(s.wr, ds.m, s.unsafe, c, pstep, (*[10]float64)(s.a), (*[10]float64)(s.munsafe))
		return
	}
	for _, j32 := range s.unsafe {
		j := int(j32)
		m := ds.m[j]
		w := s.whj(j)
		r := s.rj(j)
		w = w[:len(s.a)]
		r = r[:len(s.a)]
		for kk, a := range s.a {
			x := asm.SoftThreshold(w[kk]-(c*r[kk]-m*a), pstep)
			w[kk] = x
			s.munsafe[kk] += m * x
		}
	}
}

// sync brings every weight up to date, folds wscale into the weights,
// restarts the running sums, and recomputes the per-class sums exactly.
func (s *sagSolver) sync() {
	k := s.k
	for j := 0; j < s.d; j++ {
		if s.isUnsafe[j] {
			continue
		}
		m := s.ds.m[j]
		wh := s.whj(j)
		r := s.rj(j)
		for kk := range wh {
			x := wh[kk] - r[kk]*s.ccum + m*s.acum[kk]
			if s.prox {
				x = asm.SoftThreshold(x, s.pcum)
			}
			wh[kk] = x
		}
	}
	for j := 0; j < s.d; j++ {
		for kk, x := range s.whj(j) {
			s.wr[2*j*k+kk] = x * s.wscale
		}
	}
	s.wscale = 1
	s.ccum, s.pcum = 0, 0
	clear(s.acum)
	clear(s.msafe)
	clear(s.munsafe)
	clear(s.sr)
	for j := 0; j < s.d; j++ {
		m := s.ds.m[j]
		if m == 0 {
			continue
		}
		w := s.whj(j)
		r := s.rj(j)
		if s.isUnsafe[j] {
			for kk := range w {
				s.munsafe[kk] += m * w[kk]
			}
			continue
		}
		for kk := range w {
			s.msafe[kk] += m * w[kk]
			s.sr[kk] += m * r[kk]
		}
	}
}

// predict10 is the prediction loop of sagStep for K = 10 without unsafe
// features: it stores in z the sum over the sample's features of
// v*(wh - ccum*R), the standardised values v in vbuf, and returns
// sum_j m_j v_j. The assembly version does not check bounds (the design's
// columns are below d and wr has d*20 values).
func predict10[T uint8 | float64](s *sagSolver, vals []T, cols []int32, xs []T, vbuf []float64, z *[10]float64) float64 {
	ds := s.ds
	c := s.ccum
	mv := 0.0
	inv, m := ds.inv, ds.m
	vbuf = vbuf[:len(cols)]
	xs = xs[:len(cols)]
	for t, j32 := range cols {
		j := int(j32)
		v := float64(xs[t]) * inv[j]
		vbuf[t] = v
		mv += m[j] * v
	}
	if len(cols) == 0 {
		*z = [10]float64{}
		return 0
	}
	asm.SAGPredict10(z, s.wr, cols, vbuf, c)
	return mv
}

// update10 is the update loop of sagStep for K = 10 without unsafe
// features: wh += f*v*delta and R += v*delta.
func update10(s *sagSolver, cols []int32, vbuf []float64, delta *[10]float64, f float64) {
	if len(cols) == 0 {
		return
	}
	asm.SAGUpdate10(s.wr, cols, vbuf, f, delta)
}
