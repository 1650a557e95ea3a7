#!/usr/bin/env python3
"""Execute GoNB notebooks headless with nbclient: the full run, and the restart test.

Usage (scripts/run-notebooks.sh runs it with .venv/bin/python):
  nbrun.py run [--out DIR] [--jobs N] [--timeout S] [--timing] [--outputs MODE] NOTEBOOK...
  nbrun.py restart [--out DIR] [--jobs N] [--timeout S] NOTEBOOK...

run executes each NOTEBOOK on the gonb kernel in the notebook's folder, as
"jupyter nbconvert --execute --allow-errors" does, up to --jobs notebooks at once
(default 2), and writes to --out (default build/notebooks):
  NAME.ipynb        the executed notebook (the Go lexer named in language_info)
  NAME.html         its HTML export, figures embedded
  NAME.log          the kernel's log and the exporter's messages
  NAME.timing.tsv   one line per code cell: seconds from request to reply as the
                    client saw them, of which compiling (GoNB's work before it
                    starts the cell's program, from the kernel's log; "-" for a
                    cell without a program) and running
  NAME.status       "ok SECONDS" or "FAILED SECONDS WHY", for run-notebooks.sh
--timing also prints the timing tables. --outputs compares the executed outputs
with those committed in NOTEBOOK (scripts/nboutputs.py): "check" (the default)
fails a notebook whose outputs differ beyond the declared volatile values,
"update" writes the fresh outputs into NOTEBOOK when they differ so, "none"
skips it.

restart is the restart test. For every code cell after the first (the connect
cell) of each NOTEBOOK it starts a fresh kernel, runs the connect cell and then
that cell alone, up to --jobs cells at once, and checks the result with the
functions of scripts/check-notebooks.py: no error, no panic or "exit status"
text, the result lines the cell prints as testdata/notebook_results.json expects
them, its figure as declared there; and that the cell showed something. The
executed notebooks (every other code cell empty) go to DIR/restart/. It prints
one line per cell, with the cell's number and the problems of a failing one.

Exit status: 0 ok; 1 a notebook or cell failed, or outputs differ (check);
2 bad usage.
"""

import argparse
import asyncio
import copy
import importlib.util
import json
import os
import re
import sys
import time
from datetime import datetime

# nboutputs first: it keeps nbformat's import from building a grammar it does not need.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nboutputs  # noqa: E402
import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402

KERNEL = "gonb"
SCRIPTS = os.path.dirname(os.path.abspath(__file__))
# GoNB logs "Executing: PROGRAM" (klog, local time) when it starts a cell's
# program: the time before that line is compilation, after it the program's run.
EXEC_RE = re.compile(r"^I(\d{4}) (\d\d:\d\d:\d\d\.\d+) .*\] .*Executing: (\S+)")


def first_line(cell):
    """Returns the first line of the cell's code after its declarations (after
    GoNB's "%%" line, if there is one)."""
    lines = cell.source.splitlines()
    if "%%" in (l.strip() for l in lines):
        lines = lines[[l.strip() for l in lines].index("%%") + 1:]
    for line in lines:
        if line.strip():
            return line.strip()[:60]
    return "(empty)"


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


async def execute(nb, path, timeout, log_path):
    """Executes nb (read from path) in path's folder with the kernel's log in
    log_path. Returns the cells' start and end times and an error message ("" if
    the run went through; a cell's own error is in its outputs)."""
    client = NotebookClient(
        nb, kernel_name=KERNEL, timeout=timeout, allow_errors=True, record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    times = {}
    client.on_cell_start = lambda cell, cell_index: times.__setitem__(cell_index, [time.time(), None])
    client.on_cell_executed = lambda cell, cell_index, execute_reply: times[cell_index].__setitem__(1, time.time())
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            await client.async_execute(stderr=log)
        except CellTimeoutError:
            return times, "a cell ran over %d s" % timeout
        except DeadKernelError as e:
            return times, "the kernel died: %s" % e
        except Exception as e:  # nbclient's other failures (the kernel did not start)
            lines = str(e).strip().splitlines()
            return times, "%s: %s" % (type(e).__name__, lines[-1] if lines else "")
    return times, ""


def program_starts(log_path):
    """Returns the times at which GoNB started a cell's Go program, from its log."""
    starts, year = [], datetime.now().year
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = EXEC_RE.match(line)
            if m and not m.group(3).endswith("/bash"):
                t = datetime.strptime("%d%s %s" % (year, m.group(1), m.group(2)), "%Y%m%d %H:%M:%S.%f")
                starts.append(t.timestamp())
    return starts


def timing_rows(nb, times, starts):
    """Returns (cell, total, compile, run, first line) per executed code cell."""
    rows = []
    for i, (t0, t1) in sorted(times.items()):
        if t1 is None:
            continue
        prog = [s for s in starts if t0 <= s <= t1]
        comp, run = (prog[0] - t0, t1 - prog[0]) if prog else (None, None)
        rows.append((i, t1 - t0, comp, run, first_line(nb.cells[i])))
    return rows


def timing_table(rows):
    fmt = lambda v: "-" if v is None else "%.2f" % v
    lines = ["cell\ttotal_s\tcompile_s\trun_s\tfirst_line"]
    lines += ["%d\t%s\t%s\t%s\t%s" % (i, fmt(t), fmt(c), fmt(r), line) for i, t, c, r, line in rows]
    total = sum(r[1] for r in rows)
    lines.append("all\t%.2f\t%.2f\t%.2f\t%d code cells" % (
        total, sum(r[2] or 0 for r in rows), sum(r[3] or 0 for r in rows), len(rows)))
    return "\n".join(lines) + "\n"


def export_html(nb, html_path, log_path):
    """Writes nb's HTML export; the exporter's messages are appended to log_path."""
    import logging
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="classic")  # the lab template has no alt text
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("[HTMLExporter] %(levelname)s | %(message)s"))
    exporter.log.addHandler(handler)
    try:
        body, _ = exporter.from_notebook_node(nb)
    finally:
        exporter.log.removeHandler(handler)
        handler.close()
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(body)


async def run_one(path, args, sem):
    """Executes one notebook and writes its files; returns (status, seconds, notes)."""
    name = name_of(path)
    base = os.path.join(args.out, name)
    nb = nbformat.read(path, as_version=4)
    async with sem:
        start = time.time()
        times, err = await execute(nb, path, args.timeout, base + ".log")
        secs = time.time() - start
    nboutputs.name_go_lexer(nb)
    nbformat.write(nb, base + ".ipynb")
    table = timing_table(timing_rows(nb, times, program_starts(base + ".log")))
    with open(base + ".timing.tsv", "w", encoding="utf-8") as f:
        f.write(table)
    await asyncio.get_running_loop().run_in_executor(None, export_html, nb, base + ".html", base + ".log")
    notes = []
    if err:
        notes.append(err)
    elif args.outputs == "check":
        problems = nboutputs.check(base + ".ipynb", path)
        if problems:
            notes = ["outputs differ from %s (bash scripts/run-notebooks.sh --update writes them):" % path] + problems
    elif args.outputs == "update":
        diffs = nboutputs.update(base + ".ipynb", path)
        print("%s: %s" % (path, "outputs updated" if diffs else "outputs unchanged"))
    status = "FAILED" if notes else "ok"
    with open(base + ".status", "w", encoding="utf-8") as f:
        f.write("%s %.1f %s\n" % (status, secs, (notes[0] if notes else "")))
    return name, status, secs, notes, table


async def run(args):
    sem = asyncio.Semaphore(args.jobs)
    results = await asyncio.gather(*(run_one(p, args, sem) for p in args.notebooks))
    failed = False
    for name, status, secs, notes, table in results:
        print("%-6s %s executed in %.1f s" % (status, name, secs))
        for n in notes:
            print("    " + n.replace("\n", "\n    "))
        if args.timing:
            print("    " + table.strip().replace("\n", "\n    ").replace("\t", "  "))
        failed = failed or status != "ok"
    return 1 if failed else 0


def load_checker():
    """Returns scripts/check-notebooks.py as a module and its expectations."""
    spec = importlib.util.spec_from_file_location("check_notebooks", os.path.join(SCRIPTS, "check-notebooks.py"))
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    with open(checker.DEFAULT_EXPECT, encoding="utf-8") as f:
        return checker, json.load(f)


def restart_problems(checker, expect, name, nb, i):
    """Returns the problems of cell i of the executed notebook nb (its other code
    cells but the connect cell emptied), judged as check-notebooks.py judges a whole
    notebook: no error or panic, the cell's result lines as expected, its figure
    (if it is the notebook's k-th figure cell, the k-th declared figure) as
    declared."""
    cells = json.loads(nbformat.writes(nb))
    problems, lines, _ = checker.check_cells(cells)
    cell = cells["cells"][i]
    if not cell.get("outputs"):
        problems.append("cell %d showed nothing" % i)
    want = expect["notebooks"].get(name + ".ipynb", {"lines": [], "figures": []})
    for spec in want["lines"]:
        if any(re.match(spec["pattern"], l.strip()) for l in lines):
            problems += checker.check_line(spec, lines, expect["fits"])[0]
    figures = [j for j, c in enumerate(nb.cells) if checker.FIGURE_TAG in c.metadata.get("tags", [])]
    if i in figures and figures.index(i) < len(want["figures"]):
        where = "cell %d (%s)" % (i, checker.first_line(cell))
        problems += checker.judge_figure(where, cell.get("outputs", []), want["figures"][figures.index(i)])[0]
    return problems


async def restart_one(path, nb, connect, i, args, sem, checker):
    """Runs the connect cell and cell i of nb on a fresh kernel; returns
    (cell, seconds, problems)."""
    # The notebook with every other code cell emptied (nbclient skips empty
    # cells), so that the cells keep their numbers and their figure tags.
    mini = copy.deepcopy(nb)
    for j, c in enumerate(mini.cells):
        if c.cell_type == "code" and j not in (connect, i):
            c.source, c.outputs, c.execution_count = "", [], None
    out = os.path.join(args.out, "restart", "restart-%s-cell%02d" % (name_of(path), i))
    async with sem:
        start = time.time()
        _, err = await execute(mini, path, args.timeout, out + ".log")
        secs = time.time() - start
    nbformat.write(mini, out + ".ipynb")
    problems = [err] if err else []
    return i, secs, problems + restart_problems(*checker, name_of(path), mini, i)


async def restart(args):
    os.makedirs(os.path.join(args.out, "restart"), exist_ok=True)
    checker = load_checker()
    sem = asyncio.Semaphore(args.jobs)
    start = time.time()
    jobs = []
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
        jobs += [(path, nb, restart_one(path, nb, code[0], i, args, sem, checker)) for i in code[1:]]
    results = await asyncio.gather(*(j for _, _, j in jobs))
    failed = 0
    for (path, nb, _), (i, secs, problems) in zip(jobs, results):
        status = "FAILED" if problems else "ok"
        print("%-6s %s cell %d alone after a restart (%s): %.1f s" % (status, path, i, first_line(nb.cells[i]), secs))
        for p in problems:
            print("    problem: " + p.replace("\n", "\n      | "))
        failed += bool(problems)
    print("restart test: %d cells, %d failed, %.1f s (%d at once; executed cells in %s)"
          % (len(results), failed, time.time() - start, args.jobs, os.path.join(args.out, "restart")))
    return 1 if failed else 0


def main(argv):
    p = argparse.ArgumentParser(prog="nbrun.py", description=__doc__.split("\n")[0])
    p.add_argument("cmd", choices=["run", "restart"])
    p.add_argument("notebooks", nargs="+", metavar="NOTEBOOK")
    p.add_argument("--out", default="build/notebooks")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("--timing", action="store_true")
    p.add_argument("--outputs", choices=["check", "update", "none"], default="check")
    args = p.parse_args(argv[1:])
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    os.makedirs(args.out, exist_ok=True)
    return asyncio.run(run(args) if args.cmd == "run" else restart(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
