#!/bin/sh
# compare.sh runs the benchmark protocols of the README's speed table with
# pkg/softmax and with its peers on the same data, shuffle and split, one
# after the other, and prints for each the Go JSON line, the peer's JSON line
# and a comparison line (fit_ratio = the peer's fit time / Go's).
#
# The peers run in the bench environment, .venv-bench/bin/python
# (bash scripts/setup.sh --bench: scikit-learn 1.9 with numpy, scipy and
# threadpoolctl; --torch adds PyTorch); -python PATH picks another Python,
# e.g. -python /usr/bin/python3 for Debian's scikit-learn 1.2.1. The first
# line names the Python, the scikit-learn, numpy and scipy versions and
# numpy's BLAS; the load average is printed before and after.
#
# Protocols: the notebook's (sag, l2, C=1e5, tol=0.1); saga with l1; the time
# to 0.92 test accuracy of Go's sgd against PyTorch's SGD (torch_bench.py;
# a note line instead when PyTorch is not installed); the converged optimum
# (C=1, tol=1e-4), Go's newton-cg and lbfgs against scikit-learn's lbfgs and
# newton-cg (every pair gets a comparison line), then Go's lbfgs with
# -precondition against scikit-learn's lbfgs. The scikit-learn runs of the
# converged optimum take minutes each.
#
# Extra arguments go to every bench run (e.g. -data DIR, -python PATH).
set -eu
cd "$(dirname "$0")/../.."
python=.venv-bench/bin/python
prev=
for arg in "$@"; do
	case "$prev" in -python | --python) python=$arg ;; esac
	case "$arg" in -python=* | --python=*) python=${arg#*=} ;; esac
	prev=$arg
done
if ! command -v "$python" >/dev/null 2>&1; then
	echo "compare.sh: no Python $python: bash scripts/setup.sh --bench installs the bench environment .venv-bench (add --torch for PyTorch), or pass -python /usr/bin/python3 for Debian's scikit-learn" >&2
	exit 1
fi
peers=$("$python" scripts/bench/sklearn_bench.py -env)
echo "# peers: $peers"
# The load average before and after: the peers' thread pools suffer far more than Go from
# other work on the machine (scripts/bench/README.md).
load() {
	if [ -r /proc/loadavg ]; then
		echo "# load average $1: $(cut -d' ' -f1-3 /proc/loadavg)"
	fi
}
load before
bin="${TMPDIR:-/tmp}/softmax-bench.$$"
trap 'rm -f "$bin"' EXIT
go build -o "$bin" ./scripts/bench
echo "# seed protocol: sag, l2, C=1e5, tol=0.1"
"$bin" -compare "$@"
echo "# saga, l1, C=1e5, tol=0.1"
"$bin" -compare -solver saga -penalty l1 "$@"
echo "# time to 0.92 test accuracy: sgd with momentum against PyTorch's SGD"
"$bin" -compare -solver sgd -target 0.92 "$@"
echo "# newton-cg and lbfgs, l2, C=1, tol=1e-4, max_iter=1000 (converged optimum)"
"$bin" -compare -solver newton-cg,lbfgs -sklearn-solver lbfgs,newton-cg -C 1 -tol 1e-4 -max-iter 1000 -objective "$@"
echo "# lbfgs with -precondition against scikit-learn's lbfgs, l2, C=1, tol=1e-4, max_iter=1000"
"$bin" -compare -solver lbfgs -precondition -C 1 -tol 1e-4 -max-iter 1000 -objective "$@"
load after
