# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source it
# The project's Python environments, shared by scripts/setup.sh, run-notebooks.sh and
# e2e/run.sh; source it with the repository root as the working directory.
#
#   .venv/        Jupyter from scripts/python/notebooks.lock (JupyterLab, Notebook 7,
#                 nbconvert, nbclient, ipykernel) and the gonb kernel spec
#                 (.venv/share/jupyter/kernels/gonb)
#   .venv-bench/  scikit-learn from scripts/python/bench.lock (setup.sh --bench), or
#                 with PyTorch from torch.lock (setup.sh --torch)
#
# The scripts run these environments' programs by path (.venv/bin/jupyter,
# .venv/bin/python), never a jupyter or python found on PATH. SETUP_PYTHON names the
# Python 3 that creates them (default: python3 on PATH).

venv_dir=$PWD/.venv
venv_python=$venv_dir/bin/python
venv_jupyter=$venv_dir/bin/jupyter
venv_lock=scripts/python/notebooks.lock
bench_dir=$PWD/.venv-bench
bench_lock=scripts/python/bench.lock

# venv_stamp LOCK prints what the stamp of an environment installed from LOCK says: the
# lock's sha256 and the creating Python's version and installation (sys.base_prefix, which
# a virtual environment shares with the Python it was made from, so an activated .venv
# stamps as the Python outside it). It fails without that Python.
venv_stamp() {
	local base=${SETUP_PYTHON:-python3} sum ver
	sum=$(sha256sum "$1" | cut -d' ' -f1) || return 1
	ver=$("$base" -c 'import platform, sys; print(platform.python_version(), sys.base_prefix)' 2>/dev/null) || return 1
	printf '%s %s python %s\n' "$sum" "$(basename "$1")" "$ver"
}

# venv_current DIR LOCK succeeds when DIR was installed from LOCK, as it is now, by the
# Python that would create it now (its stamp DIR/.setup-stamp is written last).
venv_current() {
	local want
	[ -x "$1/bin/python" ] && [ -f "$1/.setup-stamp" ] || return 1
	want=$(venv_stamp "$2") || return 1
	[ "$(cat "$1/.setup-stamp")" = "$want" ]
}
