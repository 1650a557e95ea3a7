#!/usr/bin/env python3
"""Check notebooks executed by scripts/run-notebooks.sh.

Usage: .venv/bin/python scripts/check-notebooks.py EXECUTED.ipynb...
(scripts/run-notebooks.sh runs it so; it needs only the standard library.)

For every executed notebook it checks that
  - every code cell ran (it has an execution count),
  - no output is an error (a compile error, a panic or os.Exit in a GoNB cell),
  - no output text shows a Go panic, a fatal error or an "exit status N" line
    (GoNB prints the latter when a shell line or the cell program fails),
  - every cell tagged "figure" (cell metadata tags) displayed an image/png or
    image/svg+xml output, and that a PNG output is a real PNG,
  - the notebook-specific result lines listed in EXPECT below are printed and
    within their bounds.
It prints one block per notebook (ok/FAILED, the result lines, the problems)
and exits 1 if any notebook failed, 2 on bad usage. Standard library only.
"""

import base64
import html
import json
import os
import re
import sys

# Result lines each notebook must print, keyed by file name:
# (label, regexp with one number group, minimum, maximum); None = unbounded.
EXPECT = {
    "nb7_softmax_mnist.ipynb": [
        ("run time (s)", r"^Example run in ([0-9.]+) s$", None, None),
        ("sparsity (%)", r"^Sparsity with L2 penalty: ([0-9.]+)%$", 8.0, 10.0),
        ("test score", r"^Test score with L2 penalty: ([0-9.]+)$", 0.89, None),
    ],
    "exercises.ipynb": [
        ("L1 sparsity (%)", r"^Sparsity with L1 penalty: ([0-9.]+)%$", 0.0, 100.0),
        ("L1 test score", r"^Test score with L1 penalty: ([0-9.]+)$", 0.80, None),
        ("gradient check", r"^Max relative error, analytic vs finite differences: ([0-9.eE+-]+)$", None, 1e-5),
    ],
}

FIGURE_TAG = "figure"
IMAGE_TYPES = ("image/png", "image/svg+xml")
BAD_TEXT = [
    (re.compile(r"^panic: ", re.M), "Go panic"),
    (re.compile(r"^fatal error: ", re.M), "Go fatal error"),
    (re.compile(r"\bexit status -?\d+"), "non-zero exit status"),
]
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
TAG_RE = re.compile(r"<style>.*?</style>|<[^>]+>", re.S)


def text_of(value):
    """Returns a notebook multi-line string (a str or a list of str) as one str."""
    if isinstance(value, list):
        return "".join(value)
    return value or ""


def output_texts(out):
    """Yields the human-readable texts of one output (HTML reduced to its text)."""
    kind = out.get("output_type")
    if kind == "stream":
        yield text_of(out.get("text"))
    elif kind == "error":
        yield "%s: %s" % (out.get("ename", ""), out.get("evalue", ""))
    elif kind in ("display_data", "execute_result"):
        data = out.get("data", {})
        if "text/plain" in data:
            yield text_of(data["text/plain"])
        if "text/html" in data:
            yield html.unescape(TAG_RE.sub("", text_of(data["text/html"])))


def first_line(cell):
    for line in text_of(cell.get("source")).splitlines():
        if line.strip():
            return line.strip()[:70]
    return "(empty)"


def snippet(text, limit=600):
    """Returns the last limit characters of text's non-blank lines."""
    text = "\n".join(l for l in text.strip().splitlines() if l.strip())
    return text if len(text) <= limit else "... " + text[-limit:]


def check(path):
    """Returns (problems, results) for one executed notebook."""
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return ["cannot read %s: %s" % (path, e)], []

    stdout = []
    figures = 0
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        where = "cell %d (%s)" % (i, first_line(cell))
        if cell.get("execution_count") is None and text_of(cell.get("source")).strip():
            problems.append("%s: did not run" % where)
        outputs = cell.get("outputs", [])
        found = []  # what went wrong in this cell, reported once per cell
        for out in outputs:
            if out.get("output_type") == "error":
                found.append("error %s: %s" % (out.get("ename"), out.get("evalue")))
            for text in output_texts(out):
                found += [what for rx, what in BAD_TEXT if rx.search(text) and what not in found]
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                stdout.append(text_of(out.get("text")))
        if found:
            detail = "\n".join(t for o in outputs if o.get("output_type") != "error" for t in output_texts(o))
            problems.append("%s: %s\n%s" % (where, "; ".join(found), snippet(ANSI_RE.sub("", detail))))
        tags = cell.get("metadata", {}).get("tags", [])
        if FIGURE_TAG in tags:
            figures += 1
            images = [o["data"][t] for o in outputs for t in IMAGE_TYPES if t in o.get("data", {})]
            if not images:
                problems.append("%s: tagged %r but displayed no %s" % (where, FIGURE_TAG, " or ".join(IMAGE_TYPES)))
            for o in outputs:
                png = o.get("data", {}).get("image/png")
                if png is None:
                    continue
                try:
                    raw = base64.b64decode(text_of(png))
                except ValueError:
                    raw = b""
                if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) < 500:
                    problems.append("%s: image/png output is not a plausible PNG (%d bytes)" % (where, len(raw)))

    lines = "".join(stdout).splitlines()
    results = []
    for label, pattern, lo, hi in EXPECT.get(os.path.basename(path), []):
        rx = re.compile(pattern)
        found = [m for m in (rx.match(l.strip()) for l in lines) if m]
        if not found:
            problems.append("missing result line matching %r" % pattern)
            continue
        m = found[-1]
        results.append(m.string)
        try:
            value = float(m.group(1))
        except ValueError:
            problems.append("%s: cannot parse %r" % (label, m.group(1)))
            continue
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            problems.append("%s = %g, want within [%s, %s]" % (label, value,
                            "-inf" if lo is None else lo, "+inf" if hi is None else hi))
    results.append("%d figure cell(s) checked" % figures)
    return problems, results


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = False
    for path in argv[1:]:
        problems, results = check(path)
        print("%s %s" % ("ok    " if not problems else "FAILED", path))
        for r in results:
            print("    " + r)
        for p in problems:
            print("    problem: " + p.replace("\n", "\n      | "))
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
