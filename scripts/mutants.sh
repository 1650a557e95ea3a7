#!/usr/bin/env bash
# mutants.sh applies the small bugs listed in scripts/mutants.txt to a temporary copy of
# the repository, one at a time, runs the tests on each and reports which test caught it.
#
# Usage: bash scripts/mutants.sh [--list] [--keep] [NAME...]
#
# The copy holds the files git knows (tracked and untracked, not ignored) in a new
# directory under $TMPDIR. The unmutated copy must pass `go test ./...` first; then, for
# each mutation (or only the NAMEs given), the copy is mutated, the mutation's check
# (default `go test ./...`, which reruns only the packages the change reaches: the others
# come from go's test cache) is run, the copy restored. It prints one line per mutation
# (caught, SURVIVED, STALE when its snippet no longer matches, BROKEN when the mutated code
# does not build) with the failing tests, then a score, and exits 1 unless every mutation
# was caught. It takes a few minutes (the real-data fits rerun with every softmax
# mutation); CI does not run it.
#   --list  print the mutations and exit
#   --keep  keep the temporary copy (its path is printed)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec python3 "$root/scripts/lib/mutants.py" "$root" "$@"
