#!/usr/bin/env bash
# run-notebooks.sh executes the GoNB notebooks headless and checks them.
#
# Usage: scripts/run-notebooks.sh [NOTEBOOK...]
#
# With no argument it runs every notebooks/*.ipynb; a NOTEBOOK may be given as
# a path, a file name or a name without .ipynb (nb7_softmax_mnist).
# For each notebook it writes, under build/notebooks/:
#   NAME.ipynb  the executed notebook (outputs included)
#   NAME.html   its HTML export (figures embedded)
#   NAME.log    nbconvert's and the GoNB kernel's log
# then checks the executed notebook with scripts/check-notebooks.py (no error
# output, no Go panic or "exit status" text, an image in every cell tagged
# "figure", the port's score and sparsity in range) and prints a summary.
# It exits 1 if any notebook failed, 2 if the tools cannot be set up.
#
# It runs the project's Python environment's Jupyter (.venv/bin/jupyter, from
# scripts/python/notebooks.lock), never one found on PATH. If that environment is
# missing or older than the lock, or the gonb kernel, gonb or goimports are missing,
# it runs scripts/setup.sh, and exits 2 if they are still missing after it.
#
# Environment:
#   NB_TIMEOUT  per-cell timeout in seconds (default 600; a cold Go build
#               cache makes the first cells take 20-45 s each)
#   NB_OUT      output directory (default build/notebooks)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
timeout=${NB_TIMEOUT:-600}
out=${NB_OUT:-build/notebooks}
# shellcheck source=SCRIPTDIR/lib/jupyter.sh
. scripts/lib/jupyter.sh
export PYDEVD_DISABLE_FILE_VALIDATION=1 # quiets a debugger warning of ipykernel
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
	# One Python start-up checks nbconvert, nbclient and the gonb kernel spec.
	"$venv_python" - 2>/dev/null <<'EOF' || echo -n "jupyter-nbconvert "
import shutil, sys
try:
    import nbclient, nbconvert
    from jupyter_client.kernelspec import KernelSpecManager
except ImportError:
    sys.exit(1)
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
	log="$out/$name.log"
	echo "=== $nb"
	rm -f "$out/$name.ipynb" "$out/$name.html"
	start=$EPOCHREALTIME
	# --allow-errors: keep going after a failing cell so the executed notebook
	# and its HTML are written; check-notebooks.py turns errors into a failure.
	rc=0
	"$venv_jupyter" nbconvert --to notebook --execute --allow-errors \
		--ExecutePreprocessor.kernel_name=gonb \
		--ExecutePreprocessor.timeout="$timeout" \
		--output-dir "$out" --output "$name" "$nb" >"$log" 2>&1 || rc=$?
	secs=$(since "$start")
	if [[ $rc -ne 0 || ! -f $out/$name.ipynb ]]; then
		echo "FAILED $nb: nbconvert exited with $rc (a cell over ${timeout}s, or the kernel died); end of $log:"
		grep -v '^[IWE][0-9]\{4\} ' "$log" | tail -n 15 | sed 's/^/    | /'
		summary+=("$(printf 'FAILED  %-28s %6s s  (nbconvert, see %s)' "$name" "$secs" "$log")")
		failed=1
		continue
	fi
	# GoNB v0.11.4 reports an empty pygments_lexer, which makes nbconvert
	# highlight the Go code as Python: name the Go lexer in the executed notebook.
	"$py" - "$out/$name.ipynb" <<'EOF'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
info = nb.metadata.setdefault("language_info", {})
if info.get("name", "go") == "go" and not info.get("pygments_lexer"):
    info.update(name="go", pygments_lexer="go", codemirror_mode="go")
    nbformat.write(nb, sys.argv[1])
EOF
	"$venv_jupyter" nbconvert --to html --output-dir "$out" "$out/$name.ipynb" >>"$log" 2>&1 ||
		echo "warning: HTML export of $name failed, see $log"
	status=ok
	"$py" scripts/check-notebooks.py "$out/$name.ipynb" || { status=FAILED; failed=1; }
	summary+=("$(printf '%-6s  %-28s %6s s' "$status" "$name" "$secs")")
done

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
