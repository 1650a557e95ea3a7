package mnist

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// TestCacheChecksContent checks that the download cache judges a file by
// its SHA-256, not its size: a cached file of the canonical size with one
// byte changed is downloaded again, and Load returns the right data.
func TestCacheChecksContent(t *testing.T) {
	syn := useSynthetic(t)
	good := newMirror(t, syn.gz)
	cache := t.TempDir()
	write(t, cache, syn.gz)
	const name = "train-images-idx3-ubyte.gz"
	bad := bytes.Clone(syn.gz[name])
	bad[len(bad)/2] ^= 0x40
	if err := os.WriteFile(filepath.Join(cache, name), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(&Options{Source: Download, CacheDir: cache, Mirrors: []string{good.base()}})
	if err != nil {
		t.Fatalf("Load with a right-size, wrong-content cached file: %v", err)
	}
	checkSynthetic(t, s)
	if got := good.requests(); !slices.Equal(got, []string{"/mnist/" + name}) {
		t.Errorf("requests %v, want only the altered file", got)
	}
	if b, _ := os.ReadFile(filepath.Join(cache, name)); !bytes.Equal(b, syn.gz[name]) {
		t.Error("the altered file is still in the cache")
	}
}

// TestCacheConcurrent runs several Loads on one empty download cache at
// once, as notebooks and tests started together do: each downloads into a
// temporary file and renames it into place, so every Load returns the
// right data and the cache ends with the four files and nothing else.
func TestCacheConcurrent(t *testing.T) {
	syn := useSynthetic(t)
	good := newMirror(t, syn.gz)
	cache := filepath.Join(t.TempDir(), "cache")
	const loads = 6
	sets := make([]*Set, loads)
	errs := make([]error, loads)
	var wg sync.WaitGroup
	for i := range loads {
		wg.Go(func() {
			sets[i], errs[i] = Load(&Options{Source: Download, CacheDir: cache, Mirrors: []string{good.base()}})
		})
	}
	wg.Wait()
	for i := range loads {
		if errs[i] != nil {
			t.Fatalf("Load %d: %v", i, errs[i])
		}
		checkSynthetic(t, sets[i])
	}
	if got := dirEntries(t, cache); len(got) != 4 {
		t.Errorf("cache holds %v, want the four files", got)
	}
}
