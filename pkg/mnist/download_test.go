package mnist

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// mirror is a loopback HTTP server of files (name -> content); it records the
// paths requested.
type mirror struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func newMirror(t *testing.T, files map[string][]byte) *mirror {
	return newMirrorFunc(t, func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[strings.TrimPrefix(r.URL.Path, "/mnist/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	})
}

func newMirrorFunc(t *testing.T, h http.HandlerFunc) *mirror {
	m := &mirror{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.paths = append(m.paths, r.URL.Path)
		m.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *mirror) base() string { return m.URL + "/mnist/" }

func (m *mirror) requests() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.paths)
}

func TestDownload(t *testing.T) {
	syn := useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	empty := newMirror(t, nil) // 404 for everything
	good := newMirror(t, syn.gz)
	cache := filepath.Join(t.TempDir(), "cache") // created by Load
	var reports []Progress
	o := &Options{
		ModCache: t.TempDir(),
		CacheDir: cache,
		Mirrors:  []string{empty.base(), strings.TrimSuffix(good.base(), "/")},
		Progress: func(p Progress) { reports = append(reports, p) },
		Offline:  false,
	}
	for _, src := range []Source{Download, Auto} {
		o.Source = src
		if src == Auto {
			// The module cache is empty: go mod download must fail
			// fast and without network for Auto to reach the mirrors.
			t.Setenv("GOPROXY", "off")
			t.Setenv("GOFLAGS", "-modcacherw")
			os.RemoveAll(cache)
			reports = nil
		}
		s, err := Load(o)
		if err != nil {
			t.Fatal(err)
		}
		checkSynthetic(t, s)
		if got := dirEntries(t, cache); !slices.Equal(got, []string{"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}) {
			t.Fatalf("cache holds %v", got)
		}
		// Progress: per file, Done 0 first and Done == Total last.
		var byFile = map[string][]Progress{}
		for _, p := range reports {
			byFile[p.File] = append(byFile[p.File], p)
		}
		for _, sp := range files {
			ps := byFile[sp.name+".gz"]
			if len(ps) < 2 || ps[0].Done != 0 || ps[len(ps)-1].Done != sp.size || ps[0].Total != sp.size || ps[0].URL != good.base()+sp.name+".gz" {
				t.Fatalf("%s: progress %+v", sp.name, ps)
			}
		}
	}
	for _, sp := range files {
		if n := strings.Count(strings.Join(empty.requests(), " "), sp.name); n != 2 {
			t.Errorf("404 mirror asked %d times for %s, want 2", n, sp.name)
		}
	}
	// Now cached: no request.
	n := len(good.requests())
	o.Source = Download
	if _, err := Load(o); err != nil {
		t.Fatal(err)
	}
	if len(good.requests()) != n {
		t.Fatalf("cached files downloaded again")
	}
	// A corrupt cached file is downloaded again.
	os.WriteFile(filepath.Join(cache, "t10k-labels-idx1-ubyte.gz"), []byte("junk"), 0o644)
	if _, err := Load(o); err != nil {
		t.Fatal(err)
	}
	if got := good.requests()[n:]; !slices.Equal(got, []string{"/mnist/t10k-labels-idx1-ubyte.gz"}) {
		t.Fatalf("requests %v, want only the corrupt file", got)
	}
}

// checkNothingLeft fails if dir holds anything.
func checkNothingLeft(t *testing.T, dir string) {
	t.Helper()
	if got := dirEntries(t, dir); len(got) != 0 {
		t.Fatalf("%s holds %v after a failed download", dir, got)
	}
}

func TestDownloadStatus(t *testing.T) {
	useSynthetic(t)
	m1, m2 := newMirror(t, nil), newMirrorFunc(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	})
	cache := t.TempDir()
	_, err := Load(&Options{Source: Download, CacheDir: cache, Mirrors: []string{m1.base(), m2.base()}})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusNotFound || se.URL != m1.base()+"train-images-idx3-ubyte.gz" {
		t.Fatalf("err = %v, want a *StatusError 404 from the first mirror", err)
	}
	want := "mnist: train-images-idx3-ubyte.gz: mnist files not found: every mirror failed: " +
		"mnist: " + m1.base() + "train-images-idx3-ubyte.gz: HTTP status 404 Not Found\n" +
		"mnist: " + m2.base() + "train-images-idx3-ubyte.gz: HTTP status 403 Forbidden"
	if err.Error() != want {
		t.Fatalf("err = %q\nwant  %q", err, want)
	}
	checkNothingLeft(t, cache)
}

func TestDownloadChecksum(t *testing.T) {
	syn := useSynthetic(t)
	bad := map[string][]byte{}
	for name, b := range syn.gz {
		c := bytes.Clone(b)
		c[len(c)/2] ^= 1 // same size, other hash
		bad[name] = c
	}
	long := map[string][]byte{}
	for name, b := range syn.gz {
		long[name] = append(bytes.Clone(b), 0)
	}
	for _, tc := range []struct {
		name  string
		files map[string][]byte
	}{
		{"hash", bad},
		{"long", long},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMirror(t, tc.files)
			cache := t.TempDir()
			_, err := Load(&Options{Source: Download, CacheDir: cache, Mirrors: []string{m.base()}})
			if !errors.Is(err, ErrChecksum) || !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrChecksum", err)
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != "train-images-idx3-ubyte.gz" {
				t.Fatalf("err = %v, want it to name the file", err)
			}
			if tc.name == "hash" && !strings.Contains(err.Error(), "mnist: "+m.base()+"train-images-idx3-ubyte.gz: checksum mismatch: sha256 ") {
				t.Fatalf("err = %v", err)
			}
			if tc.name == "long" && !strings.Contains(err.Error(), "checksum mismatch: got "+strconv.FormatInt(files[iTrainImages].size+1, 10)+" bytes, want") {
				t.Fatalf("err = %v", err)
			}
			checkNothingLeft(t, cache)
		})
	}
}

func TestDownloadTimeout(t *testing.T) {
	syn := useSynthetic(t)
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"before headers", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}},
		{"mid body", func(w http.ResponseWriter, r *http.Request) {
			b := syn.gz[strings.TrimPrefix(r.URL.Path, "/mnist/")]
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b[:len(b)/2])
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slow := newMirrorFunc(t, tc.h)
			good := newMirror(t, syn.gz)
			cache := t.TempDir()
			var mu sync.Mutex
			seen := 0
			o := &Options{Source: Download, CacheDir: cache, Mirrors: []string{slow.base()}, Timeout: 200 * time.Millisecond,
				Progress: func(p Progress) { mu.Lock(); seen++; mu.Unlock() }}
			start := time.Now()
			_, err := Load(o)
			if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("took %v", d)
			}
			if !strings.Contains(err.Error(), "mnist: "+slow.base()+"train-images-idx3-ubyte.gz: ") {
				t.Fatalf("err = %v, want it to name the URL", err)
			}
			checkNothingLeft(t, cache)
			// The next mirror is tried after a timeout.
			o.Mirrors = []string{slow.base(), good.base()}
			s, err := Load(o)
			if err != nil {
				t.Fatal(err)
			}
			checkSynthetic(t, s)
			if len(dirEntries(t, cache)) != 4 {
				t.Fatalf("cache holds %v", dirEntries(t, cache))
			}
		})
	}
}

func TestDownloadUnreachable(t *testing.T) {
	syn := useSynthetic(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // connection refused
	good := newMirror(t, syn.gz)
	cache := t.TempDir()
	if _, err := Load(&Options{Source: Download, CacheDir: cache, Mirrors: []string{dead.URL + "/mnist/"}}); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v", err)
	}
	checkNothingLeft(t, cache)
	s, err := Load(&Options{Source: Download, CacheDir: cache, Mirrors: []string{dead.URL + "/mnist/", good.base()}})
	if err != nil {
		t.Fatal(err)
	}
	checkSynthetic(t, s)
}

func TestDownloadNoMirrors(t *testing.T) {
	useSynthetic(t)
	cache := t.TempDir()
	_, err := Load(&Options{Source: Download, CacheDir: cache, Mirrors: []string{}})
	if want := "mnist: train-images-idx3-ubyte.gz: mnist files not found: no mirrors"; !errors.Is(err, ErrNotFound) || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	_, err = Load(&Options{Source: Download, CacheDir: cache, Offline: true})
	if want := "mnist: " + cache + ": mnist files not found: 4 of 4 files not downloaded (offline)"; !errors.Is(err, ErrNotFound) || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	// A cache directory that cannot be created.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := Load(&Options{Source: Download, CacheDir: filepath.Join(file, "sub"), Mirrors: []string{"http://127.0.0.1:1/"}}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("err = %v", err)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	o := &Options{}
	dir, err := cacheDir(o)
	if err != nil {
		t.Skip(err)
	}
	if base, _ := os.UserCacheDir(); dir != filepath.Join(base, "softmax-mnist") {
		t.Fatalf("cache dir %s", dir)
	}
	if o.timeout() != DefaultTimeout || (&Options{Timeout: time.Second}).timeout() != time.Second {
		t.Fatal("timeout default")
	}
}
