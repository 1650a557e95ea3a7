#!/usr/bin/env bash
# docker-smoke.sh builds the Binder image from the Dockerfile and checks it, for anyone with
# a Docker engine (CI has none; scripts/dockerfile checks the Dockerfile's text there).
#
# Usage: bash scripts/docker-smoke.sh [--no-build]
#
#   1. checks that a Docker engine answers (`docker info`); exits 2 with a message if not;
#   2. docker build -t $SMOKE_IMAGE . (default softmax-mnist:smoke; --no-build reuses it);
#   3. runs `bash scripts/test.sh --no-e2e` inside the image, as the notebook user: setup.sh
#      (which must find everything installed), gofmt, go vet, go test, and the headless
#      execution of the notebooks with their checks (scripts/run-notebooks.sh); the outputs
#      are copied to build/docker-smoke/;
#   4. starts the image's default command (JupyterLab) with a token, waits up to 90 s for it
#      on 127.0.0.1, and checks that it lists the gonb kernel, serves the port notebook, and is
#      the JupyterLab of scripts/python/notebooks.lock; and that Binder's start command,
#      jupyterhub-singleuser, is the one in the image's .venv (from scripts/python/binder.lock).
# Containers are removed on exit, pass or fail.
#
# Exit status: 0 all passed, 1 a step failed, 2 no Docker engine (or no docker command).
set -euo pipefail

build=1
for arg in "$@"; do
	case "$arg" in
	--no-build) build=0 ;;
	-h | --help)
		sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
		exit 0
		;;
	*)
		echo "docker-smoke.sh: unknown argument $arg (try --help)" >&2
		exit 2
		;;
	esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
image=${SMOKE_IMAGE:-softmax-mnist:smoke}
notebook=notebooks/nb7_softmax_mnist.ipynb
out=build/docker-smoke

say() { printf '[docker-smoke] %s\n' "$*"; }
fail() {
	printf '[docker-smoke] FAILED: %s\n' "$*" >&2
	exit 1
}

# --- 1. A Docker engine ---------------------------------------------------------------------
if ! command -v docker >/dev/null 2>&1; then
	say "no 'docker' command: install Docker (https://docs.docker.com/engine/install/) to run this smoke test." >&2
	exit 2
fi
if ! info=$(docker info --format '{{.ServerVersion}}' 2>&1); then
	say "no Docker engine answers ('docker info' failed):" >&2
	printf '%s\n' "$info" | sed -e '/^[[:space:]]*$/d' -e 's/^/    /' >&2
	say "start the Docker daemon (or set DOCKER_HOST) and run this again; nothing was built." >&2
	exit 2
fi
say "Docker engine $info"

containers=()
cleanup() {
	local c
	for c in "${containers[@]}"; do
		docker rm -f "$c" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

# --- 2. Build ---------------------------------------------------------------------------
if [ "$build" = 1 ]; then
	say "docker build -t $image ."
	t0=$SECONDS
	docker build -t "$image" . || fail "docker build"
	say "built $image in $((SECONDS - t0)) s"
else
	docker image inspect "$image" >/dev/null 2>&1 || fail "no image $image (run without --no-build)"
fi

# --- 3. The tests and the notebooks inside the image ----------------------------------------
name="softmax-mnist-smoke-test-$$"
containers+=("$name")
say "in the image: bash scripts/test.sh --no-e2e"
t0=$SECONDS
rc=0
docker run --name "$name" "$image" bash scripts/test.sh --no-e2e || rc=$?
rm -rf "$out"
mkdir -p "$out"
home=$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed -n 's/^HOME=//p')
docker cp "$name:${home:-/home/jovyan}/build/." "$out/" >/dev/null 2>&1 ||
	say "(no build/ outputs to copy from the container)"
[ "$rc" = 0 ] || fail "scripts/test.sh inside the image exited with $rc (outputs in $out/)"
say "tests and notebooks passed inside the image in $((SECONDS - t0)) s (outputs in $out/)"

# --- 4. JupyterLab, as a visitor gets it -----------------------------------------------------
# http_get URL prints the body of a GET with the token, failing on an HTTP error.
http_get() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsS --max-time 10 -H "Authorization: token $token" "$1"
	else
		python3 - "$1" "$token" <<'EOF'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Authorization": "token " + sys.argv[2]})
sys.stdout.write(urllib.request.urlopen(req, timeout=10).read().decode())
EOF
	fi
}
token="smoke-$$-$RANDOM$RANDOM"
lab="softmax-mnist-smoke-lab-$$"
containers+=("$lab")
say "starting the image's default command (JupyterLab)"
docker run -d --name "$lab" -e JUPYTER_TOKEN="$token" -p 127.0.0.1::8888 "$image" >/dev/null
port=$(docker port "$lab" 8888/tcp | head -n1 | sed 's/.*://')
[ -n "$port" ] || fail "the container publishes no port for 8888"
base="http://127.0.0.1:$port"
deadline=$((SECONDS + 90))
until http_get "$base/api/status" >/dev/null 2>&1; do
	if [ "$(docker inspect -f '{{.State.Running}}' "$lab" 2>/dev/null)" != true ]; then
		docker logs "$lab" 2>&1 | tail -n 30 >&2
		fail "the JupyterLab container exited"
	fi
	if [ "$SECONDS" -ge "$deadline" ]; then
		docker logs "$lab" 2>&1 | tail -n 30 >&2
		fail "JupyterLab did not answer on $base within 90 s"
	fi
	sleep 2
done
specs=$(http_get "$base/api/kernelspecs") || fail "GET /api/kernelspecs"
printf '%s' "$specs" | grep -q '"gonb"' || fail "JupyterLab does not list the gonb kernel: $specs"
http_get "$base/api/contents/$notebook?content=0" >/dev/null || fail "JupyterLab does not serve $notebook"
page=$(http_get "$base/lab") || fail "GET /lab"
# The version the page reports (its page config's appVersion) is the one the lock pins.
want_lab=$(sed -n 's/^jupyterlab==\([^ ;\\]*\).*/\1/p' scripts/python/notebooks.lock)
got_lab=$(printf '%s' "$page" | grep -o '"appVersion": *"[^"]*"' | head -n1 | sed 's/.*"\([^"]*\)"$/\1/')
if [ -z "$want_lab" ] || [ "$got_lab" != "$want_lab" ]; then
	fail "the image serves JupyterLab '$got_lab'; scripts/python/notebooks.lock pins '$want_lab'"
fi
singleuser=$(docker exec "$lab" sh -c 'command -v jupyterhub-singleuser') ||
	fail "no jupyterhub-singleuser on the image's PATH (Binder's start command)"
[ "$singleuser" = "${home:-/home/jovyan}/.venv/bin/jupyterhub-singleuser" ] ||
	fail "Binder would start $singleuser, not the one in ${home:-/home/jovyan}/.venv (scripts/python/binder.lock)"
say "JupyterLab $got_lab (the lock's) answers on 8888 with the gonb kernel and $notebook; Binder's $singleuser"
say "all passed"
