#!/usr/bin/env python3
"""Render the output of `go test -json` as go test prints it, and count.

Usage: go test -json ./... | python3 scripts/lib/gotest_report.py SUMMARY

It prints what a plain `go test` prints (package result lines, build errors,
the output of failed tests; not the output of tests that passed or skipped)
and writes to the file SUMMARY one line "tests: N passed, N failed, N
skipped" followed by one line per skipped test with its package and its
skip message. Standard library only. Exit status 0 (go test's own status is
the one to use).
"""

import json
import sys

NOISE = ("=== RUN", "=== PAUSE", "=== CONT", "=== NAME")


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    counts = {"pass": 0, "fail": 0, "skip": 0}
    held = {}  # (package, test) -> output lines, printed if the test fails
    skipped = []
    for raw in sys.stdin:
        try:
            ev = json.loads(raw)
        except ValueError:
            sys.stdout.write(raw)  # not an event: go test's own message
            continue
        action, test, out = ev.get("Action"), ev.get("Test"), ev.get("Output", "")
        key = (ev.get("Package") or ev.get("ImportPath"), test)
        if action in ("output", "build-output") and not test:
            if not out.startswith(NOISE) and out.strip() not in ("PASS", "FAIL"):
                sys.stdout.write(out)
        elif action == "output":
            if not out.startswith(NOISE):
                held.setdefault(key, []).append(out)
        elif action in counts and test:
            counts[action] += 1
            lines = held.pop(key, [])
            if action == "fail":
                sys.stdout.write("".join(lines))
            elif action == "skip":
                why = [l.strip() for l in lines if l.strip() and not l.lstrip().startswith("--- SKIP")]
                skipped.append("%s %s: %s" % (key[0], test, why[-1] if why else "(no message)"))
        sys.stdout.flush()
    with open(argv[1], "w", encoding="utf-8") as f:
        f.write("tests: %d passed, %d failed, %d skipped\n" % (counts["pass"], counts["fail"], counts["skip"]))
        for s in skipped:
            f.write("  skipped: %s\n" % s)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
