package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
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
		{"-target", "1.5"},
		{"-target", "-0.5"},
		{"-target", "NaN"},
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
	var out, errb bytes.Buffer
	if code := run(append([]string{"-data", dataDir(t)}, args...), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != want {
		t.Fatalf("%d lines, want %d: %q", len(lines), want, out.String())
	}
	return lines
}

// TestTimeToTarget checks -target against fits of 1, 2 and 3 epochs run
// on their own: time_to_target_s and target_epochs belong to the first whose
// test score reaches the target, and are absent when none does.
func TestTimeToTarget(t *testing.T) {
	small := []string{"-train-size", "2000", "-test-size", "1000", "-solver", "sgd"}
	var scores []float64
	for e := 1; e <= 3; e++ {
		var r Result
		if err := json.Unmarshal([]byte(runLines(t, 1, append(small, "-max-iter", fmt.Sprint(e))...)[0]), &r); err != nil {
			t.Fatal(err)
		}
		scores = append(scores, r.TestScore)
	}
	t.Logf("scores of 1, 2, 3 epochs: %v", scores)
	for _, target := range []float64{scores[0], scores[1], scores[2], 0.999} {
		want := 0
		for e, s := range scores {
			if s >= target {
				want = e + 1
				break
			}
		}
		var r Result
		line := runLines(t, 1, append(small, "-target", fmt.Sprint(target))...)[0]
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		reached := r.TimeToTargetS != nil
		if r.Target != target || r.TargetEpochs != want || reached != (want > 0) || reached && !(*r.TimeToTargetS > 0) {
			t.Errorf("-target %v: %s; want target_epochs %d", target, line, want)
		}
	}
}

// TestPeerNotInstalled runs -compare with a Python that has neither
// scikit-learn nor PyTorch (a new virtual environment): scikit-learn's
// absence is an error naming the Python and the set-up command, PyTorch's
// a note line.
func TestPeerNotInstalled(t *testing.T) {
	py := emptyVenv(t)
	small := []string{"-train-size", "1000", "-test-size", "500", "-compare", "-python", py}
	var out, errb bytes.Buffer
	code := run(append([]string{"-data", dataDir(t)}, small...), &out, &errb)
	msg := errb.String()
	if code != 1 || !strings.Contains(msg, "scikit-learn is not installed for "+py) || !strings.Contains(msg, "bash scripts/setup.sh --bench") || strings.Count(msg, "\n") != 1 {
		t.Errorf("sag: exit %d, stderr %q; want exit 1 and one line naming %s and setup.sh --bench", code, msg, py)
	}
	lines := runLines(t, 2, append(small, "-solver", "sgd", "-target", "0.5")...)
	var note map[string]string
	if err := json.Unmarshal([]byte(lines[1]), &note); err != nil {
		t.Fatal(err)
	}
	if n := note["note"]; !strings.Contains(n, "PyTorch is not installed for "+py) || !strings.Contains(n, "bash scripts/setup.sh --torch") {
		t.Errorf("sgd: %s; want a note naming %s and setup.sh --torch", lines[1], py)
	}
}

// TestComparePeers runs -compare against the bench environment's
// scikit-learn and, if installed there, PyTorch on a small split. L-BFGS
// with the same -tol must reach the same optimum on both sides (scikit-learn
// 1.9 divides its objective by the training rows: sklearn_bench.py divides
// tol by them too).
func TestComparePeers(t *testing.T) {
	if _, err := peerPython(&options{}); err != nil {
		t.Skip(err)
	}
	lines := runLines(t, 3, "-train-size", "1000", "-test-size", "1000", "-compare",
		"-solver", "lbfgs", "-C", "1", "-tol", "1e-4", "-max-iter", "1000", "-objective")
	var sk Result
	var cmp map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &sk); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[2]), &cmp); err != nil {
		t.Fatal(err)
	}
	if sk.Impl != "sklearn" || !strings.HasPrefix(sk.Version, "1.9.") || !strings.Contains(sk.BLAS, "threads") || sk.SparsityPct == 0 {
		t.Errorf("scikit-learn line %s: want scikit-learn 1.9.x, its BLAS and the fit", lines[1])
	}
	if cmp["same_permutation"] != true || !(cmp["fit_ratio"].(float64) > 0) || math.Abs(cmp["score_diff"].(float64)) > 0.005 ||
		!(math.Abs(cmp["objective_rel_diff"].(float64)) < 1e-6) {
		t.Errorf("comparison line %s: want the same permutation, score and objective", lines[2])
	}
	lines = runLines(t, 3, "-train-size", "2000", "-test-size", "1000", "-compare", "-solver", "sgd", "-target", "0.8")
	if strings.Contains(lines[1], "not installed") {
		t.Skipf("PyTorch: %s", lines[1])
	}
	var th Result
	if err := json.Unmarshal([]byte(lines[1]), &th); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[2]), &cmp); err != nil {
		t.Fatal(err)
	}
	if th.Impl != "torch" || th.TimeToTargetS == nil || th.SparsityPct == 0 || cmp["same_permutation"] != true || !(cmp["time_to_target_ratio"].(float64) > 0) {
		t.Errorf("PyTorch lines %q", lines[1:])
	}
}

// emptyVenv returns the Python of a new virtual environment without
// packages, skipping t when python3 cannot make one.
func emptyVenv(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "venv")
	if out, err := exec.Command("python3", "-m", "venv", "--without-pip", dir).CombinedOutput(); err != nil {
		t.Skipf("python3 -m venv: %v: %s", err, out)
	}
	py := filepath.Join(dir, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		t.Skip(err)
	}
	return py
}

// dataDir returns the directory of the MNIST files found offline (without
// them t skips or fails as mnisttest.Check says).
func dataDir(t *testing.T) string {
	t.Helper()
	return filepath.Dir(mnisttest.Files(t).TrainImages)
}

// TestBenchPython checks that -compare's default Python is the bench
// environment's, and that without one the error names the environment and
// the set-up command.
func TestBenchPython(t *testing.T) {
	root := t.TempDir()
	bin := filepath.Join(root, ".venv-bench", "bin")
	wantErr := func(what string) {
		t.Helper()
		got, err := benchPython(root)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(root, ".venv-bench")) || !strings.Contains(err.Error(), "bash scripts/setup.sh --bench") {
			t.Errorf("%s: benchPython = %q, %v; want an error naming .venv-bench and setup.sh --bench", what, got, err)
		}
	}
	wantErr("without .venv-bench")
	if err := os.MkdirAll(filepath.Join(bin, "python"), 0o755); err != nil {
		t.Fatal(err)
	}
	wantErr("with a directory named python")
	if err := os.Remove(filepath.Join(bin, "python")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "python"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := benchPython(root); got != filepath.Join(bin, "python") || err != nil {
		t.Errorf("with .venv-bench: benchPython = %q, %v; want %q", got, err, filepath.Join(bin, "python"))
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
