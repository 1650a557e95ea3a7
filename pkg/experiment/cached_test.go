package experiment

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/cache"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// realMNIST returns Settings that read MNIST from the module cache, after
// internal/mnisttest's rule: the test skips only when the files are absent,
// and fails instead when CI=true.
func realMNIST(t *testing.T) *Settings {
	t.Helper()
	s := &Settings{MNIST: &mnist.Options{Source: mnist.Module, Offline: true}}
	_, err := mnist.Locate(s.MNIST)
	mnisttest.Check(t, err)
	return s
}

// useCache points Load and Fit at a new directory and their reports at the
// returned buffer, for the duration of the test.
func useCache(t *testing.T) (dir string, log *bytes.Buffer) {
	t.Helper()
	dir, log = t.TempDir(), new(bytes.Buffer)
	old := store
	store = cache.Store{Dir: dir, Log: log}
	t.Cleanup(func() { store = old })
	return dir, log
}

func entries(t *testing.T, dir, kind string) []string {
	t.Helper()
	list, err := filepath.Glob(filepath.Join(dir, kind+"-*.cache"))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func sameSplit(a, b *Split) bool {
	ea, err1 := a.MarshalBinary()
	eb, err2 := b.MarshalBinary()
	return err1 == nil && err2 == nil && bytes.Equal(ea, eb)
}

func sameModel(a, b *softmax.Model) bool {
	ea, err1 := a.MarshalBinary()
	eb, err2 := b.MarshalBinary()
	return err1 == nil && err2 == nil && bytes.Equal(ea, eb)
}

// TestLoadIsPrepare checks Load against Prepare (itself checked against
// scikit-learn's rows): on a miss, on a hit and with the defaults spelt out.
func TestLoadIsPrepare(t *testing.T) {
	s := realMNIST(t)
	dir, log := useCache(t)
	want, err := Prepare(s)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range []*Settings{s, s, {TrainSize: DefaultTrainSize, TestSize: DefaultTestSize, MNIST: s.MNIST}} {
		got, err := Load(s)
		if err != nil {
			t.Fatal(err)
		}
		if !sameSplit(got, want) {
			t.Fatalf("Load %d differs from Prepare", i)
		}
	}
	if n := len(entries(t, dir, "split")); n != 1 {
		t.Errorf("%d split entries for one split, want 1", n)
	}
	if log.Len() != 0 {
		t.Errorf("log: %q, want nothing", log.String())
	}
}

// TestFitCached checks Split.Fit against softmax.Fit on the same data, on a
// miss and on a hit, for the full split and a subsample, and that a hit
// does not fit (no progress).
func TestFitCached(t *testing.T) {
	s := realMNIST(t)
	dir, log := useCache(t)
	sp, err := Load(&Settings{TrainSize: 5000, TestSize: 1000, MNIST: s.MNIST})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := sp.Subsample(1000, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		sp   *Split
		s    softmax.Settings
	}{
		{"sag", sp, softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1}},
		{"saga l1", sp, softmax.Settings{C: 0.01, Penalty: softmax.L1, Solver: softmax.SAGA, Tol: 0.1}},
		{"subsample", sub, softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1, Seed: 3}},
	} {
		want, err := softmax.Fit(c.sp.TrainData(), c.sp.Train.Ints(), &c.s)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			progress := 0
			s := c.s
			s.Progress = func(softmax.Progress) { progress++ }
			got, err := c.sp.Fit(&s)
			if err != nil {
				t.Fatal(err)
			}
			if !sameModel(got, want) {
				t.Errorf("%s: Fit %d differs from softmax.Fit", c.name, i)
			}
			if hit := i == 1; hit != (progress == 0) {
				t.Errorf("%s: Fit %d reported %d epochs; want a fit on the first call only", c.name, i, progress)
			}
		}
	}
	if n := len(entries(t, dir, "model")); n != 3 {
		t.Errorf("%d model entries for three fits, want 3", n)
	}
	if log.Len() != 0 {
		t.Errorf("log: %q, want nothing", log.String())
	}
}

// smallSplit loads a split of 2000 training and 500 test images into a new
// cache and returns it with the cache's directory.
func smallSplit(t *testing.T) (*Split, string) {
	t.Helper()
	s := realMNIST(t)
	dir, _ := useCache(t)
	sp, err := Load(&Settings{TrainSize: 2000, TestSize: 500, MNIST: s.MNIST})
	if err != nil {
		t.Fatal(err)
	}
	return sp, dir
}

// modelEntry fits the small model of the stale and corrupt tests and
// returns its split, settings, model and entry file.
func modelEntry(t *testing.T) (*Split, *softmax.Settings, *softmax.Model, string) {
	t.Helper()
	sp, dir := smallSplit(t)
	set := &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1}
	m, err := sp.Fit(set)
	if err != nil {
		t.Fatal(err)
	}
	files := entries(t, dir, "model")
	if len(files) != 1 {
		t.Fatalf("%d model entries, want 1", len(files))
	}
	return sp, set, m, files[0]
}

func TestFitCorruptEntry(t *testing.T) {
	sp, set, want, file := modelEntry(t)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{data[:len(data)/3], append(slices.Clone(data[:1000]), 'x')} {
		if err := os.WriteFile(file, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		store.Log.(*bytes.Buffer).Reset()
		got, err := sp.Fit(set)
		if err != nil || !sameModel(got, want) {
			t.Fatalf("Fit on a corrupt entry: %v, same model %v", err, err == nil && sameModel(got, want))
		}
		if l := store.Log.(*bytes.Buffer).String(); !strings.Contains(l, " is corrupt (") || strings.Count(l, "\n") != 1 {
			t.Errorf("log %q, want one line about a corrupt entry", l)
		}
	}
}

// TestFitStaleEntry stores another model under the entry's name with the
// key of an older pkg/softmax: Fit must not return it.
func TestFitStaleEntry(t *testing.T) {
	sp, set, want, file := modelEntry(t)
	name := strings.TrimSuffix(filepath.Base(file), ".cache")
	what := append(slices.Clone(sp.origin.what), cache.Part{Name: "settings", Value: settingsText(*set, "Progress")})
	old := slices.Concat(what, sp.origin.env, cache.Key{
		{Name: "code.softmax", Value: "src sha256:older"},
		{Name: "format.model", Value: modelFormat()},
		{Name: "machine", Value: machine()},
	})
	other, err := softmax.Fit(sp.TrainData(), sp.Train.Ints(), &softmax.Settings{C: 1, Solver: softmax.SAG, Tol: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(file)
	var m softmax.Model
	store.Get(name, old, &m, func() error { m = *other; return nil })
	got, err := sp.Fit(set)
	if err != nil || !sameModel(got, want) {
		t.Fatalf("Fit on a stale entry: %v, the right model %v", err, err == nil && sameModel(got, want))
	}
	if l, w := store.Log.(*bytes.Buffer).String(), "cache: "+name+" is stale (code.softmax changed); computing it again\n"; l != w {
		t.Errorf("log %q, want %q", l, w)
	}
}

// TestFitKeys checks that every field of softmax.Settings but Progress
// enters the key: setting any one of them gives another entry.
func TestFitKeys(t *testing.T) {
	sp := &Split{origin: &origin{what: cache.Key{{Name: "experiment", Value: "x"}}}}
	name := func(s softmax.Settings) string {
		return entryName("model", append(slices.Clone(sp.origin.what), cache.Part{Name: "settings", Value: settingsText(s, "Progress")}))
	}
	base := name(softmax.Settings{})
	typ := reflect.TypeOf(softmax.Settings{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Name == "Progress" {
			continue
		}
		var s softmax.Settings
		v := reflect.ValueOf(&s).Elem().Field(i)
		switch v.Kind() {
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Int, reflect.Int64:
			v.SetInt(3)
		case reflect.Uint64:
			v.SetUint(3)
		case reflect.Float64:
			v.SetFloat(0.5)
		default:
			t.Fatalf("softmax.Settings.%s is a %s: extend this test", f.Name, v.Kind())
		}
		if name(s) == base {
			t.Errorf("softmax.Settings.%s does not enter the cache key", f.Name)
		}
	}
	sub := sp.origin.subsampled(100, 1)
	if entryName("model", sub.what) == entryName("model", sp.origin.subsampled(100, 2).what) {
		t.Error("the subsample seed does not enter the key")
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("settingsText accepted a slice field")
		}
	}()
	settingsText(struct{ Rows []int }{})
}

// TestFitWithoutOrigin checks that splits the cache cannot identify are
// fitted without it.
func TestFitWithoutOrigin(t *testing.T) {
	dir, _ := useCache(t)
	sp, err := PrepareSet(synthetic(400), &Settings{TrainSize: 300, TestSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sp.Fit(&softmax.Settings{Solver: softmax.SAG, Tol: 0.1}); err != nil {
		t.Fatal(err)
	}
	if list, _ := os.ReadDir(dir); len(list) != 0 {
		t.Errorf("PrepareSet's split was cached: %v", list)
	}
}

// TestLoadConcurrent loads one split from goroutines racing to store it.
func TestLoadConcurrent(t *testing.T) {
	s := realMNIST(t)
	useCache(t)
	set := &Settings{TrainSize: 3000, TestSize: 300, MNIST: s.MNIST}
	want, err := Prepare(set)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := Load(set)
			if err != nil || !sameSplit(got, want) {
				t.Errorf("concurrent Load: %v", err)
			}
		})
	}
	wg.Wait()
	if l := store.Log.(*bytes.Buffer).String(); l != "" {
		t.Errorf("log %q, want nothing", l)
	}
}

func TestSplitEncoding(t *testing.T) {
	sp, err := PrepareSet(synthetic(300), &Settings{TrainSize: 200, TestSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	data, err := sp.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Split
	if err := got.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, sp) {
		t.Fatal("decoded split differs")
	}
	before := slices.Clone(got.Train.Images)
	data[len(splitMagic)+4] ^= 1 // the training size
	for _, bad := range [][]byte{
		nil, data[:10], data[:len(data)-1], append(slices.Clone(data), 0), data,
	} {
		if err := got.UnmarshalBinary(bad); !errors.Is(err, ErrFormat) {
			t.Errorf("UnmarshalBinary of %d bad bytes: %v, want ErrFormat", len(bad), err)
		}
	}
	data[len(splitMagic)+4] ^= 1
	labels := len(splitMagic) + 20 + 200*mnist.Pixels
	for name, edit := range map[string]func(b []byte){
		"version": func(b []byte) { b[len(splitMagic)] = 2 },
		"label":   func(b []byte) { b[labels+7] = 10 },
		"row":     func(b []byte) { b[len(b)-3*8*mnist.Pixels-8-1] = 0xff },
		"pixels":  func(b []byte) { b[len(splitMagic)+16] = 1 },
	} {
		b := slices.Clone(data)
		edit(b)
		if err := got.UnmarshalBinary(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
	if !slices.Equal(got.Train.Images, before) {
		t.Error("a failed UnmarshalBinary changed the split")
	}
	// No input makes it panic: every truncation and every single flipped bit
	// of the header.
	for n := range len(splitMagic) + 24 {
		got.UnmarshalBinary(data[:n])
		for bit := range 8 {
			b := slices.Clone(data)
			b[n] ^= 1 << bit
			got.UnmarshalBinary(b)
		}
	}
}

// TestHashSources checks what the code digest covers: the sources of a
// package and of the packages below it, not its tests and test data.
func TestHashSources(t *testing.T) {
	root := filepath.Join(t.TempDir(), "softmax")
	files := map[string]string{
		"fit.go":                        "package softmax",
		"internal/kernel/eval.go":       "package kernel",
		"internal/asm/kernels_amd64.s":  "TEXT",
		"fit_test.go":                   "package softmax",
		"testdata/gen.go":               "package main",
		"internal/kernel/notes.txt":     "notes",
		"internal/kernel/eval_test.go":  "package kernel",
		"internal/kernel/testdata/x.go": "package x",
	}
	for name, content := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	digest := func() string {
		h := sha256.New()
		if err := hashSources(h, root); err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	base := digest()
	for name := range files {
		path := filepath.Join(root, name)
		old, _ := os.ReadFile(path)
		os.WriteFile(path, append(old, '\n'), 0o644)
		counts := strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !strings.Contains(name, "testdata") || strings.HasSuffix(name, ".s")
		if changed := digest() != base; changed != counts {
			t.Errorf("a change of %s changes the digest: %v, want %v", name, changed, counts)
		}
		os.WriteFile(path, old, 0o644)
	}
	if err := hashSources(sha256.New(), filepath.Join(root, "missing")); err == nil {
		t.Error("no error for a missing directory")
	}
}

// TestFitContext checks that a cancelled fit returns the context's error and
// stores nothing, and that a stored model is returned whatever the context.
func TestFitContext(t *testing.T) {
	sp, dir := smallSplit(t)
	set := &softmax.Settings{C: 1e5, Solver: softmax.SAG, Tol: 0.1}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sp.FitContext(ctx, set); !errors.Is(err, context.Canceled) {
		t.Fatalf("FitContext with a cancelled context: %v, want context.Canceled", err)
	}
	if n := len(entries(t, dir, "model")); n != 0 {
		t.Fatalf("%d model entries after a cancelled fit, want 0", n)
	}
	want, err := sp.Fit(set)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sp.FitContext(ctx, set)
	if err != nil || !sameModel(got, want) {
		t.Errorf("FitContext with a cancelled context on a stored model: %v", err)
	}
}
