#!/usr/bin/env bash
# run.sh runs the browser tests (node --test over scripts/e2e/*.test.mjs, one
# file at a time): a JupyterLab 4 server (which also serves Notebook 7) with
# the gonb kernel, from a temporary copy of the repository, driven by
# Chromium through playwright-core (no browser download). Screenshots, logs
# and each test's times go to build/e2e/ (emptied first). Exit code: node --test's.
#
# Usage: bash scripts/e2e/run.sh [TEST_FILE...]   (default: every *.test.mjs here)
# Needs: Chromium (Debian's package chromium at /usr/bin/chromium, or E2E_CHROMIUM),
# node and npm, the project's Python environment .venv (JupyterLab 4 and
# Notebook 7 from scripts/python/notebooks.lock, the gonb kernel spec) and
# gonb and goimports: bash scripts/setup.sh --e2e installs all of them.
# Settings and bounds: the top of lib/notebook.mjs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../lib/jupyter.sh
. scripts/lib/jupyter.sh
export E2E_OUT="${E2E_OUT:-$PWD/build/e2e}"
out=$E2E_OUT
cd scripts/e2e

die() {
	echo "e2e: $*" >&2
	exit 1
}
hint="install it with: bash scripts/setup.sh --e2e"

command -v node >/dev/null || die "node is not installed ($hint)"
chromium="${E2E_CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || die "Chromium not found at $chromium ($hint, or set E2E_CHROMIUM)"
# The JupyterLab of the project's environment, not one on PATH.
export E2E_JUPYTER="${E2E_JUPYTER:-$venv_dir/bin/jupyter-lab}"
[[ -x "$E2E_JUPYTER" ]] || die "JupyterLab $E2E_JUPYTER is not installed ($hint)"

# Node packages from the committed lockfile, when missing or older than the lockfile.
if [[ ! -f node_modules/playwright-core/package.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
	command -v npm >/dev/null || die "npm is not installed ($hint)"
	echo "e2e: npm ci (playwright-core from package-lock.json; it downloads no browser)"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

if [[ $# -gt 0 ]]; then
	tests=("$@")
else
	tests=(*.test.mjs)
fi
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS
rc=0
node --test --test-concurrency=1 --test-reporter=spec "${tests[@]}" || rc=$?
echo "e2e: ${#tests[@]} test file(s) in $((SECONDS - start)) s, exit $rc; screenshots and logs in $out"
exit "$rc"
