#!/bin/sh
# compare.sh runs the four benchmark protocols of issue 3 with pkg/softmax
# and with scikit-learn (the bench environment .venv-bench of
# scripts/setup.sh --bench, else Debian's /usr/bin/python3; -python PY picks one) on
# the same data, shuffle and split, one after the other, and prints for
# each the Go JSON line, the scikit-learn JSON line and a comparison line
# (fit_ratio = scikit-learn fit time / Go fit time). For the converged
# optimum it fits Go's newton-cg and lbfgs and compares both with
# scikit-learn's lbfgs and newton-cg (every pair gets a comparison line),
# then Go's lbfgs with -precondition against scikit-learn's lbfgs; the
# scikit-learn runs take minutes each (lbfgs about 80-300 s).
# Extra arguments go to every bench run (e.g. -data DIR).
set -eu
cd "$(dirname "$0")/../.."
bin="${TMPDIR:-/tmp}/softmax-bench.$$"
trap 'rm -f "$bin"' EXIT
go build -o "$bin" ./scripts/bench
echo "# seed protocol: sag, l2, C=1e5, tol=0.1"
"$bin" -compare "$@"
echo "# saga, l1, C=1e5, tol=0.1"
"$bin" -compare -solver saga -penalty l1 "$@"
echo "# sgd defaults (no scikit-learn counterpart)"
"$bin" -compare -solver sgd "$@"
echo "# newton-cg and lbfgs, l2, C=1, tol=1e-4, max_iter=1000 (converged optimum)"
"$bin" -compare -solver newton-cg,lbfgs -sklearn-solver lbfgs,newton-cg -C 1 -tol 1e-4 -max-iter 1000 -objective "$@"
echo "# lbfgs with -precondition against scikit-learn's lbfgs, l2, C=1, tol=1e-4, max_iter=1000"
"$bin" -compare -solver lbfgs -precondition -C 1 -tol 1e-4 -max-iter 1000 -objective "$@"
