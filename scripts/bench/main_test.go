package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-solver", "liblinear"},
		{"-penalty", "l3"},
		{"-C", "0"},
		{"-C", "-1"},
		{"-tol", "0"},
		{"-l1-ratio", "2"},
		{"-max-iter", "-1"},
		{"-train-size", "0"},
		{"-test-size", "-5"},
		{"-train-size", "65000"},
		{"-split-seed", "x"},
		{"-split-seed", "-1"},
		{"-threads", "-1"},
		{"-solver", "lbfgs", "-penalty", "l1"},
		{"-solver", "sag", "-penalty", "elasticnet"},
		{"-solver", "sgd", "-momentum", "1"},
		{"-nope"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		msg := errb.String()
		if code != 2 || out.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "bench: ") || strings.Contains(msg, "goroutine") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one error line", args, code, out.String(), msg)
		}
	}
}

func TestBadData(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"-data", filepath.Join(t.TempDir(), "missing")}, &out, &errb)
	if code != 1 || out.Len() != 0 || strings.Count(errb.String(), "\n") != 1 || !strings.HasPrefix(errb.String(), "bench: ") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and one error line", code, out.String(), errb.String())
	}
}

func TestSmallRun(t *testing.T) {
	files, err := mnist.Locate(&mnist.Options{Offline: true})
	if err != nil {
		t.Skipf("MNIST files not available offline: %v", err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"-data", filepath.Dir(files.TrainImages), "-train-size", "2000", "-test-size", "1000", "-solver", "sgd"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var r map[string]any
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("output %q is not one JSON line: %v", out.String(), err)
	}
	for _, k := range []string{"solver", "penalty", "C", "tol", "train_size", "load_s", "fit_s", "total_s", "n_iter", "sparsity_pct", "test_score", "first_perm"} {
		if _, ok := r[k]; !ok {
			t.Errorf("field %q missing from %s", k, out.String())
		}
	}
	perm := r["first_perm"].([]any)
	want := []float64{10840, 56267, 14849, 62726, 47180}
	for i, v := range want {
		if perm[i].(float64) != v {
			t.Errorf("first_perm = %v, want %v", perm, want)
			break
		}
	}
	if s := r["test_score"].(float64); s < 0.8 {
		t.Errorf("test score %v", s)
	}
}
