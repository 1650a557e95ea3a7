package preprocess

import (
	"slices"
	"testing"
)

func TestTrainTestSplit(t *testing.T) {
	t.Parallel()
	for _, test := range loadGolden(t).Split {
		train, test2, err := TrainTestSplit(test.N, test.TrainSize, test.TestSize, test.Seed)
		if err != nil {
			t.Errorf("n=%d train=%d test=%d seed=%d: %v", test.N, test.TrainSize, test.TestSize, test.Seed, err)
			continue
		}
		if test.ShuffledWithSeed {
			// train_test_split(np.arange(n)[perm0], ...) returns the
			// original row numbers: map positions through perm0.
			perm0 := NewRandomState(0).Permutation(test.N)
			for i, k := range train {
				train[i] = perm0[k]
			}
			for i, k := range test2 {
				test2[i] = perm0[k]
			}
		}
		if len(train) != test.TrainSize || len(test2) != test.TestSize {
			t.Errorf("n=%d seed=%d: got %d train and %d test rows, want %d and %d",
				test.N, test.Seed, len(train), len(test2), test.TrainSize, test.TestSize)
			continue
		}
		for _, c := range []struct {
			what      string
			got, want []int
		}{
			{"train head", train[:min(10, len(train))], test.TrainHead},
			{"train tail", train[max(0, len(train)-10):], test.TrainTail},
			{"test head", test2[:min(10, len(test2))], test.TestHead},
			{"test tail", test2[max(0, len(test2)-10):], test.TestTail},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("n=%d seed=%d shuffled=%t %s: got %v, want %v",
					test.N, test.Seed, test.ShuffledWithSeed, c.what, c.got, c.want)
			}
		}
		if c := checksum(train); c != test.TrainChecksum {
			t.Errorf("n=%d seed=%d shuffled=%t: train checksum %d, want %d", test.N, test.Seed, test.ShuffledWithSeed, c, test.TrainChecksum)
		}
		if c := checksum(test2); c != test.TestChecksum {
			t.Errorf("n=%d seed=%d shuffled=%t: test checksum %d, want %d", test.N, test.Seed, test.ShuffledWithSeed, c, test.TestChecksum)
		}
	}
}

func TestTrainTestSplitNotebook(t *testing.T) {
	t.Parallel()
	// The port's protocol on the 70000 MNIST rows: shuffle with seed 0, split
	// 50000/10000 with SplitSeed. scikit-learn 1.2.1,
	// train_test_split(np.arange(70000)[perm0], train_size=50000,
	// test_size=10000, random_state=0), selects these original rows.
	perm0 := NewRandomState(0).Permutation(70000)
	train, test, err := TrainTestSplit(70000, 50000, 10000, SplitSeed)
	if err != nil {
		t.Fatal(err)
	}
	g := loadGolden(t).Split[0]
	if g.N != 70000 || g.TrainSize != 50000 || g.TestSize != 10000 || g.Seed != SplitSeed || !g.ShuffledWithSeed {
		t.Fatalf("golden split[0] is not the notebook protocol: %+v", g)
	}
	rows := func(idx []int) []int {
		out := make([]int, len(idx))
		for i, k := range idx {
			out[i] = perm0[k]
		}
		return out
	}
	trainRows, testRows := rows(train), rows(test)
	if !slices.Equal(trainRows[:10], g.TrainHead) || !slices.Equal(testRows[:10], g.TestHead) ||
		!slices.Equal(trainRows[len(trainRows)-10:], g.TrainTail) || !slices.Equal(testRows[len(testRows)-10:], g.TestTail) {
		t.Errorf("notebook split rows differ from scikit-learn's")
	}
	seen := make([]bool, 70000)
	for _, r := range append(trainRows, testRows...) {
		if seen[r] {
			t.Fatalf("row %d selected twice", r)
		}
		seen[r] = true
	}
}

func TestTrainTestSplitErrors(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		n, train, test int
		want           string
	}{
		{0, 1, 1, "preprocess: n=0 must be positive"},
		{-5, 1, 1, "preprocess: n=-5 must be positive"},
		{10, 0, 1, "preprocess: trainSize=0 must be positive"},
		{10, -1, 1, "preprocess: trainSize=-1 must be positive"},
		{10, 1, 0, "preprocess: testSize=0 must be positive"},
		{10, 1, -3, "preprocess: testSize=-3 must be positive"},
		{10, 10, 1, "preprocess: trainSize=10 plus testSize=1 exceeds n=10"},
		{10, 1, 10, "preprocess: trainSize=1 plus testSize=10 exceeds n=10"},
		{70000, 60001, 10000, "preprocess: trainSize=60001 plus testSize=10000 exceeds n=70000"},
	} {
		train, tst, err := TrainTestSplit(test.n, test.train, test.test, 0)
		if err == nil || err.Error() != test.want {
			t.Errorf("TrainTestSplit(%d, %d, %d): error %v, want %q", test.n, test.train, test.test, err, test.want)
		}
		if train != nil || tst != nil {
			t.Errorf("TrainTestSplit(%d, %d, %d): non-nil indices with an error", test.n, test.train, test.test)
		}
	}

	// The whole set may be used: trainSize+testSize == n.
	train, test, err := TrainTestSplit(10, 7, 3, 0)
	if err != nil || len(train) != 7 || len(test) != 3 {
		t.Errorf("TrainTestSplit(10, 7, 3): %v %v %v", train, test, err)
	}
}
