package preprocess

import (
	"slices"
	"strconv"
	"testing"
)

func TestUint32(t *testing.T) {
	t.Parallel()
	// REFERENCE.md §3: the first outputs of numpy.random.RandomState(0).
	r := NewRandomState(0)
	for i, want := range []uint32{2357136044, 2546248239, 3071714933, 3626093760, 2588848963} {
		if got := r.Uint32(); got != want {
			t.Errorf("seed 0 output %d: got %d, want %d", i, got, want)
		}
	}

	for _, test := range loadGolden(t).Uint32 {
		r := NewRandomState(test.Seed)
		got := make([]int, 1300)
		for i := range got {
			got[i] = int(r.Uint32())
		}
		for i, want := range test.Head {
			if got[i] != int(want) {
				t.Errorf("seed %d output %d: got %d, want %d", test.Seed, i, got[i], want)
			}
		}
		for k, want := range test.At {
			i, err := strconv.Atoi(k)
			if err != nil {
				t.Fatal(err)
			}
			if got[i] != int(want) {
				t.Errorf("seed %d output %d: got %d, want %d", test.Seed, i, got[i], want)
			}
		}
		if c := checksum(got); c != test.Checksum {
			t.Errorf("seed %d: checksum of 1300 outputs %d, want %d", test.Seed, c, test.Checksum)
		}
	}
}

func TestSeedState(t *testing.T) {
	t.Parallel()
	// numpy.random.RandomState(seed).get_state()[1]: the key after init_genrand.
	for _, test := range loadGolden(t).State {
		r := NewRandomState(test.Seed)
		if !slices.Equal(r.key[:len(test.KeyHead)], test.KeyHead) || r.key[mtN-1] != test.KeyLast {
			t.Errorf("seed %d: key starts %v ends %d, want %v ... %d",
				test.Seed, r.key[:4], r.key[mtN-1], test.KeyHead, test.KeyLast)
		}
	}
}

func TestZeroValueIsSeedZero(t *testing.T) {
	t.Parallel()
	var zero RandomState
	seeded := NewRandomState(0)
	for i := range 2000 {
		if a, b := zero.Uint32(), seeded.Uint32(); a != b {
			t.Fatalf("output %d: zero value gave %d, RandomState(0) gave %d", i, a, b)
		}
	}
}

func TestReseed(t *testing.T) {
	t.Parallel()
	r := NewRandomState(5)
	for range 1000 {
		r.Uint32()
	}
	r.Seed(0)
	if got := r.Permutation(10); !slices.Equal(got, []int{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}) {
		t.Errorf("after Seed(0): Permutation(10) = %v", got)
	}
}

func TestUint64(t *testing.T) {
	t.Parallel()
	g := loadGolden(t).Uint64
	r := NewRandomState(g.Seed)
	for i, want := range g.Values {
		if got := r.Uint64(); got != want {
			t.Errorf("output %d: got %d, want %d", i, got, want)
		}
	}
}

func TestFloat64(t *testing.T) {
	t.Parallel()
	for _, test := range loadGolden(t).Float64 {
		r := NewRandomState(test.Seed)
		for i, want := range test.Values {
			// random_sample is exact: compare bits.
			if got := r.Float64(); got != want {
				t.Errorf("seed %d output %d: got %v, want %v", test.Seed, i, got, want)
			}
		}
	}
}

func TestRandomInterval(t *testing.T) {
	t.Parallel()
	for _, test := range loadGolden(t).RandomInterval {
		r := NewRandomState(test.Seed)
		for i, want := range test.Values {
			if got := r.RandomInterval(test.Max); got != want {
				t.Errorf("seed %d max %d draw %d: got %d, want %d", test.Seed, test.Max, i, got, want)
			}
		}
	}

	// RandomInterval(0) consumes no draw.
	r := NewRandomState(0)
	if v := r.RandomInterval(0); v != 0 {
		t.Errorf("RandomInterval(0) = %d", v)
	}
	if v := r.Uint32(); v != 2357136044 {
		t.Errorf("RandomInterval(0) consumed a draw: next output %d", v)
	}
}

func TestPermutation(t *testing.T) {
	t.Parallel()
	// REFERENCE.md §3.
	for _, test := range []struct {
		seed uint32
		n    int
		head []int
	}{
		{0, 10, []int{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}},
		{0, 70000, []int{10840, 56267, 14849, 62726, 47180, 61640, 52730, 21847, 20394, 45806}},
	} {
		got := NewRandomState(test.seed).Permutation(test.n)
		if !slices.Equal(got[:len(test.head)], test.head) {
			t.Errorf("seed %d n %d: head %v, want %v", test.seed, test.n, got[:len(test.head)], test.head)
		}
	}

	for _, test := range loadGolden(t).Permutation {
		got := NewRandomState(test.Seed).Permutation(test.N)
		if len(got) != test.N {
			t.Errorf("seed %d n %d: length %d", test.Seed, test.N, len(got))
			continue
		}
		if test.Full != nil && !slices.Equal(got, test.Full) {
			t.Errorf("seed %d n %d: got %v, want %v", test.Seed, test.N, got, test.Full)
		}
		if !slices.Equal(got[:min(10, test.N)], test.Head) {
			t.Errorf("seed %d n %d: head %v, want %v", test.Seed, test.N, got[:min(10, test.N)], test.Head)
		}
		if !slices.Equal(got[max(0, test.N-10):], test.Tail) {
			t.Errorf("seed %d n %d: tail %v, want %v", test.Seed, test.N, got[max(0, test.N-10):], test.Tail)
		}
		if c := checksum(got); c != test.Checksum {
			t.Errorf("seed %d n %d: checksum %d, want %d", test.Seed, test.N, c, test.Checksum)
		}
		sorted := slices.Clone(got)
		slices.Sort(sorted)
		for i, v := range sorted {
			if v != i {
				t.Errorf("seed %d n %d: not a permutation of 0..n-1", test.Seed, test.N)
				break
			}
		}
	}
}

func TestShuffleMatchesPermutation(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2, 10, 1000} {
		a := make([]int, n)
		for i := range a {
			a[i] = i
		}
		NewRandomState(42).Shuffle(n, func(i, j int) { a[i], a[j] = a[j], a[i] })
		if want := NewRandomState(42).Permutation(n); !slices.Equal(a, want) {
			t.Errorf("n %d: Shuffle gave %v, Permutation %v", n, a, want)
		}
	}
}

func TestRandomPanics(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name string
		f    func()
		want string
	}{
		{"Permutation(-1)", func() { NewRandomState(0).Permutation(-1) }, "preprocess: negative permutation length"},
		{"Shuffle(-1)", func() { NewRandomState(0).Shuffle(-1, func(i, j int) {}) }, "preprocess: negative shuffle length"},
	} {
		assertPanics(t, test.name, test.want, test.f)
	}
}

// assertPanics checks that f panics with the message want.
func assertPanics(t *testing.T, name, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("%s: did not panic", name)
			return
		}
		if msg, _ := r.(string); msg != want {
			t.Errorf("%s: panicked with %q, want %q", name, r, want)
		}
	}()
	f()
}

func BenchmarkPermutation70000(b *testing.B) {
	for b.Loop() {
		NewRandomState(0).Permutation(70000)
	}
}
