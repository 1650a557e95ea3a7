package preprocess

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
)

// golden holds testdata/numpy_golden.json, written by testdata/gen_numpy.py
// with numpy 1.24.2 and scikit-learn 1.2.1 (Debian 12).
type golden struct {
	Uint32 []struct {
		Seed     uint32
		Head     []uint32
		At       map[string]uint32
		Checksum int64
	}
	State []struct {
		Seed    uint32
		KeyHead []uint32 `json:"key_head"`
		KeyLast uint32   `json:"key_last"`
	}
	Uint64 struct {
		Seed   uint32
		Values []uint64
	}
	Float64 []struct {
		Seed   uint32
		Values []float64
	}
	RandomInterval []struct {
		Seed   uint32
		Max    uint64
		Values []uint64
	} `json:"random_interval"`
	Permutation []struct {
		Seed     uint32
		N        int
		Head     []int
		Tail     []int
		Full     []int
		Checksum int64
	}
	Split []struct {
		N                int
		TrainSize        int `json:"train_size"`
		TestSize         int `json:"test_size"`
		Seed             uint32
		ShuffledWithSeed bool  `json:"shuffled_with_seed0"`
		TrainHead        []int `json:"train_head"`
		TrainTail        []int `json:"train_tail"`
		TestHead         []int `json:"test_head"`
		TestTail         []int `json:"test_tail"`
		TrainChecksum    int64 `json:"train_checksum"`
		TestChecksum     int64 `json:"test_checksum"`
	}
	Scaler []struct {
		Name       string
		Rows, Cols int
		X          []float64
		Mean       []float64
		Var        []float64
		Scale      []float64
		NSamples   int       `json:"n_samples"`
		ExactMean  []float64 `json:"exact_mean"`
		ExactVar   []float64 `json:"exact_var"`
		Transform  []float64
	}
	Pixels struct {
		Rows, Features int
		Pix            []uint8
		Mean           []float64
		Var            []float64
		Scale          []float64
		ExactVar       []float64 `json:"exact_var"`
		Transform      []float64
	}
}

var (
	goldenOnce sync.Once
	goldenData golden
	goldenErr  error
)

// loadGolden returns the decoded golden file, failing the test if it cannot
// be read.
func loadGolden(t testing.TB) *golden {
	t.Helper()
	goldenOnce.Do(func() {
		b, err := os.ReadFile("testdata/numpy_golden.json")
		if err != nil {
			goldenErr = err
			return
		}
		goldenErr = json.Unmarshal(b, &goldenData)
	})
	if goldenErr != nil {
		t.Fatalf("reading golden file: %v", goldenErr)
	}
	g := &goldenData
	if len(g.Uint32) == 0 || len(g.State) == 0 || len(g.Uint64.Values) == 0 || len(g.Float64) == 0 ||
		len(g.RandomInterval) == 0 || len(g.Permutation) == 0 || len(g.Split) == 0 ||
		len(g.Scaler) == 0 || len(g.Pixels.Pix) == 0 {
		t.Fatal("golden file has an empty section")
	}
	return g
}

// checksum is sum(i * a[i]), as gen_numpy.py computes it.
func checksum(a []int) int64 {
	var s int64
	for i, v := range a {
		s += int64(i) * int64(v)
	}
	return s
}
