#!/usr/bin/env python3
"""Compare the outputs committed in notebooks/ with those of a fresh headless run.

Usage (scripts/run-notebooks.sh runs it, through scripts/nbrun.py, with .venv/bin/python):
  nboutputs.py check EXECUTED.ipynb COMMITTED.ipynb
  nboutputs.py update EXECUTED.ipynb COMMITTED.ipynb

The notebooks are committed with their outputs, so that GitHub and nbviewer show the
results. Two runs of an unchanged tree differ only in the values declared in VOLATILE
below (timings, the repository's folder) and in how the output arrives (a cell's
printed text split into several blocks, text before or after a figure); everything
else, figures byte for byte included, is the same.

check exits 1 and lists the cells that differ when EXECUTED's outputs differ from
COMMITTED's beyond those values, or a notebook is 2 MB or more; update writes
EXECUTED, normalised, over COMMITTED in that case and leaves COMMITTED untouched
otherwise, so that re-running on an unchanged tree leaves git clean. Normalised
means: cells' execution timestamps removed, the empty output that a finished progress
bar leaves removed, the cache's report lines ("cache: ... is stale ...") removed,
consecutive printed blocks of a cell merged, and the Go lexer named in the notebook's
language_info. Exit status: 0 equal or updated, 1 different (check), 2 bad usage.
"""

import copy
import difflib
import os
import re
import sys

# jsonschema, which nbformat imports, imports rfc3987_syntax when it is installed,
# which builds a grammar for 2 s; nbformat's schema has no IRI formats that need it.
sys.modules.setdefault("rfc3987_syntax", None)
import nbformat  # noqa: E402

# VOLATILE is the one place that declares what may change between two runs of an
# unchanged tree: (where, regexp, replacement). "text" is printed text, "html" an
# HTML output. The replacement stands for the value when outputs are compared; the
# outputs written by update keep the real values.
VOLATILE = [
    # The port notebook's cell 1 times the experiment, as the original does.
    ("text", re.compile(r"^(Example run in )[0-9.]+( s)$", re.M), r"\1<seconds>\2"),
    # The connect cell prints the repository's folder (scripts/gonb-connect.sh).
    ("text", re.compile(r"^(module github\.com/mlphys/softmax-mnist: ).*$", re.M), r"\1<folder>"),
    # A finished progress bar (pkg/display's Bar) shows the time it ran.
    ("html", re.compile(r"(<progress [^>]*></progress> [^<]*?\(\d+%\) )[^ <]+"), r"\1<duration>"),
]
# CACHE_LINE matches the lines of pkg/cache's reports (a stale or corrupt entry, a
# cache that cannot be written), which depend on the cache's state, not the tree's.
CACHE_LINE = re.compile(r"^cache: .*\n?", re.M)
MAX_BYTES = 2_000_000


def _text(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def _empty_display(out):
    """A display output with nothing in it: what pkg/display's Bar leaves after
    Finish clears its transient block."""
    data = out.get("data", {})
    return out.get("output_type") == "display_data" and all(not _text(v) for v in data.values())


def name_go_lexer(nb):
    """Names the Go lexer in nb's language_info, which GoNB v0.11.4 leaves empty
    (nbconvert would otherwise highlight the Go code as Python)."""
    info = nb.metadata.setdefault("language_info", {})
    if info.get("name", "go") == "go" and not info.get("pygments_lexer"):
        info.update(name="go", pygments_lexer="go", codemirror_mode="go")


def normalise(nb):
    """Returns a normalised copy of the notebook nb (see the module's doc)."""
    nb = copy.deepcopy(nb)
    name_go_lexer(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.outputs:
            if _empty_display(out):
                continue
            if out.output_type == "stream":
                text = _text(out.text)
                if out.name == "stderr":
                    text = CACHE_LINE.sub("", text)
                if not text:
                    continue
                last = outputs[-1] if outputs else None
                if last is not None and last.output_type == "stream" and last.name == out.name:
                    last.text = _text(last.text) + text
                    continue
                out = copy.deepcopy(out)
                out.text = text
            outputs.append(out)
        cell.outputs = outputs
    return nb


def _mask(kind, text):
    for where, rx, repl in VOLATILE:
        if where == kind:
            text = rx.sub(repl, text)
    return text


def comparable(nb):
    """Returns, for each cell of the normalised notebook nb, what must be equal
    between two runs: its type, source and metadata, and for a code cell its
    execution count, its printed text per stream and its other outputs in order,
    with the VOLATILE values masked."""
    cells = []
    for cell in nb.cells:
        c = {"type": cell.cell_type, "source": cell.source, "metadata": dict(cell.metadata)}
        if cell.cell_type == "code":
            c["count"] = cell.get("execution_count")
            streams, displays = {}, []
            for out in cell.outputs:
                if out.output_type == "stream":
                    streams[out.name] = streams.get(out.name, "") + _text(out.text)
                    continue
                d = {"type": out.output_type, "metadata": dict(out.get("metadata", {}))}
                for mime, value in out.get("data", {}).items():
                    d[mime] = _mask("html" if mime == "text/html" else "text", _text(value))
                if out.output_type == "error":
                    d["error"] = "%s: %s" % (out.get("ename"), out.get("evalue"))
                displays.append(d)
            c["streams"] = {name: _mask("text", text) for name, text in streams.items()}
            c["displays"] = displays
        cells.append(c)
    return {"metadata": dict(nb.metadata), "cells": cells}


def _first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:60]
    return "(empty)"


def differences(committed, fresh):
    """Returns lines describing how the normalised notebooks differ beyond the
    VOLATILE values; no lines if they do not."""
    a, b = comparable(committed), comparable(fresh)
    out = []
    if a["metadata"] != b["metadata"]:
        out.append("notebook metadata differs")
    if len(a["cells"]) != len(b["cells"]):
        return out + ["%d cells committed, %d in the fresh run" % (len(a["cells"]), len(b["cells"]))]
    for i, (ca, cb) in enumerate(zip(a["cells"], b["cells"])):
        if ca == cb:
            continue
        where = "cell %d (%s)" % (i, _first_line(cb["source"]))
        for key in ("type", "source", "metadata", "count"):
            if ca.get(key) != cb.get(key):
                out.append("%s: %s differs" % (where, key))
        for name in sorted(set(ca.get("streams", {})) | set(cb.get("streams", {}))):
            ta, tb = ca["streams"].get(name, ""), cb["streams"].get(name, "")
            if ta != tb:
                diff = difflib.unified_diff(ta.splitlines(), tb.splitlines(), "committed", "fresh", lineterm="", n=0)
                out.append("%s: %s differs:\n    %s" % (where, name, "\n    ".join(list(diff)[2:12])))
        da, db = ca.get("displays", []), cb.get("displays", [])
        if da != db:
            kinds = lambda ds: ", ".join(sorted(k for d in ds for k in d if "/" in k)) or "none"
            out.append("%s: displayed outputs differ (committed: %d, %s; fresh: %d, %s)"
                       % (where, len(da), kinds(da), len(db), kinds(db)))
    return out


def size(nb):
    return len(nbformat.writes(nb).encode("utf-8")) + 1


def check(executed, committed):
    """Returns the problems of the committed notebook against the executed one."""
    fresh = normalise(nbformat.read(executed, as_version=4))
    old = normalise(nbformat.read(committed, as_version=4))
    problems = differences(old, fresh)
    for path, n in ((committed, os.path.getsize(committed)), (executed + " (normalised)", size(fresh))):
        if n >= MAX_BYTES:
            problems.append("%s is %d bytes, the limit is %d" % (path, n, MAX_BYTES))
    return problems


def update(executed, committed):
    """Writes the normalised executed notebook over committed if their outputs
    differ beyond the VOLATILE values; returns the differences."""
    fresh = normalise(nbformat.read(executed, as_version=4))
    diffs = differences(normalise(nbformat.read(committed, as_version=4)), fresh)
    if diffs:
        tmp = committed + ".tmp"
        nbformat.write(fresh, tmp)
        os.replace(tmp, committed)
    return diffs


def main(argv):
    if len(argv) != 4 or argv[1] not in ("check", "update"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd, executed, committed = argv[1:]
    if cmd == "check":
        problems = check(executed, committed)
        for p in problems:
            print("    " + p)
        return 1 if problems else 0
    diffs = update(executed, committed)
    print("%s %s" % ("updated" if diffs else "unchanged", committed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
