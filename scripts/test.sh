#!/usr/bin/env bash
# test.sh is the project's one test command (CI runs it through .ci/run).
#
# Usage: bash scripts/test.sh [--e2e | --no-e2e] [--no-setup] [--docker]
#
# Stages, in order (a failed stage does not stop the later ones, except as noted):
#   setup      bash scripts/setup.sh (with --e2e when the browser test runs); if it fails,
#              nothing else runs (except when only an optional component is missing: exit 3)
#   gofmt      every .go file, nested modules included, is gofmt-clean (the unformatted
#              files are listed)
#   vet        go vet ./..., in the root module and in every nested module (a go.mod below
#              the root: scripts/dockerfile, the Dockerfile's test, and scripts/workflows, the
#              GitHub workflow's lint)
#   go test    go test -count=1 -json ./... in the same modules (run, not taken from the test
#              cache; the fuzz targets' seed corpora run as ordinary tests), shown as plain go
#              test shows it; the summary counts the tests (subtests included) passed, failed
#              and skipped, and names each skip
#   race       go test -count=1 -race -short on the packages with goroutines: pkg/softmax (and its kernels),
#              pkg/display and pkg/mnist (less its tests that only decode the real files,
#              which the race detector slows tenfold); needs cgo and a C compiler
#   checker    the tests of scripts/check-notebooks.py (scripts/check_notebooks_test.py:
#              hand-made executed notebooks it must pass or fail)
#   nbtools    the tests of the comparison of committed and fresh outputs
#              (scripts/nboutputs_test.py, Python unittest in .venv)
#   notebooks  bash scripts/run-notebooks.sh --restart: every notebook executed headless and
#              checked (errors, panics, figures, the port's score and sparsity, the committed
#              outputs equal to the fresh ones), then the restart test (each code cell alone
#              on a fresh kernel after the connect cell); needs go build ./...
#   e2e        bash scripts/e2e/run.sh: the browser test; runs when CI=true or with --e2e
#   docker     bash scripts/docker-smoke.sh; only with --docker (needs a Docker engine)
# A stage whose script does not exist yet is reported as skipped.
#
# Options:
#   --e2e / --no-e2e  run / skip the browser test (default: run it when CI=true)
#   --no-setup        skip scripts/setup.sh (for a quick re-run)
#   --docker          also run scripts/docker-smoke.sh
#
# Output: each stage's own output, then a summary: one line per stage, go test's package
# lines again, the count of tests and the skipped ones, and a closing "stages: N passed,
# N failed, N skipped" line. Logs of go test are kept in build/test/ (go-test.log as shown,
# go-test.json the events, go-test.summary the counts). The exit code is 0 only if no stage
# failed.
set -euo pipefail

e2e=0
[ "${CI:-}" = true ] && e2e=1
do_setup=1
docker=0
for arg in "$@"; do
	case "$arg" in
	--e2e) e2e=1 ;;
	--no-e2e) e2e=0 ;;
	--no-setup) do_setup=0 ;;
	--docker) docker=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
		exit 0
		;;
	*)
		echo "test.sh: unknown argument $arg (try --help)" >&2
		exit 2
		;;
	esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
logs=build/test
mkdir -p "$logs"
start=$SECONDS

# Go's bin directory (gonb, goimports) on PATH, as setup.sh arranges it.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	export PATH="/usr/local/go/bin:$PATH"
fi
if command -v go >/dev/null 2>&1; then
	gobin=$(go env GOBIN)
	if [ -z "$gobin" ]; then
		gopath=$(go env GOPATH)
		gobin="${gopath%%:*}/bin"
	fi
	export PATH="$gobin:$PATH"
fi

results=() # "name|status|seconds|note"
passed=0
failed=0
skipped=0

banner() { printf '\n==> [%s] %s\n' "$1" "$2"; }

# record NAME STATUS SECONDS [NOTE] adds a line to the summary.
record() {
	results+=("$1|$2|$3|${4:-}")
	case "$2" in
	ok) passed=$((passed + 1)) ;;
	FAILED) failed=$((failed + 1)) ;;
	*) skipped=$((skipped + 1)) ;;
	esac
}

# stage NAME COMMAND... runs COMMAND, shows its output and records the result.
stage() {
	local name=$1 t0=$SECONDS rc=0
	shift
	banner "$name" "$*"
	"$@" || rc=$?
	if [ "$rc" = 0 ]; then
		record "$name" ok $((SECONDS - t0))
	else
		record "$name" FAILED $((SECONDS - t0)) "exit status $rc"
	fi
	return "$rc"
}

skip() {
	banner "$1" "skipped: $2"
	record "$1" skipped 0 "$2"
}

summary() {
	local r name status secs note
	echo
	echo "==== scripts/test.sh summary ($((SECONDS - start)) s) ===="
	for r in "${results[@]}"; do
		IFS='|' read -r name status secs note <<<"$r"
		printf '%-10s %-8s %5s s  %s\n' "$name" "$status" "$secs" "$note"
	done
	if [ -s "$logs/go-test.log" ]; then
		echo "-- go test ./... package results (full log: $logs/go-test.log):"
		grep -E '^(ok|FAIL|panic:)|^--- FAIL' "$logs/go-test.log" || echo "(no package result lines)"
	fi
	if [ -s "$logs/go-test.summary" ]; then
		echo "-- go test ./... $(cat "$logs/go-test.summary")"
	fi
	echo "stages: $passed passed, $failed failed, $skipped skipped"
}

# --- setup ------------------------------------------------------------------------------
if [ "$do_setup" = 1 ]; then
	setup_args=()
	[ "$e2e" = 1 ] && setup_args+=(--e2e)
	rc=0
	stage setup bash scripts/setup.sh "${setup_args[@]}" || rc=$?
	if [ "$rc" = 3 ]; then
		# Exit 3: the core set-up is done but an optional component (the browser test's
		# packages) is not; the stages that need it fail with their own message.
		echo "test.sh: setup could not ready an optional component (see NOT READY above); going on"
	elif [ "$rc" != 0 ]; then
		summary
		echo "test.sh: setup failed; nothing else was run" >&2
		exit 1
	fi
else
	skip setup "--no-setup"
fi

# --- gofmt ------------------------------------------------------------------------------
gofmt_check() {
	local files bad
	files=$(find . \( -name .git -o -name build -o -name node_modules -o -name testdata \) -prune -o -name '*.go' -print)
	[ -n "$files" ] || {
		echo "no .go files"
		return 0
	}
	# shellcheck disable=SC2086 # file names in this repository have no spaces
	bad=$(gofmt -l $files)
	if [ -n "$bad" ]; then
		echo "gofmt: these files are not formatted (run gofmt -w on them):"
		printf "%s\n" "$bad" | sed "s/^/  /"
		return 1
	fi
	echo "gofmt: $(printf '%s\n' "$files" | wc -l) files clean"
}
stage gofmt gofmt_check || true

# --- vet, test, race ----------------------------------------------------------------------
# nested_modules prints the directories of the nested Go modules (a go.mod below the root, e.g.
# scripts/dockerfile), which keep their tools' dependencies out of the library's go.mod and
# which the root's ./... does not reach.
nested_modules() {
	find . \( -name .git -o -name build -o -name node_modules -o -name testdata \) -prune -o \
		-name go.mod -print | sed -n 's|^\./\(.*\)/go\.mod$|\1|p' | sort
}

# in_modules COMMAND... runs COMMAND in the root module, then in each nested module, each on
# its own go.mod (GOWORK=off: a go.work lying around must not merge them); fails if one fails.
in_modules() {
	local rc=0 dir
	GOWORK=off "$@" || rc=$?
	for dir in $(nested_modules); do
		echo "-- in $dir: $*"
		(cd "$dir" && GOWORK=off "$@") || rc=$?
	done
	return "$rc"
}

stage vet in_modules go vet ./... || true

# The Python that runs the checker's tests: the project's venv when there is one.
py=python3
[ -x .venv/bin/python ] && py=.venv/bin/python

go_test() {
	# The package lines ("ok", "FAIL") are what CI reads: keep them in the output.
	rm -f "$logs/go-test.summary"
	in_modules go test -count=1 -json ./... 2>&1 | tee "$logs/go-test.json" |
		"$py" scripts/lib/gotest_report.py "$logs/go-test.summary" | tee "$logs/go-test.log"
	return "${PIPESTATUS[0]}"
}
stage "go test" go_test || true

race() {
	# -short: the race detector slows the solvers 5-10x; long fits honour testing.Short.
	# pkg/mnist's Example and TestReal* decode the real files on one goroutine each (the
	# concurrent decoding is tested on small files); under the detector they take 30 s.
	local rc=0
	go test -count=1 -race -short ./pkg/softmax/... ./pkg/display || rc=1
	go test -count=1 -race -short -skip '^(Example|TestReal.*)$' ./pkg/mnist || rc=1
	return "$rc"
}
if [ "$(go env CGO_ENABLED)" = 1 ] && command -v "$(go env CC)" >/dev/null 2>&1; then
	stage race race || true
else
	skip race "the race detector needs cgo and a C compiler (CGO_ENABLED=$(go env CGO_ENABLED), CC=$(go env CC))"
fi

stage checker "$py" -m unittest discover -s scripts -p check_notebooks_test.py || true

# --- notebooks and browser test -----------------------------------------------------------
build_ok=1
go build ./... >/dev/null 2>&1 || build_ok=0

if [ -x .venv/bin/python ]; then
	stage nbtools .venv/bin/python -m unittest discover -s scripts -p nboutputs_test.py || true
else
	skip nbtools "no .venv (scripts/setup.sh makes it)"
fi

if [ ! -f scripts/run-notebooks.sh ]; then
	skip notebooks "no scripts/run-notebooks.sh yet"
elif [ "$build_ok" = 0 ]; then
	record notebooks FAILED 0 "not run: go build ./... fails"
else
	stage notebooks bash scripts/run-notebooks.sh --restart || true
fi

if [ "$e2e" = 0 ]; then
	skip e2e "not CI (pass --e2e to run it)"
elif [ ! -f scripts/e2e/run.sh ]; then
	skip e2e "no scripts/e2e/run.sh yet"
elif [ "$build_ok" = 0 ]; then
	record e2e FAILED 0 "not run: go build ./... fails"
else
	stage e2e bash scripts/e2e/run.sh || true
fi

if [ "$docker" = 1 ]; then
	stage docker bash scripts/docker-smoke.sh || true
fi

summary
[ "$failed" = 0 ]
