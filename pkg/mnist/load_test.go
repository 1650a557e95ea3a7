package mnist

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"
)

func TestLoadDir(t *testing.T) {
	syn := useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	for _, tc := range []struct {
		name  string
		files map[string][]byte
	}{
		{"gzip", syn.gz},
		{"plain", syn.plain},
		{"mixed", map[string][]byte{
			"train-images-idx3-ubyte.gz": syn.gz["train-images-idx3-ubyte.gz"],
			"train-labels-idx1-ubyte":    syn.plain["train-labels-idx1-ubyte"],
			"t10k-images-idx3-ubyte":     syn.plain["t10k-images-idx3-ubyte"],
			"t10k-labels-idx1-ubyte.gz":  syn.gz["t10k-labels-idx1-ubyte.gz"],
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tc.files)
			for _, src := range []Source{Auto, Dir} {
				s, err := Load(&Options{Dir: dir, Source: src})
				if err != nil {
					t.Fatal(err)
				}
				checkSynthetic(t, s)
			}
			f, err := Locate(&Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if f.Source != Dir || f.TestLabels != filepath.Join(dir, "t10k-labels-idx1-ubyte.gz") && f.TestLabels != filepath.Join(dir, "t10k-labels-idx1-ubyte") {
				t.Fatalf("Locate = %+v", f)
			}
		})
	}
}

func TestLoadSplit(t *testing.T) {
	syn := useSynthetic(t)
	dir := t.TempDir()
	write(t, dir, syn.gz)
	train, test, err := LoadSplit(&Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(train.Labels, synTrainLabels) || !bytes.Equal(test.Labels, synTestLabels) {
		t.Fatalf("labels %v %v", train.Labels, test.Labels)
	}
	if train.Image(2)[5] != pix(2, 5) || test.Image(0)[5] != pix(3, 5) || test.Image(1)[Pixels-1] != pix(4, Pixels-1) {
		t.Fatal("pixels wrong")
	}
	// Appending to the training half must not overwrite the test half.
	train.Images = append(train.Images, make([]uint8, Pixels)...)
	train.Labels = append(train.Labels, 1)
	if test.Labels[0] != synTestLabels[0] || test.Image(0)[5] != pix(3, 5) {
		t.Fatal("append to train changed test")
	}
	if _, _, err := LoadSplit(&Options{Dir: filepath.Join(dir, "nope")}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadEnvDir(t *testing.T) {
	syn := useSynthetic(t)
	dir := t.TempDir()
	write(t, dir, syn.plain)
	t.Setenv("MNIST_DIR", dir)
	s, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	checkSynthetic(t, s)
	// Options.Dir wins over $MNIST_DIR.
	if _, err := Load(&Options{Dir: t.TempDir()}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

// TestLoadDirErrors checks the errors for bad files in a directory: each
// names the file and the problem.
func TestLoadDirErrors(t *testing.T) {
	syn := useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	trainImg := syn.plain["train-images-idx3-ubyte"]
	otherGz := gz(append(bytes.Clone(syn.plain["t10k-labels-idx1-ubyte"][:8]), 3, 3)) // valid, not canonical
	for _, tc := range []struct {
		name    string
		replace map[string][]byte // over syn.gz; nil value removes
		file    string            // named in the error
		err     error
		msg     string
	}{
		{name: "missing", replace: map[string][]byte{"t10k-labels-idx1-ubyte.gz": nil, "train-images-idx3-ubyte.gz": nil},
			file: "", err: ErrNotFound, msg: "mnist files not found: no train-images-idx3-ubyte.gz|, t10k-labels-idx1-ubyte.gz|"},
		{name: "gzip size", replace: map[string][]byte{"t10k-labels-idx1-ubyte.gz": append(bytes.Clone(syn.gz["t10k-labels-idx1-ubyte.gz"]), 0)},
			file: "t10k-labels-idx1-ubyte.gz", err: ErrChecksum, msg: "size"},
		{name: "gzip hash", replace: map[string][]byte{"t10k-labels-idx1-ubyte.gz": otherGz},
			file: "t10k-labels-idx1-ubyte.gz", err: ErrChecksum, msg: "sha256"},
		{name: "bad magic", replace: map[string][]byte{"train-images-idx3-ubyte.gz": nil, "train-images-idx3-ubyte": syn.plain["train-labels-idx1-ubyte"]},
			file: "train-images-idx3-ubyte", err: ErrMagic, msg: "bad magic number 0x00000801 (a label file), want 0x00000803 (an image file)"},
		{name: "dims", replace: map[string][]byte{"t10k-images-idx3-ubyte.gz": nil, "t10k-images-idx3-ubyte": idxImages(2, 20, 20, pix)},
			file: "t10k-images-idx3-ubyte", err: ErrDims, msg: "20x20"},
		{name: "truncated", replace: map[string][]byte{"train-images-idx3-ubyte.gz": nil, "train-images-idx3-ubyte": trainImg[:len(trainImg)-1]},
			file: "train-images-idx3-ubyte", err: ErrTruncated, msg: "payload: 2351 of 2352 bytes (2 of 3 images)"},
		{name: "trailing", replace: map[string][]byte{"train-images-idx3-ubyte.gz": nil, "train-images-idx3-ubyte": append(bytes.Clone(trainImg), 0)},
			file: "train-images-idx3-ubyte", err: ErrTrailing, msg: "after 3 images"},
		{name: "count", replace: map[string][]byte{"train-labels-idx1-ubyte.gz": nil, "train-labels-idx1-ubyte": idxLabels(1, 2)},
			file: "train-labels-idx1-ubyte", err: ErrCount, msg: "count mismatch: header counts 2 labels, want 3"},
		{name: "label", replace: map[string][]byte{"t10k-labels-idx1-ubyte.gz": nil, "t10k-labels-idx1-ubyte": idxLabels(1, 10)},
			file: "t10k-labels-idx1-ubyte", err: ErrLabel, msg: "label 10 at index 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, syn.gz)
			for name, b := range tc.replace {
				os.Remove(filepath.Join(dir, name))
				if b != nil {
					write(t, dir, map[string][]byte{name: b})
				}
			}
			_, err := Load(&Options{Dir: dir})
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != filepath.Join(dir, tc.file) {
				t.Fatalf("err = %v, want a *FileError naming %s", err, filepath.Join(dir, tc.file))
			}
			if want := "mnist: " + filepath.Join(dir, tc.file) + ": "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %q, want prefix %q and %q", err, want, tc.msg)
			}
		})
	}
}

func TestLocateDirErrors(t *testing.T) {
	useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	if _, err := Locate(&Options{Source: Dir}); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no directory given") {
		t.Fatalf("err = %v", err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, err := Locate(&Options{Dir: missing}); !errors.Is(err, ErrNotFound) || err.Error() != "mnist: "+missing+": mnist files not found: no such file or directory" {
		t.Fatalf("err = %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	write(t, filepath.Dir(file), map[string][]byte{"file": nil})
	if _, err := Locate(&Options{Dir: file}); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("err = %v", err)
	}
}

// fakeModCache returns a module cache holding the synthetic files.
func fakeModCache(t *testing.T, syn synthetic) string {
	mc := t.TempDir()
	write(t, filepath.Join(mc, "github.com", "petar", "!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63", "data"), syn.gz)
	return mc
}

func TestLoadModule(t *testing.T) {
	syn := useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	mc := fakeModCache(t, syn)
	for _, o := range []*Options{{ModCache: mc, Offline: true}, {ModCache: mc, Source: Module}} {
		s, err := Load(o)
		if err != nil {
			t.Fatal(err)
		}
		checkSynthetic(t, s)
		f, _ := Locate(o)
		if f.Source != Module || f.TrainImages != filepath.Join(moduleDir(mc), "data", "train-images-idx3-ubyte.gz") {
			t.Fatalf("Locate = %+v", f)
		}
	}
	// $GOMODCACHE is used when Options.ModCache is "".
	t.Setenv("GOMODCACHE", mc)
	if _, err := Load(&Options{Source: Module, Offline: true}); err != nil {
		t.Fatal(err)
	}
	// A bad file in the module cache is an error, not a reason to download.
	os.WriteFile(filepath.Join(moduleDir(mc), "data", "t10k-images-idx3-ubyte.gz"), syn.gz["t10k-labels-idx1-ubyte.gz"], 0o644)
	_, err := Load(&Options{CacheDir: t.TempDir(), Mirrors: []string{"http://127.0.0.1:1/"}})
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), "t10k-images-idx3-ubyte.gz: checksum mismatch") {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
}

func TestLoadModuleOfflineMissing(t *testing.T) {
	useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	mc := t.TempDir()
	_, err := Load(&Options{Source: Module, ModCache: mc, Offline: true})
	want := "mnist: " + ModulePath + "@" + ModuleVersion + ": mnist files not found in the module cache " + mc + " (offline)"
	if !errors.Is(err, ErrNotFound) || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	// Auto: nothing in the module cache nor in the download cache.
	cache := t.TempDir()
	_, err = Load(&Options{ModCache: mc, CacheDir: cache, Offline: true})
	want += "\nmnist: " + cache + ": mnist files not found: 4 of 4 files not downloaded (offline)"
	if !errors.Is(err, ErrNotFound) || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}

func TestLoadAutoFallsBackToCache(t *testing.T) {
	syn := useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	cache := t.TempDir()
	write(t, cache, syn.gz)
	s, err := Load(&Options{ModCache: t.TempDir(), CacheDir: cache, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	checkSynthetic(t, s)
	if f, _ := Locate(&Options{ModCache: t.TempDir(), CacheDir: cache, Offline: true}); f.Source != Download {
		t.Fatalf("source %v, want Download", f.Source)
	}
}

func TestGoModDownloadFails(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	useSynthetic(t)
	t.Setenv("MNIST_DIR", "")
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-modcacherw")
	mc := t.TempDir()
	_, err := Load(&Options{Source: Module, ModCache: mc})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "go mod download: ") || !strings.Contains(err.Error(), "GOPROXY=off") {
		t.Fatalf("err = %v", err)
	}
}

// TestGoModDownload fetches the real GoMNIST module into an empty module
// cache with go mod download, from the machine's module cache used as a
// file proxy (no network).
func TestGoModDownload(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	real := modCache(&Options{})
	proxy := filepath.Join(real, "cache", "download")
	escaped, err := module.EscapePath(ModulePath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(proxy, escaped, "@v", ModuleVersion+".zip")); err != nil {
		t.Skipf("GoMNIST is not in the module cache %s (run go mod download %s@%s): %v", real, ModulePath, ModuleVersion, err)
	}
	t.Setenv("GOPROXY", "file://"+filepath.ToSlash(proxy))
	t.Setenv("GOSUMDB", "off")
	t.Setenv("GOFLAGS", "-modcacherw")
	mc := t.TempDir()
	f, err := Locate(&Options{Source: Module, ModCache: mc})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(moduleDir(mc), "data", "t10k-labels-idx1-ubyte.gz"); f.TestLabels != want {
		t.Fatalf("TestLabels = %s, want %s", f.TestLabels, want)
	}
	s, err := loadFiles(f)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != Len || s.Labels[0] != 5 || s.Labels[TrainLen] != 7 {
		t.Fatalf("Len %d, first labels %d %d", s.Len(), s.Labels[0], s.Labels[TrainLen])
	}
}

// TestModuleDir checks the module cache's spelling of GoMNIST's directory,
// as the go command writes it: each upper-case letter of the path as '!'
// and its lower-case form.
func TestModuleDir(t *testing.T) {
	want := filepath.Join("mc", "github.com", "petar", "!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63")
	if got := moduleDir("mc"); got != want {
		t.Fatalf("moduleDir = %s, want %s", got, want)
	}
}
