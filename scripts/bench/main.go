// Command bench runs the MNIST softmax notebook's protocol with
// pkg/softmax and prints one JSON line of timings and scores:
//
//	load the 70000 images (OpenML mnist_784 order), shuffle them with
//	numpy's RandomState(0).permutation, split with scikit-learn's
//	train_test_split(random_state=split-seed), standardise with a
//	StandardScaler fitted on the training rows, fit, score on the test rows.
//
// Usage:
//
//	go run ./scripts/bench [-solver sag] [-penalty l2] [-C 1e5] [-tol 0.1] ...
//
// (-h lists every flag with its default.)
// The defaults are the notebook's LogisticRegression(C=1e5, penalty='l2',
// solver='sag', tol=0.1) on 50000 training and 10000 test images. The
// output fields are solver, penalty, C, tol, train_size, load_s (load,
// shuffle, split, scaler), fit_s (softmax.Fit), total_s, n_iter,
// sparsity_pct, test_score and first_perm (the first five indices of the
// shuffle permutation). Bad flags or data print one line to stderr and
// exit with status 2 (flags) or 1 (data, fit).
//
// With -compare, bench also runs scikit-learn on the same protocol
// (scripts/bench/sklearn_bench.py with the bench environment's Python,
// .venv-bench from scripts/setup.sh --bench; -python picks another) and
// prints its JSON line, then a line with the fit-time ratio; an sgd fit is
// compared with PyTorch's SGD (scripts/bench/torch_bench.py) on the time to
// the -target test accuracy. See scripts/bench/README.md.
// -solver and -sklearn-solver take comma-separated lists (for example
// -solver newton-cg,lbfgs -sklearn-solver lbfgs,newton-cg): the data are
// prepared once, each Go solver prints its line, each scikit-learn solver
// its line, and every Go/scikit-learn pair a comparison line.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/mlphys/softmax-mnist/pkg/experiment"
	"github.com/mlphys/softmax-mnist/pkg/mnist"
	"github.com/mlphys/softmax-mnist/pkg/softmax"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Result is the JSON line printed by bench.
type Result struct {
	Impl        string  `json:"impl"`
	Solver      string  `json:"solver"`
	Penalty     string  `json:"penalty"`
	C           float64 `json:"C"`
	Tol         float64 `json:"tol"`
	TrainSize   int     `json:"train_size"`
	LoadS       float64 `json:"load_s"`
	FitS        float64 `json:"fit_s"`
	TotalS      float64 `json:"total_s"`
	NIter       int     `json:"n_iter"`
	SparsityPct float64 `json:"sparsity_pct"`
	TestScore   float64 `json:"test_score"`
	FirstPerm   []int   `json:"first_perm"`
	Converged   *bool   `json:"converged,omitempty"`
	Objective   float64 `json:"objective,omitempty"`
	// Passes is the number of full-batch passes over the data (gradients
	// and Hessian-vector products) of the full-batch solvers.
	Passes int `json:"passes,omitempty"`
	// BLAS is, for scikit-learn, the BLAS library numpy calls and its
	// threads (scikit-learn's lbfgs and newton-cg times depend on it).
	BLAS string `json:"blas,omitempty"`
	// Precondition reports an lbfgs fit with Settings.Precondition.
	Precondition bool `json:"precondition,omitempty"`
	// Version is the peer library's version (scikit-learn, PyTorch).
	Version string `json:"version,omitempty"`
	// Target is the -target test accuracy of an sgd fit; TimeToTargetS is
	// the fit time of the first fit of 1, 2, ... epochs whose test accuracy
	// reaches it, and TargetEpochs its epochs (both absent when none does).
	Target        float64  `json:"target,omitempty"`
	TimeToTargetS *float64 `json:"time_to_target_s,omitempty"`
	TargetEpochs  int      `json:"target_epochs,omitempty"`
}

type options struct {
	data       string
	solver     softmax.Solver
	solvers    []softmax.Solver // -solver list; solver is the one being run
	skSolvers  []softmax.Solver // -sklearn-solver list
	penalty    softmax.Penalty
	c          float64
	l1Ratio    float64
	tol        float64
	maxIter    int
	trainSize  int
	testSize   int
	splitSeed  uint32
	seed       uint64
	threads    int
	objective  bool
	precond    bool
	compare    bool
	target     float64
	python     string
	sklearnPy  string
	progress   bool
	batchSize  int
	lr         float64
	momentum   float64
	cpuProfile string
	stderr     io.Writer
	stdout     io.Writer
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var solver, skSolver, penalty, splitSeed string
	fs.StringVar(&o.data, "data", "", "`directory` of the four MNIST IDX files (default: the loader's sources)")
	fs.StringVar(&solver, "solver", "sag", "solver: sag, saga, lbfgs, sgd or newton-cg (a comma-separated list runs each)")
	fs.StringVar(&skSolver, "sklearn-solver", "", "scikit-learn solvers for -compare, comma-separated (default: the -solver list)")
	fs.StringVar(&penalty, "penalty", "l2", "penalty: l2, l1, elasticnet or none")
	fs.Float64Var(&o.c, "C", 1e5, "inverse regularisation strength")
	fs.Float64Var(&o.l1Ratio, "l1-ratio", 0, "elastic-net mixing parameter in [0, 1]")
	fs.Float64Var(&o.tol, "tol", 0.1, "stopping tolerance")
	fs.IntVar(&o.maxIter, "max-iter", 0, "iteration limit (0: the solver's default, 100; 3 epochs for sgd)")
	fs.IntVar(&o.trainSize, "train-size", 50000, "training rows")
	fs.IntVar(&o.testSize, "test-size", 10000, "test rows")
	fs.StringVar(&splitSeed, "split-seed", "0", "train_test_split random_state")
	fs.Uint64Var(&o.seed, "seed", 0, "seed of the solver's sample draws")
	fs.IntVar(&o.threads, "threads", 0, "goroutines of the full-batch kernels (0: GOMAXPROCS)")
	fs.BoolVar(&o.objective, "objective", false, "also report the objective C*sum CE + penalty of the fitted model")
	fs.BoolVar(&o.precond, "precondition", false, "lbfgs with softmax.Settings.Precondition (the class-block preconditioner)")
	fs.BoolVar(&o.compare, "compare", false, "also run scikit-learn on the same protocol and print the fit-time ratio")
	fs.StringVar(&o.python, "python", "", "`path` of the peers' Python, for -compare (default: .venv-bench/bin/python, the bench environment of scripts/setup.sh --bench)")
	fs.Float64Var(&o.target, "target", 0, "sgd: also report the time to this test `accuracy` (0: off); with -compare, PyTorch's")
	fs.StringVar(&o.sklearnPy, "sklearn-script", "", "`path` of sklearn_bench.py (default: next to this source; the other peers next to it)")
	fs.BoolVar(&o.progress, "progress", false, "print per-epoch progress to stderr")
	fs.IntVar(&o.batchSize, "batch-size", 0, "sgd mini-batch size (0: softmax.DefaultSGDBatchSize)")
	fs.Float64Var(&o.lr, "learning-rate", 0, "sgd learning rate (0: softmax.DefaultSGDLearningRate)")
	fs.Float64Var(&o.momentum, "momentum", 0, "sgd momentum (0: softmax.DefaultSGDMomentum)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the fit to this `file`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// Only -h prints the flags; a bad flag is one line, from run.
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: go run ./scripts/bench [flags]")
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if o.solvers, err = parseSolvers(solver); err != nil {
		return nil, err
	}
	o.solver = o.solvers[0]
	if o.skSolvers, err = sklearnSolvers(skSolver, o.solvers); err != nil {
		return nil, err
	}
	if o.penalty, err = softmax.ParsePenalty(penalty); err != nil {
		return nil, err
	}
	s, err := strconv.ParseUint(splitSeed, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("-split-seed %q: want an integer in [0, 2^32)", splitSeed)
	}
	o.splitSeed = uint32(s)
	switch {
	case !(o.c > 0) || math.IsInf(o.c, 0):
		return nil, fmt.Errorf("-C %v: must be positive and finite", o.c)
	case !(o.tol > 0) || math.IsInf(o.tol, 0):
		return nil, fmt.Errorf("-tol %v: must be positive and finite", o.tol)
	case math.IsNaN(o.l1Ratio) || o.l1Ratio < 0 || o.l1Ratio > 1:
		return nil, fmt.Errorf("-l1-ratio %v: must be in [0, 1]", o.l1Ratio)
	case o.maxIter < 0:
		return nil, fmt.Errorf("-max-iter %d: must not be negative", o.maxIter)
	case o.trainSize <= 0:
		return nil, fmt.Errorf("-train-size %d: must be positive", o.trainSize)
	case o.testSize <= 0:
		return nil, fmt.Errorf("-test-size %d: must be positive", o.testSize)
	case o.trainSize+o.testSize > mnist.TrainLen+mnist.TestLen:
		return nil, fmt.Errorf("-train-size %d plus -test-size %d exceed the %d images", o.trainSize, o.testSize, mnist.TrainLen+mnist.TestLen)
	case o.threads < 0:
		return nil, fmt.Errorf("-threads %d: must not be negative", o.threads)
	case !(o.target >= 0 && o.target <= 1):
		return nil, fmt.Errorf("-target %v: must be a test accuracy in [0, 1]", o.target)
	}
	return o, nil
}

// sklearnSolvers parses the -sklearn-solver list; an empty list means the
// Go solvers but sgd, which scikit-learn's LogisticRegression does not have.
func sklearnSolvers(list string, goSolvers []softmax.Solver) ([]softmax.Solver, error) {
	if list == "" {
		var out []softmax.Solver
		for _, s := range goSolvers {
			if s != softmax.SGD {
				out = append(out, s)
			}
		}
		return out, nil
	}
	out, err := parseSolvers(list)
	if err != nil {
		return nil, fmt.Errorf("-sklearn-solver: %v", err)
	}
	for _, s := range out {
		if s == softmax.SGD {
			return nil, errors.New("-sklearn-solver sgd: scikit-learn's LogisticRegression has no sgd solver")
		}
	}
	return out, nil
}

// parseSolvers parses a comma-separated list of solver names.
func parseSolvers(list string) ([]softmax.Solver, error) {
	var out []softmax.Solver
	for _, name := range strings.Split(list, ",") {
		s, err := softmax.ParseSolver(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0 // parse printed the usage
		}
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 2
	}
	o.stdout, o.stderr = stdout, stderr
	for _, sv := range append(append([]softmax.Solver(nil), o.solvers...), o.skSolvers...) {
		st := o.settings()
		st.Solver = sv
		st.Precondition = o.precond && sv == softmax.LBFGS
		if err := st.Validate(); err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 2
		}
	}
	if o.compare {
		if o.python, err = peerPython(o); err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
	}
	start := time.Now()
	sp, err := prepare(o)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	loadS := time.Since(start).Seconds()
	var results []*Result
	for _, sv := range o.solvers {
		o.solver = sv
		res, err := bench(o, sp, loadS)
		if err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		line, _ := json.Marshal(res)
		fmt.Fprintln(stdout, string(line))
		results = append(results, res)
	}
	if !o.compare {
		return 0
	}
	if err := comparePeers(o, results); err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	return 0
}

// comparePeers runs the peers on the same data and prints their lines and
// a comparison line for each Go fit: each scikit-learn solver of
// o.skSolvers against every Go fit but sgd's, and PyTorch against sgd's
// (time to o.target).
func comparePeers(o *options, results []*Result) error {
	for _, skv := range o.skSolvers {
		o.solver = skv
		sk, err := sklearn(o)
		if err != nil {
			return fmt.Errorf("scikit-learn: %v", err)
		}
		for _, res := range results {
			if res.Solver == "sgd" {
				continue
			}
			cmp := map[string]any{
				"compare":          res.Solver + "/" + res.Penalty,
				"fit_ratio":        round(sk.FitS/res.FitS, 2),
				"score_diff":       round(res.TestScore-sk.TestScore, 4),
				"same_permutation": fmt.Sprint(sk.FirstPerm) == fmt.Sprint(res.FirstPerm),
			}
			if skv.String() != res.Solver || res.Precondition {
				goName := res.Solver
				if res.Precondition {
					goName += " (preconditioned)"
				}
				cmp["compare"] = "go " + goName + " vs sklearn " + skv.String() + "/" + res.Penalty
			}
			if res.Objective != 0 && sk.Objective != 0 {
				cmp["objective_rel_diff"] = (res.Objective - sk.Objective) / math.Abs(sk.Objective)
			}
			printJSON(o.stdout, cmp)
		}
	}
	for _, res := range results {
		if res.Solver == "sgd" {
			if err := compareTorch(o, res); err != nil {
				return fmt.Errorf("PyTorch: %v", err)
			}
		}
	}
	return nil
}

// compareTorch runs scripts/bench/torch_bench.py, PyTorch's softmax
// regression with SGD, to o.target and prints its line and the ratio of
// its time to the target over the Go sgd fit's (res). It prints a note
// instead when there is no target or PyTorch is not installed.
func compareTorch(o *options, res *Result) error {
	name := "go sgd vs torch sgd/" + res.Penalty
	if o.target == 0 {
		printJSON(o.stdout, map[string]any{"compare": name, "note": "PyTorch is compared on the time to a test accuracy: pass -target (e.g. 0.92)"})
		return nil
	}
	th, err := runPeer(o, "torch_bench.py", "-target", fmt.Sprint(o.target), "-C", fmt.Sprint(o.c))
	var missing notInstalled
	if errors.As(err, &missing) {
		printJSON(o.stdout, map[string]any{"compare": name, "note": err.Error() + "; skipped"})
		return nil
	}
	if err != nil {
		return err
	}
	cmp := map[string]any{
		"compare":          name,
		"target":           o.target,
		"score_diff":       round(res.TestScore-th.TestScore, 4),
		"same_permutation": fmt.Sprint(th.FirstPerm) == fmt.Sprint(res.FirstPerm),
	}
	switch {
	case res.TimeToTargetS != nil && th.TimeToTargetS != nil:
		cmp["time_to_target_ratio"] = round(*th.TimeToTargetS / *res.TimeToTargetS, 2)
		cmp["go_epochs"], cmp["torch_epochs"] = res.TargetEpochs, th.TargetEpochs
	case th.TimeToTargetS != nil:
		cmp["note"] = "go sgd did not reach the target"
	case res.TimeToTargetS != nil:
		cmp["note"] = "torch did not reach the target"
	default:
		cmp["note"] = "neither reached the target"
	}
	printJSON(o.stdout, cmp)
	return nil
}

// printJSON prints v as one JSON line.
func printJSON(w io.Writer, v any) {
	line, _ := json.Marshal(v)
	fmt.Fprintln(w, string(line))
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func (o *options) settings() *softmax.Settings {
	return &softmax.Settings{
		Solver: o.solver, Penalty: o.penalty, C: o.c, L1Ratio: o.l1Ratio,
		Tol: o.tol, MaxIter: o.maxIter, Seed: o.seed, Threads: o.threads,
		BatchSize: o.batchSize, LearningRate: o.lr, Momentum: o.momentum,
		Precondition: o.precond && o.solver == softmax.LBFGS,
	}
}

// prepare loads, shuffles, splits and scales the data (pkg/experiment).
func prepare(o *options) (*experiment.Split, error) {
	ps := &experiment.Settings{TrainSize: o.trainSize, TestSize: o.testSize, SplitSeed: o.splitSeed}
	if o.data != "" {
		ps.MNIST = &mnist.Options{Source: mnist.Dir, Dir: o.data}
	}
	return experiment.Prepare(ps)
}

// bench fits o.solver on the prepared data; loadS is the time prepare took.
func bench(o *options, sp *experiment.Split, loadS float64) (*Result, error) {
	runtime.GC()
	loaded := time.Now()
	s := o.settings()
	passes := 0
	s.Progress = func(p softmax.Progress) {
		passes = p.Passes
		if o.progress {
			fmt.Fprintf(o.stderr, "iter %d loss %.6g rel_change %.3g passes %d elapsed %.3fs\n", p.Iter, p.Loss, p.RelChange, p.Passes, p.Elapsed.Seconds())
		}
	}
	x := sp.TrainData()
	y := sp.Train.Ints()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
	}
	m, err := softmax.Fit(x, y, s)
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return nil, err
	}
	fitted := time.Now()
	score := m.Score(sp.TestData(), sp.Test.Ints())
	conv := m.Converged
	res := &Result{
		Impl:         "go",
		Solver:       o.solver.String(),
		Penalty:      o.penalty.String(),
		C:            o.c,
		Tol:          o.tol,
		TrainSize:    o.trainSize,
		LoadS:        round(loadS, 3),
		FitS:         round(fitted.Sub(loaded).Seconds(), 3),
		NIter:        m.NIter,
		SparsityPct:  round(m.Sparsity(), 4),
		TestScore:    score,
		FirstPerm:    sp.Permutation[:5],
		Converged:    &conv,
		Passes:       passes,
		Precondition: o.precond && o.solver == softmax.LBFGS,
	}
	if o.objective {
		yi, err := softmax.ClassIndex(y, m.Classes)
		if err != nil {
			return nil, err
		}
		res.Objective = softmax.Loss(x, yi, m.Coef, m.Intercept, s)
	}
	res.TotalS = round(loadS+time.Since(loaded).Seconds(), 3)
	if o.target > 0 && o.solver == softmax.SGD {
		if err := timeToTarget(o, sp, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// timeToTarget records in res, the line of an sgd fit of res.NIter epochs,
// the fit time of the first of the fits of 1, 2, ..., res.NIter epochs
// whose test accuracy reaches o.target (scoring is not timed; the last fit
// is res's own). sgd's learning rate decays over the epochs of a fit, so
// each shorter fit runs on its own rather than stopping a longer one.
func timeToTarget(o *options, sp *experiment.Split, res *Result) error {
	res.Target = o.target
	x, y := sp.TrainData(), sp.Train.Ints()
	xt, yt := sp.TestData(), sp.Test.Ints()
	for e := 1; e <= res.NIter; e++ {
		fitS, score := res.FitS, res.TestScore
		if e < res.NIter {
			s := o.settings()
			s.MaxIter = e
			runtime.GC()
			start := time.Now()
			m, err := softmax.Fit(x, y, s)
			if err != nil {
				return err
			}
			fitS = round(time.Since(start).Seconds(), 3)
			score = m.Score(xt, yt)
		}
		if score >= o.target {
			res.TimeToTargetS, res.TargetEpochs = &fitS, e
			return nil
		}
	}
	return nil
}

// sklearn runs scripts/bench/sklearn_bench.py with the same protocol and
// settings (o.solver is scikit-learn's solver).
func sklearn(o *options) (*Result, error) {
	args := []string{
		"-solver", o.solver.String(), "-penalty", o.penalty.String(),
		"-C", fmt.Sprint(o.c), "-l1-ratio", fmt.Sprint(o.l1Ratio), "-tol", fmt.Sprint(o.tol),
	}
	if o.maxIter > 0 {
		args = append(args, "-max-iter", fmt.Sprint(o.maxIter))
	}
	if o.objective {
		args = append(args, "-objective")
	}
	return runPeer(o, "sklearn_bench.py", args...)
}

// notInstalled is the message of a peer script whose library is not
// installed for the Python (it exits with status 3, peer.MISSING).
type notInstalled string

func (e notInstalled) Error() string { return string(e) }

// runPeer runs the peer script name (peerScript) under o.python on the
// same data and split as the Go fit, with args appended; it prints the
// peer's JSON line and returns it parsed.
func runPeer(o *options, name string, args ...string) (*Result, error) {
	script, err := peerScript(o, name)
	if err != nil {
		return nil, err
	}
	data := o.data
	if data == "" {
		files, err := mnist.Locate(nil)
		if err != nil {
			return nil, err
		}
		data = filepath.Dir(files.TrainImages)
	}
	args = append([]string{script, "-data", data,
		"-train-size", fmt.Sprint(o.trainSize), "-test-size", fmt.Sprint(o.testSize),
		"-split-seed", fmt.Sprint(o.splitSeed)}, args...)
	cmd := exec.Command(o.python, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := bytes.TrimSpace(errb.Bytes())
		if i := bytes.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == peerMissing {
			return nil, notInstalled(msg)
		}
		return nil, fmt.Errorf("%s: %v: %s", o.python, err, msg)
	}
	var res Result
	line := bytes.TrimSpace(out.Bytes())
	if err := json.Unmarshal(line, &res); err != nil {
		return nil, fmt.Errorf("parse %s output: %v", script, err)
	}
	var compact bytes.Buffer
	json.Compact(&compact, line)
	fmt.Fprintln(o.stdout, compact.String())
	return &res, nil
}

// peerMissing is the exit status of a peer script whose library is not
// installed (peer.MISSING in scripts/bench/peer.py).
const peerMissing = 3

// peerPython returns -python, or else the bench environment's Python
// (benchPython of this repository).
func peerPython(o *options) (string, error) {
	if o.python != "" {
		if _, err := exec.LookPath(o.python); err != nil {
			return "", fmt.Errorf("-python %s: %v", o.python, err)
		}
		return o.python, nil
	}
	dir, err := sourceDir()
	if err != nil {
		return "", err
	}
	return benchPython(filepath.Join(dir, "..", ".."))
}

// benchPython returns the Python of the bench environment of the repository
// at root, root/.venv-bench/bin/python (made by scripts/setup.sh --bench from
// scripts/python/bench.lock), or an error naming the set-up command when it
// is not installed.
func benchPython(root string) (string, error) {
	env := filepath.Join(root, ".venv-bench")
	py := filepath.Join(env, "bin", "python")
	if st, err := os.Stat(py); err != nil || st.IsDir() {
		return "", fmt.Errorf("-compare: the bench environment %s is not installed (no %s): run bash scripts/setup.sh --bench, or pass -python /usr/bin/python3 for Debian's scikit-learn", filepath.Clean(env), filepath.Clean(py))
	}
	return py, nil
}

// peerScript returns the path of the peer script name: next to this
// source file, or next to -sklearn-script, which names sklearn_bench.py.
func peerScript(o *options, name string) (string, error) {
	if o.sklearnPy != "" {
		if name == "sklearn_bench.py" {
			return o.sklearnPy, nil
		}
		return filepath.Join(filepath.Dir(o.sklearnPy), name), nil
	}
	dir, err := sourceDir()
	return filepath.Join(dir, name), err
}

// sourceDir returns the directory of this source file, scripts/bench.
func sourceDir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate scripts/bench (built with -trimpath?); pass -python and -sklearn-script")
	}
	return filepath.Dir(file), nil
}
