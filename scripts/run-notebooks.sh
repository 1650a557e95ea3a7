#!/usr/bin/env bash
# run-notebooks.sh executes the GoNB notebooks headless and checks them.
#
# Usage: scripts/run-notebooks.sh [--update] [--restart] [--timing] [--jobs N] [NOTEBOOK...]
#
# With no NOTEBOOK it runs every notebooks/*.ipynb; a NOTEBOOK may be given as
# a path, a file name or a name without .ipynb (nb7_softmax_mnist).
# scripts/nbrun.py executes the notebooks, two at a time (--jobs), and writes, for
# each notebook, under build/notebooks/:
#   NAME.ipynb       the executed notebook (outputs included)
#   NAME.html        its HTML export (figures embedded)
#   NAME.log         the GoNB kernel's log and the exporter's messages
#   NAME.timing.tsv  seconds per code cell: total, compiling, running
# then checks the executed notebook with scripts/check-notebooks.py (no error
# output, no Go panic or "exit status" text, an image in every cell tagged
# "figure", the port's score and sparsity in range), compares its outputs with
# those committed in notebooks/ (scripts/nboutputs.py: equal but for the values
# it declares volatile, such as timings; each notebook under 2 MB) and prints a
# summary. It exits 1 if any notebook failed, 2 if the tools cannot be set up.
#
# Options:
#   --update   write the fresh outputs into notebooks/NAME.ipynb where they differ
#              from the committed ones beyond the volatile values (a notebook whose
#              outputs did not change is not rewritten, so git stays clean)
#   --restart  then run the restart test (scripts/nbrun.py restart): every code cell
#              after the connect cell, alone on a fresh kernel after the connect cell
#   --timing   print the per-cell timing tables
#   --jobs N   notebooks (and restart-test cells) executed at once (default 2)
#
# It runs the project's Python environment's Jupyter (.venv/bin/python with
# nbclient and nbconvert, from scripts/python/notebooks.lock), never one found on
# PATH. If that environment is missing or older than the lock, or the gonb kernel,
# gonb or goimports are missing, it runs scripts/setup.sh, and exits 2 if they are
# still missing after it.
#
# Environment:
#   NB_TIMEOUT           per-cell timeout in seconds (default 600; a cold Go build
#                        cache makes the first cells take 20-45 s each)
#   NB_OUT               output directory (default build/notebooks)
#   SOFTMAX_MNIST_CACHE  the cache of prepared data and fitted models (pkg/cache);
#                        default build/cache here, so that runs of this checkout
#                        share it (the second run reads what the first fitted) and
#                        other checkouts do not; rm -r build/cache empties it
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
timeout=${NB_TIMEOUT:-600}
out=${NB_OUT:-build/notebooks}
export SOFTMAX_MNIST_CACHE=${SOFTMAX_MNIST_CACHE:-$root/build/cache}
outputs=check
restart=0
timing=()
jobs=2
args=()
while [[ $# -gt 0 ]]; do
	case "$1" in
	--update) outputs=update ;;
	--restart) restart=1 ;;
	--timing) timing=(--timing) ;;
	--jobs)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "run-notebooks: --jobs needs a number" >&2; exit 2; }
		jobs=$2
		shift
		;;
	-h | --help)
		sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
		exit 0
		;;
	-*) echo "run-notebooks: unknown option $1 (try --help)" >&2; exit 2 ;;
	*) args+=("$1") ;;
	esac
	shift
done
set -- "${args[@]}"
# shellcheck source=SCRIPTDIR/lib/jupyter.sh
. scripts/lib/jupyter.sh
export PYDEVD_DISABLE_FILE_VALIDATION=1 # quiets a debugger warning of ipykernel
# No browser here: interactive cells (notebooks/explore.ipynb, pkg/explore's Run)
# show their initial state and return instead of waiting for a page. GoNB passes
# the kernel's environment to every cell program.
export SOFTMAX_MNIST_HEADLESS=1
# Go, and Go's bin directory (gonb, goimports, which the kernel needs) on PATH.
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
	export PATH="/usr/local/go/bin:$PATH"
fi
if command -v go >/dev/null; then
	gobin=$(go env GOBIN)
	[[ -n $gobin ]] || gobin="$(go env GOPATH | cut -d: -f1)/bin"
	export PATH="$gobin:$PATH"
fi

# since prints the seconds elapsed since $1 (an $EPOCHREALTIME).
since() { LC_ALL=C awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

die() {
	echo "run-notebooks: $*" >&2
	exit 2
}

# missing prints what the headless run needs and is not there.
missing() {
	command -v go >/dev/null || echo -n "go "
	command -v gonb >/dev/null || echo -n "gonb "
	command -v goimports >/dev/null || echo -n "goimports "
	venv_current "$venv_dir" "$venv_lock" || {
		echo -n ".venv(from $venv_lock as it is now) "
		return
	}
	# One Python start-up checks nbconvert, nbclient and the gonb kernel spec
	# (find_spec: importing nbconvert would take a second or more).
	"$venv_python" - 2>/dev/null <<'EOF' || echo -n "jupyter-nbconvert "
import importlib.util, shutil, sys
if not all(importlib.util.find_spec(m) for m in ("nbclient", "nbconvert", "nbformat")):
    sys.exit(1)
from jupyter_client.kernelspec import KernelSpecManager
try:
    spec = KernelSpecManager().get_kernel_spec("gonb")
except Exception:
    print("gonb-kernel", end=" ")
    sys.exit(0)
if not shutil.which(spec.argv[0]):
    print("gonb-kernel-program", end=" ")
EOF
}

need=$(missing)
if [[ -n $need ]]; then
	echo "run-notebooks: missing: $need- setting up"
	bash scripts/setup.sh || echo "run-notebooks: scripts/setup.sh exited with $?"
	need=$(missing)
	[[ -z $need ]] || die "still missing after setup: $need(see scripts/setup.sh's messages above)"
fi
py=$venv_python

# The notebooks to run.
notebooks=()
if [[ $# -eq 0 ]]; then
	notebooks=(notebooks/*.ipynb)
	[[ -e ${notebooks[0]} ]] || die "no notebooks in notebooks/"
else
	for a in "$@"; do
		for p in "$a" "notebooks/$a" "notebooks/$a.ipynb"; do
			if [[ -f $p && $p == *.ipynb ]]; then
				notebooks+=("$p")
				continue 2
			fi
		done
		die "no notebook $a (looked for $a, notebooks/$a, notebooks/$a.ipynb)"
	done
fi

mkdir -p "$out"
summary=()
failed=0
total_start=$EPOCHREALTIME
for nb in "${notebooks[@]}"; do
	name=$(basename "$nb" .ipynb)
	rm -f "$out/$name.ipynb" "$out/$name.html" "$out/$name.status"
done
# nbrun.py prints a line per notebook (and the differences of outputs, if any); it
# writes NAME.status, which the loop below reads.
"$py" scripts/nbrun.py run --out "$out" --jobs "$jobs" --timeout "$timeout" \
	--outputs "$outputs" "${timing[@]}" "${notebooks[@]}" || true
for nb in "${notebooks[@]}"; do
	name=$(basename "$nb" .ipynb)
	read -r status secs why <"$out/$name.status" 2>/dev/null || { status=FAILED secs=- why="no result (see $out/$name.log)"; }
	if [[ ! -f $out/$name.ipynb ]]; then
		status=FAILED
	else
		"$py" scripts/check-notebooks.py "$out/$name.ipynb" || status=FAILED
	fi
	[[ $status == ok ]] || failed=1
	summary+=("$(printf '%-6s  %-28s %6s s  %s' "$status" "$name" "$secs" "${why:-}")")
	if [[ -n ${why:-} && -f $out/$name.log ]]; then
		echo "end of $out/$name.log:"
		grep -v '^[IWE][0-9]\{4\} ' "$out/$name.log" | tail -n 15 | sed 's/^/    | /'
	fi
done
if [[ $restart == 1 ]]; then
	echo
	echo "=== restart test: each code cell alone on a fresh kernel, after the connect cell"
	start=$EPOCHREALTIME
	status=ok
	"$py" scripts/nbrun.py restart --out "$out" --jobs "$jobs" --timeout "$timeout" "${notebooks[@]}" || { status=FAILED; failed=1; }
	summary+=("$(printf '%-6s  %-28s %6s s' "$status" "restart test" "$(since "$start")")")
fi

echo
echo "=== summary (executed notebooks and HTML in $out/)"
printf '%s\n' "${summary[@]}"
echo "total $(since "$total_start") s"
if [[ -f $out/nb7_softmax_mnist.ipynb && " ${notebooks[*]} " == *nb7_softmax_mnist* ]]; then
	echo "--- nb7_softmax_mnist results"
	"$py" - "$out/nb7_softmax_mnist.ipynb" <<'EOF'
import json, re, sys
nb = json.load(open(sys.argv[1]))
rx = re.compile(r"^(Example run in|Sparsity with L2 penalty|Test score with L2 penalty)")
for c in nb["cells"]:
    for o in c.get("outputs", []):
        if o.get("output_type") == "stream":
            for line in "".join(o["text"]).splitlines():
                if rx.match(line):
                    print(line)
EOF
fi
exit $failed
