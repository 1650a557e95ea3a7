// Package dockerfile holds the tests of the repository's Dockerfile and .dockerignore.
//
// The Dockerfile is what Binder (repo2docker) builds when someone presses "launch", and no
// Docker engine runs in CI, so the tests read the file with BuildKit's own parser
// (github.com/moby/buildkit/frontend/dockerfile/parser, the parser docker build uses) and
// check what makes the image work and keeps it reproducible:
//
//   - every FROM image is pinned by a specific tag (one with a version or a date, never
//     latest) or by a sha256 digest;
//   - the Go stage is the official golang image whose version matches go.mod's go line
//     (same minor version, and a patch release no older than go.mod's), and the final stage
//     copies /usr/local/go from it (no curl or wget of tarballs anywhere);
//   - the final stage is a Jupyter Docker Stacks image, declares repo2docker's NB_USER and
//     NB_UID, copies the repository into the notebook user's home, runs scripts/setup.sh
//     (the install path that CI runs) as that user, then a warm-up build;
//   - the final USER is not root, port 8888 is exposed, and the default command starts
//     JupyterLab on the port notebook;
//   - the image serves the locks' Jupyter: setup.sh's .venv (from
//     scripts/python/notebooks.lock) is first on PATH, where Binder finds
//     jupyterhub-singleuser; SETUP_PYTHON is the base image's Python; every pip install is
//     .venv's pip with --require-hashes and -r a committed scripts/python/*.lock, naming no
//     package; nothing is installed with conda or mamba; scripts/python/binder.lock (JupyterHub)
//     is installed after setup.sh; and the locks agree: every pin hashed, JupyterLab 4.6.x and
//     Notebook 7.x in notebooks.lock, jupyterhub in binder.lock and no package there at
//     another version than notebooks.lock's.
//
// The negative tests feed mutated copies of the Dockerfile (latest tag, a tagless image, an
// older Go, USER root, no setup.sh, a curl download, another command, another jupyterlab, the
// lock skipped or unhashed) and of the locks to the same checks and assert that each one is
// rejected.
//
// The package has no non-test code. It is a nested module (its own go.mod) so that BuildKit
// stays out of the library's go.mod: (cd scripts/dockerfile && go test ./...) runs it, and
// scripts/test.sh does so for every nested module.
package dockerfile
