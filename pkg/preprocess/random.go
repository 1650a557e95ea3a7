package preprocess

import "math/rand/v2"

// MT19937 parameters (Matsumoto and Nishimura 1998).
const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// RandomState is numpy's legacy random number generator
// numpy.random.RandomState: the 32-bit Mersenne Twister MT19937 (Matsumoto
// and Nishimura, "Mersenne Twister: a 623-dimensionally equidistributed
// uniform pseudo-random number generator", ACM TOMACS 8(1), 1998) together
// with the ways numpy turns its output into floats, bounded integers and
// permutations. For the same integer seed every method returns exactly what
// numpy returns.
//
// The zero value is a RandomState seeded with 0. A RandomState is not safe
// for concurrent use. *RandomState implements math/rand/v2.Source through
// Uint64, but only its own methods reproduce numpy: the methods of a
// math/rand/v2.Rand built on it use Go's algorithms, not numpy's.
type RandomState struct {
	key    [mtN]uint32
	pos    int  // index of the next output in key; mtN means regenerate
	seeded bool // false for the zero value until the first draw seeds it with 0
}

var _ rand.Source = (*RandomState)(nil)

// NewRandomState returns a generator seeded as numpy.random.RandomState(seed)
// is for an integer seed in [0, 2^32-1].
func NewRandomState(seed uint32) *RandomState {
	r := &RandomState{}
	r.Seed(seed)
	return r
}

// Seed resets r to the state of numpy.random.RandomState(seed): MT19937's
// init_genrand, key[0] = seed and
// key[i] = 1812433253*(key[i-1] ^ (key[i-1] >> 30)) + i (mod 2^32)
// for i = 1..623. The first draw then regenerates the whole state.
func (r *RandomState) Seed(seed uint32) {
	r.key[0] = seed
	for i := 1; i < mtN; i++ {
		prev := r.key[i-1]
		r.key[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	r.pos = mtN
	r.seeded = true
}

// generate refills the state with the next 624 words (MT19937's genrand).
func (r *RandomState) generate() {
	k := &r.key
	var i int
	for ; i < mtN-mtM; i++ {
		y := (k[i] & mtUpperMask) | (k[i+1] & mtLowerMask)
		k[i] = k[i+mtM] ^ (y >> 1) ^ (-(y & 1) & mtMatrixA)
	}
	for ; i < mtN-1; i++ {
		y := (k[i] & mtUpperMask) | (k[i+1] & mtLowerMask)
		k[i] = k[i+mtM-mtN] ^ (y >> 1) ^ (-(y & 1) & mtMatrixA)
	}
	y := (k[mtN-1] & mtUpperMask) | (k[0] & mtLowerMask)
	k[mtN-1] = k[mtM-1] ^ (y >> 1) ^ (-(y & 1) & mtMatrixA)
	r.pos = 0
}

// Uint32 returns the next tempered 32-bit output of MT19937, numpy's
// next_uint32, one value of RandomState.randint(0, 2**32, dtype=numpy.uint64).
func (r *RandomState) Uint32() uint32 {
	if r.pos >= mtN || !r.seeded {
		if !r.seeded {
			r.Seed(0)
		}
		r.generate()
	}
	y := r.key[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Uint64 returns a 64-bit value built from two 32-bit outputs, the first one
// in the high half, as numpy's mt19937_next64 does.
func (r *RandomState) Uint64() uint64 {
	hi := uint64(r.Uint32())
	return hi<<32 | uint64(r.Uint32())
}

// Float64 returns a float64 in [0, 1) with 53 random bits, MT19937's
// genrand_res53, which is what numpy's RandomState.random_sample returns.
// It consumes two 32-bit outputs.
func (r *RandomState) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}

// RandomInterval returns a uniform integer in [0, max], numpy's
// random_interval: with mask the smallest number of the form 2^k-1 that is
// at least max, it draws v = next & mask until v <= max, each rejection
// consuming a draw. The draws are 32-bit when max <= 2^32-1 and 64-bit (see
// Uint64) otherwise. RandomInterval(0) returns 0 without consuming a draw.
func (r *RandomState) RandomInterval(max uint64) uint64 {
	if max == 0 {
		return 0
	}
	mask := max
	mask |= mask >> 1
	mask |= mask >> 2
	mask |= mask >> 4
	mask |= mask >> 8
	mask |= mask >> 16
	mask |= mask >> 32
	if max <= 0xffffffff {
		m32 := uint32(mask)
		for {
			if v := r.Uint32() & m32; uint64(v) <= max {
				return uint64(v)
			}
		}
	}
	for {
		if v := r.Uint64() & mask; v <= max {
			return v
		}
	}
}

// Shuffle permutes n elements in numpy's legacy order: for i = n-1 down to
// 1 it calls swap(i, j) with j = RandomInterval(i). Applied to a slice, it
// gives the result of numpy's RandomState.shuffle on a one-dimensional array.
// It panics if n < 0.
func (r *RandomState) Shuffle(n int, swap func(i, j int)) {
	if n < 0 {
		panic("preprocess: negative shuffle length")
	}
	for i := n - 1; i > 0; i-- {
		swap(i, int(r.RandomInterval(uint64(i))))
	}
}

// Permutation returns a random permutation of 0..n-1, bit-exact with
// numpy.random.RandomState(seed).permutation(n) for the generator's seed:
// it shuffles 0..n-1 with Shuffle. It costs O(n) time and fewer than 2n
// 32-bit draws on average. Permutation(0) returns an empty slice. It panics
// if n < 0.
func (r *RandomState) Permutation(n int) []int {
	if n < 0 {
		panic("preprocess: negative permutation length")
	}
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}
