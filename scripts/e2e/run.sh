#!/usr/bin/env bash
# run.sh runs the browser end-to-end test of the port notebook: a Jupyter
# Notebook server with the gonb kernel from a temporary copy of the repository,
# driven by Debian's Chromium through playwright-core (no browser download).
# Screenshots and logs go to build/e2e/. Exit code: node --test's.
#
# Usage: bash scripts/e2e/run.sh
# Needs: /usr/bin/chromium (Debian package chromium), node and npm, the
# project's Python environment .venv (its jupyter-notebook, Notebook 7, from
# scripts/python/notebooks.lock) and the gonb kernel with goimports
# (bash scripts/setup.sh --e2e installs all of them).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../lib/jupyter.sh
. scripts/lib/jupyter.sh
cd scripts/e2e

die() {
	echo "e2e: $*" >&2
	exit 1
}
hint="install it with: bash scripts/setup.sh --e2e"

command -v node >/dev/null || die "node is not installed ($hint)"
chromium="${E2E_CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || die "Chromium not found at $chromium ($hint, or set E2E_CHROMIUM)"
# The Jupyter server of the project's environment, not one on PATH.
export E2E_JUPYTER="${E2E_JUPYTER:-$venv_dir/bin/jupyter-notebook}"
[[ -x "$E2E_JUPYTER" ]] || die "the Jupyter Notebook server $E2E_JUPYTER is not installed ($hint)"

# Node packages from the committed lockfile, when missing or older than the lockfile.
if [[ ! -f node_modules/playwright-core/package.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
	command -v npm >/dev/null || die "npm is not installed ($hint)"
	echo "e2e: npm ci (playwright-core from package-lock.json; it downloads no browser)"
	npm ci --no-audit --no-fund --loglevel=error
fi

exec node --test nb7_softmax_mnist.test.mjs
