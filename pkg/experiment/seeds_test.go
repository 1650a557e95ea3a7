package experiment

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// numpySeeds is testdata/numpy_seeds.json, written by testdata/gen_numpy.py
// with numpy's RandomState and scikit-learn's train_test_split on a data set
// of N rows that hold their row numbers.
type numpySeeds struct {
	N         int `json:"n"`
	TrainSize int `json:"train_size"`
	TestSize  int `json:"test_size"`
	SplitSeed int `json:"split_seed"`
	Prepare   []struct {
		ShuffleSeed uint32 `json:"shuffle_seed"`
		TrainRows   []int  `json:"train_rows"`
		TestRows    []int  `json:"test_rows"`
	} `json:"prepare"`
	Subsample []struct {
		ShuffleSeed uint32 `json:"shuffle_seed"`
		Seed        uint32 `json:"seed"`
		Size        int    `json:"size"`
		TrainRows   []int  `json:"train_rows"`
	} `json:"subsample"`
}

func readNumpySeeds(t *testing.T) *numpySeeds {
	t.Helper()
	b, err := os.ReadFile("testdata/numpy_seeds.json")
	if err != nil {
		t.Fatal(err)
	}
	var g numpySeeds
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Prepare) < 2 || len(g.Subsample) < 2 {
		t.Fatalf("numpy_seeds.json: %d prepare and %d subsample cases, want at least 2 each", len(g.Prepare), len(g.Subsample))
	}
	return &g
}

// prepare returns the split of the golden file's synthetic data set with
// the shuffle seed.
func (g *numpySeeds) prepare(t *testing.T, shuffleSeed uint32) *Split {
	t.Helper()
	sp, err := PrepareSet(synthetic(g.N), &Settings{
		TrainSize: g.TrainSize, TestSize: g.TestSize,
		ShuffleSeed: shuffleSeed, SplitSeed: uint32(g.SplitSeed),
	})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// rowOf returns the row number that synthetic stored in image i of s.
func rowOf(s *mnist.Set, i int) int { return int(s.Image(i)[0]) | int(s.Image(i)[1])<<8 }

// TestShuffleSeedMatchesNumpy checks that Settings.ShuffleSeed reaches the
// shuffle: for a second seed the rows are numpy's
// RandomState(seed).permutation followed by scikit-learn's split, and they
// differ from seed 0's.
func TestShuffleSeedMatchesNumpy(t *testing.T) {
	g := readNumpySeeds(t)
	var rows [][]int
	for _, c := range g.Prepare {
		sp := g.prepare(t, c.ShuffleSeed)
		if !slices.Equal(sp.TrainRows, c.TrainRows) {
			t.Errorf("ShuffleSeed %d: training rows %v..., numpy %v...", c.ShuffleSeed, sp.TrainRows[:8], c.TrainRows[:8])
		}
		if !slices.Equal(sp.TestRows, c.TestRows) {
			t.Errorf("ShuffleSeed %d: test rows %v..., numpy %v...", c.ShuffleSeed, sp.TestRows[:8], c.TestRows[:8])
		}
		for i, r := range sp.TrainRows {
			if got := rowOf(sp.Train, i); got != r {
				t.Fatalf("ShuffleSeed %d: training image %d holds row %d, TrainRows says %d", c.ShuffleSeed, i, got, r)
			}
		}
		rows = append(rows, sp.TrainRows)
	}
	if slices.Equal(rows[0], rows[1]) {
		t.Errorf("ShuffleSeed %d and %d select the same training rows", g.Prepare[0].ShuffleSeed, g.Prepare[1].ShuffleSeed)
	}
}

// TestSubsampleSeedMatchesNumpy checks that Subsample's seed reaches the
// draw: the rows are the first size of numpy's
// RandomState(seed).permutation of the training rows, and two seeds give
// two different subsamples (exercise 3's error bars come from them).
func TestSubsampleSeedMatchesNumpy(t *testing.T) {
	g := readNumpySeeds(t)
	var rows [][]int
	for _, c := range g.Subsample {
		sub, err := g.prepare(t, c.ShuffleSeed).Subsample(c.Size, c.Seed)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sub.TrainRows, c.TrainRows) {
			t.Errorf("Subsample(%d, %d): rows %v, numpy %v", c.Size, c.Seed, sub.TrainRows, c.TrainRows)
		}
		for i, r := range sub.TrainRows {
			if got := rowOf(sub.Train, i); got != r {
				t.Fatalf("Subsample(%d, %d): image %d holds row %d, TrainRows says %d", c.Size, c.Seed, i, got, r)
			}
		}
		rows = append(rows, sub.TrainRows)
	}
	if slices.Equal(rows[0], rows[1]) {
		t.Errorf("Subsample seeds %d and %d draw the same rows", g.Subsample[0].Seed, g.Subsample[1].Seed)
	}
}
