package cache_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
	"github.com/mlphys/softmax-mnist/pkg/cache"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

// realModels returns two models fitted on real MNIST images (the first 1000
// and the first 500), fitted once for all tests.
func realModels(t *testing.T) (a, b *softmax.Model) {
	t.Helper()
	ms, err := fitReal()
	mnisttest.Check(t, err)
	return ms[0], ms[1]
}

var fitReal = sync.OnceValues(func() ([2]*softmax.Model, error) {
	var ms [2]*softmax.Model
	all, err := mnist.Load(&mnist.Options{Source: mnist.Module, Offline: true})
	if err != nil {
		return ms, err
	}
	mean, scale := make([]float64, mnist.Pixels), make([]float64, mnist.Pixels)
	for j := range scale {
		scale[j] = 255
	}
	for i, n := range []int{1000, 500} {
		set := all.Subset(seq(n))
		ms[i], err = softmax.Fit(softmax.Pixels(set.Images, mnist.Pixels, mean, scale), set.Ints(),
			&softmax.Settings{Solver: softmax.SAG, Tol: 0.1})
		if err != nil {
			return ms, err
		}
	}
	return ms, nil
})

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func sameModel(a, b *softmax.Model) bool {
	ea, _ := a.MarshalBinary()
	eb, _ := b.MarshalBinary()
	return bytes.Equal(ea, eb)
}

var key = cache.Key{{Name: "data", Value: "mnist 1000"}, {Name: "settings", Value: "sag tol=0.1"}}

// get calls s.Get for a model with key k; compute stores want. It returns
// the model and whether compute was called.
func get(t *testing.T, s *cache.Store, name string, k cache.Key, want *softmax.Model) (*softmax.Model, bool) {
	t.Helper()
	var m softmax.Model
	computed := false
	err := s.Get(name, k, &m, func() error {
		computed = true
		m = *want
		return nil
	})
	if err != nil {
		t.Fatalf("Get(%s): %v", name, err)
	}
	return &m, computed
}

func TestGetRealModel(t *testing.T) {
	a, _ := realModels(t)
	var log bytes.Buffer
	s := &cache.Store{Dir: filepath.Join(t.TempDir(), "new", "dir"), Log: &log}
	if m, computed := get(t, s, "model-a", key, a); !computed || !sameModel(m, a) {
		t.Fatalf("first Get: computed %v, same model %v; want a computed, equal model", computed, sameModel(m, a))
	}
	if m, computed := get(t, s, "model-a", key, nil); computed || !sameModel(m, a) {
		t.Fatalf("second Get: computed %v, same model %v; want the stored model", computed, sameModel(m, a))
	}
	// Another process (a new Store on the same directory) reads it too.
	if m, computed := get(t, &cache.Store{Dir: s.Dir, Log: &log}, "model-a", key, nil); computed || !sameModel(m, a) {
		t.Fatal("a new Store on the same directory did not read the entry")
	}
	if log.Len() != 0 {
		t.Errorf("log of a miss and two hits: %q, want nothing", log.String())
	}
}

// entry returns the bytes of a valid entry holding m under key, as the
// store writes it.
func entry(t *testing.T, m *softmax.Model) []byte {
	t.Helper()
	dir := t.TempDir()
	get(t, &cache.Store{Dir: dir}, "e", key, m)
	b, err := os.ReadFile(filepath.Join(dir, "e.cache"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withCRC returns b with its last four bytes set to the CRC of the others,
// as a valid entry has.
func withCRC(b []byte) []byte {
	b = slices.Clone(b)
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

func TestCorruptEntries(t *testing.T) {
	a, _ := realModels(t)
	good := entry(t, a)
	keyEnd := 12 + len("data=mnist 1000\nsettings=sag tol=0.1\n")
	payload := keyEnd + 8
	flip := func(i int) []byte {
		b := slices.Clone(good)
		b[i] ^= 0x40
		return b
	}
	// A payload that passes the entry's checksum but is not a model.
	garbage := slices.Clone(good)
	copy(garbage[payload:], "NOTAMODEL")
	garbage = withCRC(garbage)
	// A model whose own checksum fails, in an entry whose checksum holds.
	badModel := withCRC(flip(payload + 100))
	cases := map[string][]byte{
		"empty":             {},
		"magic only":        good[:8],
		"header only":       good[:12],
		"key cut":           good[:keyEnd-3],
		"half":              good[:len(good)/2],
		"last byte missing": good[:len(good)-1],
		"trailing byte":     append(slices.Clone(good), 0),
		"magic flipped":     flip(2),
		"key length":        flip(9),
		"key flipped":       flip(20),
		"payload length":    flip(keyEnd + 1),
		"payload flipped":   flip(payload + 1000),
		"crc flipped":       flip(len(good) - 2),
		"huge key length":   withCRC(append(append(slices.Clone(good[:8]), 0xff, 0xff, 0xff, 0x7f), good[12:]...)),
		"payload not model": garbage,
		"model crc wrong":   badModel,
		"text":              []byte("model-a: this is not a cache entry at all, but it is long enough\n"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "m.cache"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			s := &cache.Store{Dir: dir, Log: &log}
			m, computed := get(t, s, "m", key, a)
			if !computed || !sameModel(m, a) {
				t.Fatalf("computed %v, same model %v; want the model computed again", computed, sameModel(m, a))
			}
			lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "cache: m is corrupt (") || !strings.HasSuffix(lines[0], "; computing it again") {
				t.Errorf("log %q, want one line saying that m is corrupt", log.String())
			}
			// The entry was replaced by a good one.
			log.Reset()
			if _, computed := get(t, s, "m", key, nil); computed || log.Len() != 0 {
				t.Errorf("after the repair: computed %v, log %q; want a clean hit", computed, log.String())
			}
		})
	}
}

func TestStaleEntries(t *testing.T) {
	a, b := realModels(t)
	for _, c := range []struct {
		name string
		key  cache.Key
		want string
	}{
		{"value", cache.Key{{Name: "data", Value: "mnist 1000"}, {Name: "settings", Value: "sag tol=0.01"}}, "settings changed"},
		{"two values", cache.Key{{Name: "data", Value: "mnist 500"}, {Name: "settings", Value: "saga"}}, "data, settings changed"},
		{"added", append(slices.Clone(key), cache.Part{Name: "code", Value: "v2"}), "code changed"},
		{"removed", key[:1], "settings changed"},
		{"order", cache.Key{key[1], key[0]}, "key order changed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var log bytes.Buffer
			s := &cache.Store{Dir: t.TempDir(), Log: &log}
			get(t, s, "m", key, a)
			m, computed := get(t, s, "m", c.key, b)
			if !computed || !sameModel(m, b) {
				t.Fatalf("Get with another key: computed %v; want the new model computed", computed)
			}
			want := "cache: m is stale (" + c.want + "); computing it again\n"
			if log.String() != want {
				t.Errorf("log %q, want %q", log.String(), want)
			}
			if m, computed := get(t, s, "m", c.key, nil); computed || !sameModel(m, b) {
				t.Error("the new key's value was not stored")
			}
		})
	}
}

// TestConcurrentWriters has goroutines alternate between two keys of one
// entry, so that every Get finds the other key's entry, computes and
// replaces it while others read it. A reader must never see a partial
// entry (which it would report as corrupt) and must get its own key's value.
func TestConcurrentWriters(t *testing.T) {
	a, b := realModels(t)
	keys := []cache.Key{key, {{Name: "data", Value: "mnist 500"}}}
	models := []*softmax.Model{a, b}
	var log syncBuffer
	s := &cache.Store{Dir: t.TempDir(), Log: &log}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for i := range 30 {
				k := (g + i) % 2
				var m softmax.Model
				err := s.Get("shared", keys[k], &m, func() error { m = *models[k]; return nil })
				if err != nil || !sameModel(&m, models[k]) {
					t.Errorf("goroutine %d: Get %d: err %v, same model %v", g, i, err, sameModel(&m, models[k]))
					return
				}
			}
		})
	}
	wg.Wait()
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		if line != "" && !strings.HasPrefix(line, "cache: shared is stale (") {
			t.Errorf("unexpected log line %q", line)
		}
	}
	if list, _ := filepath.Glob(filepath.Join(s.Dir, ".*")); len(list) != 0 {
		t.Errorf("temporary files left: %v", list)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestClear(t *testing.T) {
	a, _ := realModels(t)
	dir := t.TempDir()
	s := &cache.Store{Dir: dir}
	get(t, s, "m1", key, a)
	get(t, s, "m2", key, a)
	for _, name := range []string{".m3.cache.tmp123", "notes.txt", "x.cache.bak"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	var left []string
	list, _ := os.ReadDir(dir)
	for _, e := range list {
		left = append(left, e.Name())
	}
	if want := []string{"notes.txt", "x.cache.bak"}; !slices.Equal(left, want) {
		t.Errorf("left after Clear: %v, want %v", left, want)
	}
	if _, computed := get(t, s, "m1", key, a); !computed {
		t.Error("m1 still cached after Clear")
	}
	// A directory holding only entries is removed; a missing one is clear.
	empty := &cache.Store{Dir: filepath.Join(dir, "sub")}
	get(t, empty, "m", key, a)
	if err := empty.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(empty.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("directory of entries only is still there after Clear: %v", err)
	}
	if err := empty.Clear(); err != nil {
		t.Errorf("Clear of a missing directory: %v", err)
	}
}

func TestDefaultClear(t *testing.T) {
	a, _ := realModels(t)
	dir := t.TempDir()
	t.Setenv(cache.EnvDir, dir)
	get(t, &cache.Store{}, "m", key, a)
	if _, err := os.Stat(filepath.Join(dir, "m.cache")); err != nil {
		t.Fatalf("the zero Store did not write to $%s: %v", cache.EnvDir, err)
	}
	if err := cache.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "m.cache")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("cache.Clear left the entry: %v", err)
	}
}

func TestUnwritableDir(t *testing.T) {
	a, _ := realModels(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	s := &cache.Store{Dir: filepath.Join(file, "dir"), Log: &log}
	m, computed := get(t, s, "m", key, a)
	if !computed || !sameModel(m, a) {
		t.Fatal("no value from a store that cannot be written")
	}
	if !strings.HasPrefix(log.String(), "cache: cannot store m: ") || strings.Count(log.String(), "\n") != 1 {
		t.Errorf("log %q, want one line saying m cannot be stored", log.String())
	}
}

func TestComputeError(t *testing.T) {
	dir := t.TempDir()
	s := &cache.Store{Dir: dir}
	want := errors.New("no data")
	var m softmax.Model
	if err := s.Get("m", key, &m, func() error { return want }); err != want {
		t.Errorf("Get returned %v, want compute's error", err)
	}
	if list, _ := os.ReadDir(dir); len(list) != 0 {
		t.Errorf("files written after a failed compute: %v", list)
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv(cache.EnvDir, "/some/where")
	if d, err := cache.DefaultDir(); err != nil || d != "/some/where" {
		t.Errorf("DefaultDir with $%s set: %q, %v", cache.EnvDir, d, err)
	}
	t.Setenv(cache.EnvDir, "")
	user, err := os.UserCacheDir()
	if err != nil {
		t.Skipf("no user cache directory: %v", err)
	}
	if d, err := cache.DefaultDir(); err != nil || d != filepath.Join(user, "softmax-mnist", "results") {
		t.Errorf("DefaultDir: %q, %v; want softmax-mnist/results in %s", d, err, user)
	}
}

func TestInvalidNamesAndKeys(t *testing.T) {
	s := &cache.Store{Dir: t.TempDir()}
	for _, c := range []struct {
		name string
		key  cache.Key
	}{
		{"../up", key}, {"", key}, {"a/b", key}, {".hidden", key},
		{"ok", cache.Key{{Name: "a=b", Value: "c"}}},
		{"ok", cache.Key{{Name: "a", Value: "line\nbreak"}}},
		{"ok", cache.Key{{Name: "", Value: "c"}}},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "cache: invalid") {
					t.Errorf("Get(%q, %q) did not panic with a cache message: %v", c.name, c.key, r)
				}
			}()
			var m softmax.Model
			s.Get(c.name, c.key, &m, func() error { return nil })
		}()
	}
}
