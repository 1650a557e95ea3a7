package mnisttest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of
// stopping the goroutine.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                       {}
func (r *recorder) Skipf(format string, a ...any) { r.skipped = fmt.Sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) {
	r.failed = fmt.Sprintf(format, a...)
}

func TestCheck(t *testing.T) {
	missing := &mnist.FileError{File: "/nowhere", Err: fmt.Errorf("%w: no train-images-idx3-ubyte.gz", mnist.ErrNotFound)}
	corrupt := &mnist.FileError{File: "train-images-idx3-ubyte.gz", Err: fmt.Errorf("%w: sha256 00, want 44", mnist.ErrChecksum)}
	for _, c := range []struct {
		name, ci string
		err      error
		skip     bool   // want a skip
		fail     string // want a failure containing this
	}{
		{"nil", "", nil, false, ""},
		{"nil in CI", "true", nil, false, ""},
		{"absent", "", missing, true, ""},
		{"absent, CI=1 is not CI=true", "1", missing, true, ""},
		{"absent in CI", "true", missing, false, "CI=true"},
		{"corrupt", "", corrupt, false, "checksum mismatch"},
		{"other error", "", errors.New("permission denied"), false, "permission denied"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("CI", c.ci)
			r := &recorder{TB: t}
			Check(r, c.err)
			if got := r.skipped != ""; got != c.skip {
				t.Errorf("skipped = %q, want a skip: %v", r.skipped, c.skip)
			}
			if c.fail == "" && r.failed != "" || !strings.Contains(r.failed, c.fail) {
				t.Errorf("failed = %q, want a failure with %q", r.failed, c.fail)
			}
			if c.err != nil && !strings.Contains(r.skipped+r.failed, c.err.Error()) {
				t.Errorf("message %q does not name the error %q", r.skipped+r.failed, c.err)
			}
		})
	}
}
