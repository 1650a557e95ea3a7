package kernel

import (
	"math"
	"math/rand/v2"

	"github.com/mlphys/softmax-mnist/pkg/softmax/internal/asm"
)

// SAG is the state of scikit-learn's sag_fast (Schmidt, Le Roux and Bach
// 2013, "Minimizing finite sums with the stochastic average gradient";
// Defazio, Bach and Lacoste-Julien 2014, "SAGA") on the rows of a design,
// for the objective divided by n*C:
//
//	(1/n) sum_i CE_i + 0.5*alpha*||W||^2 + beta*||W||_1,  alpha = (1/C)(1-r)/n, beta = (1/C) r/n.
//
// The gradient memory of sample i is the K-vector g_i = p_i - y_i (its
// gradient is g_i x_i^T); S = sum over samples seen of g_i x_i^T and T =
// sum g_i. A step on sample i with m distinct samples seen so far and step
// size eta is, on the true weights,
//
//	W <- (1 - eta*alpha) W
//	SAGA: W <- W - eta (1 - 1/m) (g_new - g_old) x_i^T
//	S <- S + (g_new - g_old) x_i^T
//	W <- prox_{eta*beta}(W - (eta/m) S)
//	b <- b - eta T/m (SAGA: also - eta (1 - 1/m)(g_new - g_old))
//
// with eta = 1/L (SAG) or 1/(2L + min(2 n alpha, L)) (SAGA), L = 0.25*(max_i
// ||x_i||^2 + fit_intercept) + alpha.
//
// The steps are lazy ("just in time"), so that a step costs O(nnz_i K)
// rather than O(d K). The weights are stored as w with W = wscale*w (the
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
type SAG struct {
	ds        *Design
	y         []int
	n, d, k   int
	saga      bool
	prox      bool
	intercept bool
	eta       float64
	alpha     float64 // L2 strength divided by n
	beta      float64 // L1 strength divided by n

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

// SAGSettings are the parameters of SAG and SAGA: the L2 and L1 strengths
// of the objective divided by C (alpha = (1-r)/C, beta = r/C with r the
// elastic-net ratio), whether the step is SAGA's, and whether the
// intercepts are fitted.
type SAGSettings struct {
	Alpha, Beta float64
	SAGA        bool
	Intercept   bool
}

// NewSAG returns the state at W = 0, b = 0 for the rows of ds with class
// indices y in [0, k). It costs O(nnz + n K + d K) time and memory (the
// gradient memory is n*K).
func NewSAG(ds *Design, y []int, k int, set SAGSettings) *SAG {
	n, d := ds.n, ds.d
	s := &SAG{ds: ds, y: y, n: n, d: d, k: k, saga: set.SAGA, intercept: set.Intercept}
	s.alpha = set.Alpha / float64(n)
	s.beta = set.Beta / float64(n)
	s.prox = s.saga && s.beta > 0
	fi := 0.0
	if s.intercept {
		fi = 1
	}
	l := 0.25*(ds.maxSqNorm()+fi) + s.alpha
	if s.saga {
		s.eta = 1 / (2*l + math.Min(2*float64(n)*s.alpha, l))
	} else {
		s.eta = 1 / l
	}
	s.wr = make([]float64, 2*d*k)
	s.mem = make([]float64, n*k)
	s.seen = make([]bool, n)
	s.wscale = 1
	for _, v := range []*[]float64{&s.t, &s.b, &s.acum, &s.a, &s.msafe, &s.munsafe, &s.sr, &s.z, &s.delta} {
		*v = make([]float64, k)
	}
	maxNNZ := 0
	for i := 0; i < n; i++ {
		maxNNZ = max(maxNNZ, ds.ptr[i+1]-ds.ptr[i])
	}
	s.vbuf = make([]float64, maxNNZ)
	s.isUnsafe = make([]bool, d)
	if s.prox {
		for j, used := range ds.Used() {
			if used {
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

// Epoch runs n steps on samples drawn uniformly with replacement by
// rng.IntN(n), as scikit-learn's sag_fast, and returns sum CE_i over the
// samples drawn, each evaluated when it was drawn. The weights are current
// afterwards (Weights, Intercepts). Cost O(nnz K) plus O(d K) per
// rescaling of the L2 decay (when it falls below 1e-9, and at the end).
func (s *SAG) Epoch(rng *rand.Rand) float64 {
	if s.ds.v8 != nil {
		return epoch(s, s.ds.v8, rng)
	}
	return epoch(s, s.ds.v64, rng)
}

func epoch[T uint8 | float64](s *SAG, vals []T, rng *rand.Rand) float64 {
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
		step(s, vals, i)
		if s.wscale < 1e-9 {
			s.sync()
		}
	}
	s.sync()
	return s.ceSum
}

// touchRow reads one value per cache line of row i of the design and the
// row's gradient memory, to start loading them early.
func touchRow[T uint8 | float64](ds *Design, vals []T, i int) int {
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

// Finite reports whether every stored weight and intercept is finite.
func (s *SAG) Finite() bool {
	for _, x := range s.wr {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	for _, x := range s.b {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// whj returns the K values wh of feature j.
func (s *SAG) whj(j int) []float64 { return s.wr[2*j*s.k : 2*j*s.k+s.k] }

// rj returns the K values R of feature j.
func (s *SAG) rj(j int) []float64 { return s.wr[2*j*s.k+s.k : 2*j*s.k+2*s.k] }

// Weights copies the weights after Epoch to w (d*K, feature-major).
func (s *SAG) Weights(w []float64) {
	for j := 0; j < s.d; j++ {
		copy(w[j*s.k:j*s.k+s.k], s.whj(j))
	}
}

// Intercepts returns the intercepts (K; zeros without an intercept). The
// slice is the state's own.
func (s *SAG) Intercepts() []float64 { return s.b }

// step runs one SAG or SAGA step on sample i.
func step[T uint8 | float64](s *SAG, vals []T, i int) {
	k := s.k
	if !s.seen[i] {
		s.seen[i] = true
		s.nSeen++
	}
	cols, xs := rowEntries(s.ds, vals, i)
	vbuf := s.vbuf[:len(cols)]
	z := s.z[:k]
	mv := predict(s, cols, xs, vbuf, z)
	yi := s.y[i]
	zy := z[yi]
	s.ceSum += Softmax(z) - zy
	g := z // probabilities
	g[yi] -= 1
	mem := s.mem[i*k : i*k+k]
	delta := s.delta[:k]
	for kk := range delta {
		delta[kk] = g[kk] - mem[kk]
	}
	ccum := s.ccum
	s.wscale *= 1 - s.eta*s.alpha
	fs := float64(s.nSeen)
	e := 0.0
	if s.saga {
		e = s.eta * (1 - 1/fs) / s.wscale
	}
	s.update(cols, vbuf, delta, ccum, e, mv)
	s.intercepts(delta, fs)
	copy(mem, g)
	c := s.eta / (s.wscale * fs)
	s.ccum += c
	for kk := range s.a {
		a := c*s.t[kk] + e*delta[kk]
		s.a[kk] = a
		s.acum[kk] += a
		s.msafe[kk] += -c*s.sr[kk] + a*s.sm2
	}
	if s.prox {
		s.proximal(c)
	}
}

// predict stores in z the logits of the sample with entries (cols, xs)
// at the current weights, the standardised values of its entries in vbuf,
// and returns mv = sum_j m_j v_j over its safe features (sr and msafe
// change by delta_k*mv times a scalar in update).
func predict[T uint8 | float64](s *SAG, cols []int32, xs []T, vbuf, z []float64) float64 {
	ds, k := s.ds, s.k
	xs = xs[:len(cols)]
	mv := 0.0
	switch {
	case k == 10 && !s.prox:
		for t, j := range cols {
			v := float64(xs[t]) * ds.inv[j]
			vbuf[t] = v
			mv += ds.m[j] * v
		}
		if len(cols) == 0 {
			clear(z)
		} else {
			asm.SAGPredict10((*[10]float64)(z), s.wr, cols, vbuf, s.ccum)
		}
	case k == 10:
		// With an L1 term every feature of a sample is unsafe: wh holds
		// the current weights.
		for t, j := range cols {
			vbuf[t] = float64(xs[t]) * ds.inv[j]
		}
		clear(z)
		asm.Gemv10((*[10]float64)(z), s.wr, 20, cols, vbuf)
	default:
		clear(z)
		mv = predictK(s, cols, xs, vbuf, z)
	}
	acum := s.acum[:len(z)]
	for kk := range z {
		z[kk] += mv * acum[kk]
	}
	for kk := range z {
		z[kk] = s.wscale*(z[kk]-s.msafe[kk]-s.munsafe[kk]) + s.b[kk]
	}
	return mv
}

// predictK adds to z the sum over the entries of predict for any K and
// returns mv.
func predictK[T uint8 | float64](s *SAG, cols []int32, xs []T, vbuf, z []float64) float64 {
	ds := s.ds
	mv := 0.0
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
			z[kk] += v * (wh[kk] - r[kk]*s.ccum)
		}
	}
	return mv
}

// update adds delta v^T to R for the entries (cols, vbuf) of the sample,
// and to wh (delta v^T)*ccum, which keeps the current weights of safe
// features unchanged, minus SAGA's immediate correction e*delta*v; then it
// advances msafe and sr by the sample's safe part mv.
func (s *SAG) update(cols []int32, vbuf, delta []float64, ccum, e, mv float64) {
	switch {
	case s.k == 10 && !s.prox:
		asm.SAGUpdate10(s.wr, cols, vbuf, ccum-e, (*[10]float64)(delta))
	case s.k == 10:
		// Every feature of the sample is unsafe (see predict).
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
}

// intercepts adds delta to T and takes the intercepts' step, with fs
// samples seen.
func (s *SAG) intercepts(delta []float64, fs float64) {
	for kk, dl := range delta {
		s.t[kk] += dl
		if s.intercept {
			s.b[kk] -= s.eta * s.t[kk] / fs
			if s.saga {
				s.b[kk] -= dl * s.eta * (1 - 1/fs)
			}
		}
	}
}

// proximal applies the L1 proximal step to every unsafe feature, with c
// the step's c_t, and recomputes munsafe.
func (s *SAG) proximal(c float64) {
	pstep := s.eta * s.beta / s.wscale
	s.pcum += pstep
	clear(s.munsafe)
	if s.k == 10 {
		asm.ProxStep10(s.wr, s.ds.m, s.unsafe, c, pstep, (*[10]float64)(s.a), (*[10]float64)(s.munsafe))
		return
	}
	for _, j32 := range s.unsafe {
		j := int(j32)
		m := s.ds.m[j]
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
func (s *SAG) sync() {
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
