package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/cache"
)

func TestShowAndClear(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(cache.EnvDir, dir)
	for _, name := range []string{"model-1.cache", "split-2.cache", "keep.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, 500000), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errs bytes.Buffer
	if rc := run(nil, &out, &errs); rc != 0 || out.String() != "cache: "+dir+": 2 entries, 1.0 MB\n" {
		t.Errorf("show: exit %d, output %q %q", rc, out.String(), errs.String())
	}
	out.Reset()
	if rc := run([]string{"-clear"}, &out, &errs); rc != 0 || out.String() != "cache: removed 2 entries (1.0 MB) from "+dir+"\n" {
		t.Errorf("clear: exit %d, output %q %q", rc, out.String(), errs.String())
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 1 || left[0].Name() != "keep.txt" {
		t.Errorf("left after -clear: %v, want keep.txt only", left)
	}
	if rc := run([]string{"extra"}, &out, &errs); rc != 2 || !strings.Contains(errs.String(), `unexpected argument "extra"`) {
		t.Errorf("an extra argument: exit %d, %q", rc, errs.String())
	}
}
