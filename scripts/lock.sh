#!/usr/bin/env bash
# lock.sh regenerates the Python lock files from their inputs in scripts/python/:
#
#   notebooks.in -> notebooks.lock   Jupyter (.venv/, installed by scripts/setup.sh)
#   bench.in     -> bench.lock       scikit-learn and friends (.venv-bench/, setup.sh --bench)
#   binder.in    -> binder.lock      JupyterHub's single-user server, Binder's start command (the
#                                    Dockerfile adds it to .venv); compiled with notebooks.lock as
#                                    constraints, so it pins what they share at the same versions
#   torch.in     -> torch.lock       bench.lock plus PyTorch (.venv-bench/, setup.sh --torch);
#                                    compiled with bench.lock as constraints, likewise
#
# Usage: bash scripts/lock.sh
#
# It installs uv (UV_VERSION, from PyPI) into a throwaway virtual environment and runs
# `uv pip compile --universal --python-version 3.11 --generate-hashes` on each input: every
# package at one exact version with the sha256 of every file PyPI has for it, resolved for
# Python 3.11 and every later Python on every platform (markers where they differ), so the
# same lock installs on this machine's Python 3.11 and on the Binder image's newer Python.
# Nothing else uses uv: scripts/setup.sh installs a lock with pip --require-hashes.
# Each lock is written atomically; commit the .in and .lock files together.
set -euo pipefail

uv_version=${UV_VERSION:-0.13.8}
python_floor=3.11 # the oldest Python the locks must install on (this machine's)

dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/python" && pwd)
py=${PYTHON:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/softmax-lock.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "lock: uv $uv_version into a throwaway venv ($tmp)"
"$py" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$uv_version"
uv=$tmp/venv/bin/uv

for name in notebooks bench binder torch; do
	in=$dir/$name.in
	out=$dir/$name.lock
	by="scripts/setup.sh"
	constraints=()
	if [ "$name" = binder ]; then
		by="the Dockerfile, into setup.sh's .venv,"
		constraints=(-c scripts/python/notebooks.lock) # the one written above
	elif [ "$name" = torch ]; then
		constraints=(-c scripts/python/bench.lock) # the one written above
	fi
	echo "lock: $in -> $out"
	# Relative paths in the command line uv records in the lock's header.
	(cd "$dir/../.." && "$uv" pip compile --quiet --no-config \
		--universal --python-version "$python_floor" --generate-hashes \
		--custom-compile-command "bash scripts/lock.sh" \
		-o "$tmp/$name.lock" "${constraints[@]}" "scripts/python/$name.in")
	{
		echo "# $name.lock: exact versions and sha256 hashes of scripts/python/$name.in,"
		echo "# compiled by uv $uv_version for Python >= $python_floor on any platform (--universal)."
		echo "# Installed by $by with: pip install --require-hashes --no-deps -r $name.lock"
		cat "$tmp/$name.lock"
	} >"$out.tmp.$$"
	mv -f "$out.tmp.$$" "$out"
	echo "lock: $(grep -c '^[A-Za-z0-9]' "$out") packages in $out"
done
