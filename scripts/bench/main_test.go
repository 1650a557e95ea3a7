package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlphys/softmax-mnist/internal/mnisttest"
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
		{"-solver", "newton-cg", "-penalty", "l1"},
		{"-solver", "lbfgs,liblinear"},
		{"-sklearn-solver", "sgd"},
		{"-sklearn-solver", "liblinear"},
		{"-solver", "saga", "-penalty", "l1", "-sklearn-solver", "newton-cg"},
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
	files := mnisttest.Files(t)
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

// TestSolverList checks that a -solver list prints one line per solver,
// with the full-batch passes of newton-cg and lbfgs.
func TestSolverList(t *testing.T) {
	lines := runLines(t, 2, "-train-size", "1000", "-test-size", "500",
		"-solver", "newton-cg,lbfgs", "-C", "1", "-tol", "1e-2", "-objective")
	var objs []float64
	for i, want := range []string{"newton-cg", "lbfgs"} {
		var r Result
		if err := json.Unmarshal([]byte(lines[i]), &r); err != nil {
			t.Fatal(err)
		}
		if r.Solver != want || r.Passes < r.NIter || r.NIter == 0 || r.Converged == nil || !*r.Converged {
			t.Errorf("line %d: %s", i, lines[i])
		}
		objs = append(objs, r.Objective)
	}
	if d := math.Abs(objs[0]-objs[1]) / objs[1]; d > 1e-4 {
		t.Errorf("objectives %v differ by %g", objs, d)
	}
}

// TestPreconditionFlag checks that -precondition reaches the lbfgs fit of a
// -solver list, and only it.
func TestPreconditionFlag(t *testing.T) {
	lines := runLines(t, 2, "-train-size", "1000", "-test-size", "500",
		"-solver", "sag,lbfgs", "-C", "1", "-tol", "1e-2", "-precondition")
	for i, want := range []bool{false, true} {
		var r Result
		if err := json.Unmarshal([]byte(lines[i]), &r); err != nil {
			t.Fatal(err)
		}
		if r.Precondition != want {
			t.Errorf("line %d: precondition %v, want %v: %s", i, r.Precondition, want, lines[i])
		}
	}
}

// runLines runs the bench on the MNIST files found offline (without them
// t skips or fails as mnisttest.Check says) with args and returns its want
// output lines.
func runLines(t *testing.T, want int, args ...string) []string {
	t.Helper()
	files := mnisttest.Files(t)
	var out, errb bytes.Buffer
	if code := run(append([]string{"-data", filepath.Dir(files.TrainImages)}, args...), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != want {
		t.Fatalf("%d lines, want %d: %q", len(lines), want, out.String())
	}
	return lines
}

// TestBenchPython checks that -compare's default Python is the bench environment's when
// the repository has one, and Debian's /usr/bin/python3 otherwise.
func TestBenchPython(t *testing.T) {
	root := t.TempDir()
	if got := benchPython(root); got != "/usr/bin/python3" {
		t.Errorf("without .venv-bench: benchPython = %q, want /usr/bin/python3", got)
	}
	bin := filepath.Join(root, ".venv-bench", "bin")
	if err := os.MkdirAll(filepath.Join(bin, "python"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := benchPython(root); got != "/usr/bin/python3" {
		t.Errorf("with a directory named python: benchPython = %q, want /usr/bin/python3", got)
	}
	if err := os.Remove(filepath.Join(bin, "python")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "python"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, want := benchPython(root), filepath.Join(bin, "python"); got != want {
		t.Errorf("with .venv-bench: benchPython = %q, want %q", got, want)
	}
}

// TestHelpListsEveryFlag checks that -h prints every flag of the flag table
// in README.md, and no other: a hand-written usage line would miss some.
func TestHelpListsEveryFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-h"}, &out, &errb); code != 0 || out.Len() != 0 {
		t.Fatalf("-h: exit %d, stdout %q; want exit 0 and the usage on stderr", code, out.String())
	}
	var printed []string
	for _, line := range strings.Split(errb.String(), "\n") {
		if f, ok := strings.CutPrefix(line, "  -"); ok {
			printed = append(printed, "-"+strings.Fields(f)[0])
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, line := range strings.Split(string(readme), "\n") {
		// Table rows: | `-a`, `-b X` | default | meaning |
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`-") {
			continue
		}
		for _, f := range strings.Split(cells[1], ",") {
			documented = append(documented, strings.Fields(strings.Trim(strings.TrimSpace(f), "`"))[0])
		}
	}
	slices.Sort(printed)
	slices.Sort(documented)
	if len(printed) < 20 || !slices.Equal(printed, documented) {
		t.Errorf("-h lists %d flags %v,\nREADME.md's table %d %v", len(printed), printed, len(documented), documented)
	}
}
