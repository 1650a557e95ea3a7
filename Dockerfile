# JupyterLab with the Go kernel (GoNB), this repository and the MNIST data, ready at first click.
#
# Binder (repo2docker) builds this file as is. Locally:
#   docker build -t softmax-mnist .
#   docker run --rm -p 8888:8888 softmax-mnist
# then open the http://127.0.0.1:8888/lab?token=... address that the container prints.
# bash scripts/docker-smoke.sh builds it and runs the notebooks inside it.
#
# scripts/dockerfile (a Go test that CI runs) checks this file with BuildKit's parser:
# pinned base images, the Go version against go.mod, scripts/setup.sh as the install step,
# the Python environment from the committed locks, a non-root final user, port 8888 and
# JupyterLab as the default command.

# Go from the official image, the version of go.mod's go line (no curl of tarballs).
FROM golang:1.26.8-bookworm AS go

# Jupyter Docker Stacks' base-notebook at a dated, immutable tag (Ubuntu 24.04, Python 3.13),
# never "latest": the user, start scripts and layout Binder expects. Its own conda Jupyter is not
# what visitors get: the server comes from the locks (below), first on PATH.
FROM quay.io/jupyter/base-notebook:2026-08-24

# repo2docker passes these; the base image's notebook user is jovyan, uid 1000, group users (100).
ARG NB_USER=jovyan
ARG NB_UID=1000
ARG NB_GID=100
ENV USER=${NB_USER} \
    HOME=/home/${NB_USER}

COPY --from=go /usr/local/go /usr/local/go
# .venv/bin first: the Python environment that scripts/setup.sh makes from the locks is the one
# every server runs in, Binder's `jupyterhub-singleuser` and the CMD's `jupyter lab` alike.
# SETUP_PYTHON: the base image's Python 3.13 creates .venv (with .venv first on PATH, python3
# would be .venv's own once it exists, and setup.sh, run again, would recreate it from itself).
# GOTOOLCHAIN=local: go.mod's go line is this toolchain, never download another one.
# -buildvcs=false: the image has no git (and .dockerignore leaves .git out).
ENV PATH=${HOME}/.venv/bin:/usr/local/go/bin:${HOME}/go/bin:${PATH} \
    SETUP_PYTHON=/opt/conda/bin/python3 \
    PIP_NO_CACHE_DIR=1 \
    GOTOOLCHAIN=local \
    GOFLAGS=-buildvcs=false \
    DOCKER_STACKS_JUPYTER_CMD=lab

# The repository, owned by the notebook user, in its home (JupyterLab's root directory).
COPY --chown=${NB_UID}:${NB_GID} . ${HOME}/
USER ${NB_UID}
WORKDIR ${HOME}

# The same install path as CI: .venv from scripts/python/notebooks.lock (JupyterLab 4.6,
# Notebook 7, nbconvert, ipykernel; pip --require-hashes, wheels for any Python >= 3.11) with the
# gonb kernel registered in it, gonb and goimports from go.mod's tools, the Go modules and MNIST
# in the module cache, the build cache warmed. Then Binder's start command, JupyterHub's
# single-user server, into the same .venv from scripts/python/binder.lock (locked against
# notebooks.lock, so it changes none of its versions), and pip check.
RUN bash scripts/setup.sh
RUN .venv/bin/python -m pip install --require-hashes --no-deps --only-binary :all: -r scripts/python/binder.lock && \
    .venv/bin/python -m pip check

# Warm-up: build the packages, then execute the port notebook headless once on the gonb kernel,
# so that std, gonum, gonum/plot, GoNB's packages and the project's are in the Go build cache
# and a visitor's first cell takes seconds, not the 20-45 s of a cold build. A failing cell
# fails the build. The executed copy and the cell modules are thrown away; the prepared data
# and the port's model stay in the notebooks' cache (~/.cache/softmax-mnist/results, see
# pkg/cache), so a visitor's cell that draws the model reads it instead of fitting it.
RUN set -e; \
    go build ./...; \
    jupyter nbconvert --to notebook --execute \
        --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=900 \
        --output-dir /tmp/warmup notebooks/nb7_softmax_mnist.ipynb; \
    rm -rf build; \
    find /tmp -mindepth 1 -maxdepth 1 -user "$(id -u)" -exec rm -rf {} +

EXPOSE 8888
# JupyterLab (DOCKER_STACKS_JUPYTER_CMD=lab; .venv's jupyter, first on PATH) on 0.0.0.0:8888,
# opening the port notebook. Binder starts its own server command (jupyterhub-singleuser, .venv's
# too) and opens ?labpath=notebooks/nb7_softmax_mnist.ipynb.
CMD ["start-notebook.py", "--ServerApp.ip=0.0.0.0", "--ServerApp.port=8888", "--ServerApp.default_url=/lab/tree/notebooks/nb7_softmax_mnist.ipynb"]
