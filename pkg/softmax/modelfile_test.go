package softmax

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

var updateModelFile = flag.Bool("update-model-file", false, "rewrite testdata/model_v1.bin from goldenModel instead of comparing with it")

// goldenModelFile is a model file of format version 1, written by
// MarshalBinary from goldenModel (go test -run TestModelFileGolden
// -update-model-file rewrites it).
const goldenModelFile = "testdata/model_v1.bin"

// goldenModel is the content of goldenModelFile: 3 classes, 4 features,
// every float a value that a wrong byte order, a swapped field or a
// rounding would change (a negative zero, a subnormal, 1/3), and settings
// with distinct values in every field.
func goldenModel() *Model {
	return &Model{
		Coef: mat.NewDense(3, 4, []float64{
			1.0 / 3, -2.5, math.Copysign(0, -1), math.SmallestNonzeroFloat64,
			math.Pi, -1e300, 7, 0,
			-0.125, 1e-7, math.MaxFloat64, -math.E,
		}),
		Intercept: []float64{0.5, math.Copysign(0, -1), -1e-310},
		Classes:   []int{2, 4, 9},
		NIter:     17,
		Converged: true,
		Settings: Settings{
			C: 1e5, Penalty: ElasticNet, L1Ratio: 0.25, Tol: 0.1, MaxIter: 250,
			Solver: SAGA, Seed: 0xdeadbeefcafe, BatchSize: 64, LearningRate: 0.01,
			Momentum: 0.5, Threads: 3,
		},
	}
}

// sameModel reports whether a and b hold the same values, floats compared
// by their bits.
func sameModel(a, b *Model) bool {
	bits := func(x []float64) []uint64 {
		out := make([]uint64, len(x))
		for i, v := range x {
			out[i] = math.Float64bits(v)
		}
		return out
	}
	sa, sb := a.Settings, b.Settings
	sa.Progress, sb.Progress = nil, nil
	return fmt.Sprintf("%+v", sa) == fmt.Sprintf("%+v", sb) && slices.Equal(bits(flat(a.Coef)), bits(flat(b.Coef))) && slices.Equal(bits(a.Intercept), bits(b.Intercept)) &&
		slices.Equal(a.Classes, b.Classes) && a.NIter == b.NIter && a.Converged == b.Converged
}

// TestModelFileGolden reads the committed version-1 file to exact values,
// checks the settings at the offsets the format documents (so that C and
// Tol swapped on both the writing and the reading side are caught), and
// writes goldenModel again to compare the bytes, so that a change of the
// format is noticed.
func TestModelFileGolden(t *testing.T) {
	want := goldenModel()
	b, err := want.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if *updateModelFile {
		if err := os.WriteFile(goldenModelFile, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := LoadFile(goldenModelFile)
	if err != nil {
		t.Fatal(err)
	}
	if !sameModel(got, want) {
		t.Errorf("%s reads as\n%+v\nwant\n%+v", goldenModelFile, got, want)
	}
	file, err := os.ReadFile(goldenModelFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, file) {
		t.Errorf("MarshalBinary of goldenModel (%d bytes) differs from %s (%d bytes): the format changed; bump fileVersion and keep reading version 1", len(b), goldenModelFile, len(file))
	}

	// The layout of the format comment, read with encoding/binary: the
	// settings block follows magic, version, K, d, classes, coef,
	// intercept, niter and flags.
	const k, d = 3, 4
	le := binary.LittleEndian
	if v, kk, dd := le.Uint32(file[8:]), le.Uint32(file[12:]), le.Uint32(file[16:]); v != 1 || kk != k || dd != d {
		t.Fatalf("header: version %d, K %d, d %d; want 1, 3, 4", v, kk, dd)
	}
	off := 20 + 8*k + 8*k*d + 8*k + 8 + 1
	f := func(i int) float64 { return math.Float64frombits(le.Uint64(file[off+8*i:])) }
	n := func(i int) int64 { return int64(le.Uint64(file[off+40+8*i:])) }
	s := want.Settings
	if f(0) != s.C || f(1) != s.L1Ratio || f(2) != s.Tol || f(3) != s.LearningRate || f(4) != s.Momentum {
		t.Errorf("float settings at offset %d: %v %v %v %v %v, want C, L1Ratio, Tol, LearningRate, Momentum = %v %v %v %v %v",
			off, f(0), f(1), f(2), f(3), f(4), s.C, s.L1Ratio, s.Tol, s.LearningRate, s.Momentum)
	}
	if n(0) != int64(s.Penalty) || n(1) != int64(s.Solver) || n(2) != int64(s.MaxIter) || n(3) != int64(s.BatchSize) || n(4) != int64(s.Threads) {
		t.Errorf("integer settings: %d %d %d %d %d, want Penalty, Solver, MaxIter, BatchSize, Threads = %d %d %d %d %d",
			n(0), n(1), n(2), n(3), n(4), s.Penalty, s.Solver, s.MaxIter, s.BatchSize, s.Threads)
	}
}

// patch returns a copy of file with b written at off and the checksum
// recomputed, so that the decoder reaches the content checks.
func patch(file []byte, off int, b []byte) []byte {
	out := append([]byte(nil), file...)
	copy(out[off:], b)
	return withCRC(out)
}

// withCRC returns b with its last four bytes replaced by the checksum of
// the others (b itself if it is too short to have one).
func withCRC(b []byte) []byte {
	if len(b) < len(fileMagic)+4 {
		return b
	}
	out := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(out[len(out)-4:], crc32.ChecksumIEEE(out[:len(out)-4]))
	return out
}

func f64(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }
func i64(v int64) []byte   { return binary.LittleEndian.AppendUint64(nil, uint64(v)) }

// TestLoadValidates feeds Load and LoadFile files that are well formed and
// checksummed but declare what Fit cannot produce: each is an error
// wrapping ErrFormat that names the field (and the file).
func TestLoadValidates(t *testing.T) {
	file, err := goldenModel().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	const k, d = 3, 4
	classes, coef := 20, 20+8*k
	intercept := coef + 8*k*d
	niter := intercept + 8*k
	flags := niter + 8
	set := flags + 1
	penalty, solver := set+40, set+48
	noIntercept := set + 88
	for _, c := range []struct {
		name string
		off  int
		b    []byte
		want string
	}{
		{"NaN weight", coef + 8*(1*d+2), f64(math.NaN()), "Coef[1][2] = NaN"},
		{"infinite weight", coef, f64(math.Inf(-1)), "Coef[0][0] = -Inf"},
		{"infinite intercept", intercept + 16, f64(math.Inf(1)), "Intercept[2] = +Inf"},
		{"duplicate class", classes + 8, i64(2), "Classes[1] = 2 after 2"},
		{"unsorted classes", classes, i64(5), "Classes[1] = 4 after 5"},
		{"negative class", classes, i64(-1), "Classes[0] = -1"},
		{"unknown solver", solver, i64(7), "unknown solver"},
		{"unknown penalty", penalty, i64(9), "unknown penalty"},
		{"L1 with sag", penalty, append(i64(int64(L1)), i64(int64(SAG))...), "not supported by solver sag"},
		{"negative C", set, f64(-1), "C = -1"},
		{"NaN C", set, f64(math.NaN()), "C = NaN"},
		{"negative Tol", set + 16, f64(-0.1), "Tol = -0.1"},
		{"negative NIter", niter, i64(-1), "NIter = -1"},
		{"unknown flag", flags, []byte{3}, "flags = 0x3"},
		{"NoIntercept 2", noIntercept, []byte{2}, "NoIntercept = 2"},
	} {
		bad := patch(file, c.off, c.b)
		_, err := Load(bytes.NewReader(bad))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Load error %v, want ErrFormat naming %q", c.name, err, c.want)
		}
		path := filepath.Join(t.TempDir(), "bad.model")
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadFile(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: LoadFile error %v, want one naming %s and %q", c.name, err, path, c.want)
		}
	}
	// The unpatched file, its checksum recomputed, still loads.
	if _, err := Load(bytes.NewReader(withCRC(file))); err != nil {
		t.Errorf("golden file with its own checksum: %v", err)
	}
}

// TestSaveValidates checks that Save refuses what Load would refuse.
func TestSaveValidates(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(m *Model)
		want   string
	}{
		{"NaN weight", func(m *Model) { m.Coef.Set(2, 3, math.NaN()) }, "Coef[2][3] = NaN"},
		{"duplicate class", func(m *Model) { m.Classes[2] = 4 }, "Classes[2] = 4 after 4"},
		{"bad settings", func(m *Model) { m.Settings.Solver = Solver(42) }, "unknown solver"},
		{"sizes", func(m *Model) { m.Intercept = m.Intercept[:2] }, "3 classes, 2 intercepts for 3 coefficient rows"},
		{"no Coef", func(m *Model) { m.Coef = nil }, "no Coef"},
	} {
		m := goldenModel()
		c.change(m)
		var buf bytes.Buffer
		if err := m.Save(&buf); err == nil || !strings.Contains(err.Error(), c.want) || buf.Len() != 0 {
			t.Errorf("%s: Save error %v after writing %d bytes, want an error naming %q and nothing written", c.name, err, buf.Len(), c.want)
		}
	}
}

// FuzzLoad checks that Load never panics, that its errors wrap ErrFormat,
// and that what it accepts is a valid model that saves back to the same
// bytes. Each input is also tried with its checksum recomputed, so that the
// fuzzer reaches the decoder and the validation behind the checksum.
func FuzzLoad(f *testing.F) {
	golden, err := os.ReadFile(goldenModelFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add(golden[:len(golden)/2])
	f.Add(patch(golden, 20, i64(4)))                   // duplicate class
	f.Add(patch(golden, 44, f64(math.NaN())))          // NaN weight
	f.Add(patch(golden, 12, []byte{0xff, 0xff, 0, 0})) // K = 65535
	f.Add([]byte(fileMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, b := range [][]byte{data, withCRC(data)} {
			m, err := Load(bytes.NewReader(b))
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("error %v does not wrap ErrFormat", err)
				}
				continue
			}
			if err := m.check(); err != nil {
				t.Fatalf("Load accepted an invalid model: %v", err)
			}
			again, err := m.MarshalBinary()
			if err != nil {
				t.Fatalf("a loaded model does not save: %v", err)
			}
			if !bytes.Equal(again, b) {
				t.Fatalf("a loaded model saves to other bytes (%d, read %d)", len(again), len(b))
			}
		}
	})
}
