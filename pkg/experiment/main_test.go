package experiment

import (
	"fmt"
	"os"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/cache"
)

// TestMain points the cache of Load and Split.Fit at a temporary directory,
// so that the tests and examples neither read nor fill the user's cache.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "experiment-cache")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv(cache.EnvDir, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
