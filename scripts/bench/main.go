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
// (scripts/bench/sklearn_bench.py under .venv-bench/bin/python, the bench
// environment of scripts/setup.sh --bench, else /usr/bin/python3) and prints its
// JSON line, then a line with the fit-time ratio; see scripts/bench/README.md.
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
	fs.StringVar(&o.python, "python", "", "`path` of a Python with scikit-learn, for -compare (default: .venv-bench/bin/python of scripts/setup.sh --bench if it exists, else /usr/bin/python3)")
	fs.StringVar(&o.sklearnPy, "sklearn-script", "", "`path` of sklearn_bench.py (default: next to this source)")
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
	if skSolver == "" {
		for _, s := range o.solvers {
			if s != softmax.SGD {
				o.skSolvers = append(o.skSolvers, s)
			}
		}
	} else {
		if o.skSolvers, err = parseSolvers(skSolver); err != nil {
			return nil, fmt.Errorf("-sklearn-solver: %v", err)
		}
		for _, s := range o.skSolvers {
			if s == softmax.SGD {
				return nil, errors.New("-sklearn-solver sgd: scikit-learn's LogisticRegression has no sgd solver")
			}
		}
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
	}
	return o, nil
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
	if len(o.skSolvers) == 0 {
		fmt.Fprintln(stdout, `{"compare":"sgd/`+o.penalty.String()+`","note":"scikit-learn's LogisticRegression has no sgd solver: nothing to compare"}`)
		return 0
	}
	for _, skv := range o.skSolvers {
		o.solver = skv
		sk, err := sklearn(o)
		if err != nil {
			fmt.Fprintf(stderr, "bench: scikit-learn: %v\n", err)
			return 1
		}
		line, _ := json.Marshal(sk)
		fmt.Fprintln(stdout, string(line))
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
			line, _ = json.Marshal(cmp)
			fmt.Fprintln(stdout, string(line))
		}
	}
	return 0
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
	return res, nil
}

// benchPython returns the Python that -compare runs without -python: the bench
// environment of the repository at root (root/.venv-bench/bin/python, made by
// scripts/setup.sh --bench from scripts/python/bench.lock) if it exists, else
// Debian's /usr/bin/python3 (python3-sklearn, scikit-learn 1.2.1).
func benchPython(root string) string {
	p := filepath.Join(root, ".venv-bench", "bin", "python")
	if st, err := os.Stat(p); err == nil && !st.IsDir() {
		return p
	}
	return "/usr/bin/python3"
}

// sklearn runs scripts/bench/sklearn_bench.py with the same protocol.
func sklearn(o *options) (*Result, error) {
	_, file, _, ok := runtime.Caller(0)
	script := o.sklearnPy
	if script == "" {
		if !ok {
			return nil, errors.New("cannot locate sklearn_bench.py; pass -sklearn-script")
		}
		script = filepath.Join(filepath.Dir(file), "sklearn_bench.py")
	}
	python := o.python
	if python == "" {
		python = "/usr/bin/python3"
		if ok {
			python = benchPython(filepath.Join(filepath.Dir(file), "..", ".."))
		}
	}
	args := []string{script,
		"-solver", o.solver.String(), "-penalty", o.penalty.String(),
		"-C", fmt.Sprint(o.c), "-l1-ratio", fmt.Sprint(o.l1Ratio), "-tol", fmt.Sprint(o.tol),
		"-train-size", fmt.Sprint(o.trainSize), "-test-size", fmt.Sprint(o.testSize),
		"-split-seed", fmt.Sprint(o.splitSeed),
	}
	if o.maxIter > 0 {
		args = append(args, "-max-iter", fmt.Sprint(o.maxIter))
	}
	if o.objective {
		args = append(args, "-objective")
	}
	if o.data != "" {
		args = append(args, "-data", o.data)
	} else {
		files, err := mnist.Locate(nil)
		if err != nil {
			return nil, err
		}
		args = append(args, "-data", filepath.Dir(files.TrainImages))
	}
	cmd := exec.Command(python, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := bytes.TrimSpace(errb.Bytes())
		if i := bytes.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		return nil, fmt.Errorf("%s: %v: %s", python, err, msg)
	}
	var res Result
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &res); err != nil {
		return nil, fmt.Errorf("parse %s output: %v", script, err)
	}
	return &res, nil
}
