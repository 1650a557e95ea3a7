package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/preprocess"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
	"gonum.org/v1/gonum/mat"
)

// This file computes the parts of the cache keys of Load and Split.Fit.

// settingsText returns the exported fields of the struct v, but those named
// in skip, as "Name=value" separated by spaces. Floats are written in the
// shortest form that reads back exactly. It panics on a field of another
// kind than bool, number or string, so that a new field of a settings
// struct cannot be left out of the keys unnoticed.
func settingsText(v any, skip ...string) string {
	rv := reflect.ValueOf(v)
	var parts []string
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if !f.IsExported() || slices.Contains(skip, f.Name) {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64, reflect.String:
			parts = append(parts, fmt.Sprintf("%s=%v", f.Name, rv.Field(i).Interface()))
		default:
			panic(fmt.Sprintf("experiment: cache key: %s.%s is a %s; say how it enters the key", rv.Type(), f.Name, f.Type.Kind()))
		}
	}
	return strings.Join(parts, " ")
}

// filesDigest returns the SHA-256 of each of the four MNIST files, as
// "name=hex" separated by spaces.
func filesDigest(f *mnist.Files) (string, error) {
	var parts []string
	for _, path := range []string{f.TrainImages, f.TrainLabels, f.TestImages, f.TestLabels} {
		file, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("experiment: %w", err)
		}
		h := sha256.New()
		_, err = io.Copy(h, file)
		file.Close()
		if err != nil {
			return "", fmt.Errorf("experiment: reading %s: %w", path, err)
		}
		parts = append(parts, filepath.Base(path)+"="+hex.EncodeToString(h.Sum(nil)))
	}
	return strings.Join(parts, " "), nil
}

// dataCode is the digest of the code that prepares the data: the sources of
// pkg/mnist, pkg/preprocess and this package.
var dataCode = sync.OnceValue(func() string {
	return sourceDigest(mnist.Load, preprocess.NewRandomState, PrepareSet)
})

// softmaxCode is the digest of the code that fits a model: the sources of
// pkg/softmax and the versions of the modules it builds on.
var softmaxCode = sync.OnceValue(func() string {
	return sourceDigest(softmax.Fit) + " " + moduleVersions("gonum.org/v1/gonum", "golang.org/x/sys")
})

// sourceDigest returns "src sha256:HEX", the digest of the Go and assembly
// sources (tests and testdata left out) of the packages that define the
// functions fns and of the packages below them (pkg/softmax/internal/...),
// found through the program's debug information. If a source cannot be read
// (a binary built with -trimpath, or run where its sources are not), it
// returns the version of this module from the build information instead, or
// "github.com/mlphys/softmax-mnist@unknown".
func sourceDigest(fns ...any) string {
	h := sha256.New()
	for _, fn := range fns {
		f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer())
		file, _ := f.FileLine(f.Entry())
		if err := hashSources(h, filepath.Dir(file)); err != nil {
			return moduleVersions("github.com/mlphys/softmax-mnist")
		}
	}
	return "src sha256:" + hex.EncodeToString(h.Sum(nil))
}

// hashSources writes to h the names, sizes and contents of the .go files
// (tests left out) and .s files in root and below it, in lexical order,
// skipping testdata and hidden directories.
func hashSources(h io.Writer, root string) error {
	return filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		n := e.Name()
		if e.IsDir() {
			if path != root && (n == "testdata" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(n, "_test.go") || !(strings.HasSuffix(n, ".go") || strings.HasSuffix(n, ".s")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(root), path)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
		_, err = h.Write(b)
		return err
	})
}

// moduleVersions returns "path@version" for each module path in the
// program's build information ("path@unknown" if it is not there).
func moduleVersions(paths ...string) string {
	info, _ := debug.ReadBuildInfo()
	var out []string
	for _, p := range paths {
		v := "unknown"
		if info != nil {
			for _, m := range append([]*debug.Module{&info.Main}, info.Deps...) {
				if m.Path == p {
					if m.Replace != nil {
						m = m.Replace
					}
					v = m.Version + m.Sum
				}
			}
		}
		out = append(out, p+"@"+v)
	}
	return strings.Join(out, " ")
}

// modelFormat is a fingerprint of softmax's model file format: the digest
// of a fixed small model's encoding, which changes with the format version
// and with its layout.
var modelFormat = sync.OnceValue(func() string {
	m := &softmax.Model{Coef: mat.NewDense(2, 2, []float64{1, -2, 0.5, 3}), Intercept: []float64{0.25, -0.25}, Classes: []int{0, 1}}
	b, err := m.MarshalBinary()
	if err != nil {
		return "unavailable"
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:8])
})

// machine returns what of the machine can change a fit's last bits: the
// platform, the Go version and the kernels that softmax runs (assembly or
// pure Go, as the CPU features and the noasm tag choose).
func machine() string {
	return fmt.Sprintf("%s/%s %s %s", runtime.GOOS, runtime.GOARCH, runtime.Version(), softmax.Kernels())
}
