#!/usr/bin/env python3
"""Tests of scripts/nboutputs.py on the committed notebooks.

Run: .venv/bin/python -m unittest discover -s scripts -p nboutputs_test.py
(scripts/test.sh does, in its nbtools stage).

A "fresh run" is made from a committed notebook by changing what two real runs of
an unchanged tree change (the timings, the repository's folder, the execution
timestamps, how the printed text is split into blocks, the finished progress bars'
leftovers, a cache report line); update must leave the file untouched. Any other
change must be reported by check and written by update.
"""

import base64
import copy
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nboutputs  # noqa: E402
import nbformat  # noqa: E402

NOTEBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "notebooks")
PORT = os.path.join(NOTEBOOKS, "nb7_softmax_mnist.ipynb")
EXERCISES = os.path.join(NOTEBOOKS, "exercises.ipynb")


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def rerun(nb):
    """Returns nb as a second run of an unchanged tree could give it."""
    nb = copy.deepcopy(nb)
    for cell in code_cells(nb):
        cell.metadata["execution"] = {"iopub.execute_input": "2026-12-24T10:00:00.000000Z",
                                      "shell.execute_reply": "2026-12-24T10:00:03.000000Z"}
        streams, others = [], []
        for out in cell.outputs:
            if out.output_type == "stream":
                text = out.text.replace("Example run in ", "Example run in 1")
                text = re.sub(r"(softmax-mnist: ).*", r"\1/home/runner/work/softmax-mnist", text)
                lines = text.splitlines(keepends=True)
                # The same text in two blocks.
                streams.append(nbformat.v4.new_output("stream", name=out.name, text="".join(lines[:1])))
                if len(lines) > 1:
                    streams.append(nbformat.v4.new_output("stream", name=out.name, text="".join(lines[1:])))
            elif "<progress" in out.get("data", {}).get("text/html", ""):
                html = re.sub(r"(\(\d+%\) )\S+", r"\g<1>12ms", out.data["text/html"])
                assert html != out.data["text/html"]
                # A finished bar leaves an empty block before its final line.
                others.append(nbformat.v4.new_output("display_data", data={"text/html": ""}))
                others.append(nbformat.v4.new_output("display_data", data={"text/html": html}))
            else:
                others.append(out)
        # The printed text arrives after the figures, and the cache reports.
        cell.outputs = others + streams + [nbformat.v4.new_output(
            "stream", name="stderr", text="cache: model-0123456789abcdef is stale (code.softmax changed); computing it again\n")]
    return nb


class Outputs(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def copy(self, path):
        dst = os.path.join(self.dir, os.path.basename(path))
        shutil.copyfile(path, dst)
        return dst

    def write(self, nb, name="fresh.ipynb"):
        path = os.path.join(self.dir, name)
        nbformat.write(nb, path)
        return path

    def test_committed_notebooks_have_their_results(self):
        # What a viewer shows without running anything.
        port = nbformat.read(PORT, as_version=4)
        text = "".join(o.get("text", "") for c in code_cells(port) for o in c.outputs)
        for line in ("Example run in ", "Sparsity with L2 penalty: 8.93%", "Test score with L2 penalty: 0.8998"):
            self.assertIn(line, text)
        for path in (PORT, EXERCISES):
            nb = nbformat.read(path, as_version=4)
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                self.assertTrue(cell.outputs, "%s cell %d has no outputs" % (path, i))
                if "figure" in cell.metadata.get("tags", []):
                    png = [o for o in cell.outputs if "image/png" in o.get("data", {})]
                    self.assertEqual(len(png), 1, "%s cell %d: %d PNG outputs" % (path, i, len(png)))
            self.assertLess(os.path.getsize(path), nboutputs.MAX_BYTES)

    def test_committed_notebooks_are_normalised(self):
        for path in (PORT, EXERCISES):
            nb = nbformat.read(path, as_version=4)
            with open(path, encoding="utf-8") as f:
                committed = f.read()
            again = nboutputs.normalise(nb)
            self.assertEqual(nbformat.writes(again) + "\n", committed, path)
            self.assertEqual(nboutputs.normalise(again), again)

    def test_rerun_leaves_file_untouched(self):
        for path in (PORT, EXERCISES):
            committed = self.copy(path)
            before = read_bytes(committed)
            mtime = os.stat(committed).st_mtime_ns
            fresh = self.write(rerun(nbformat.read(path, as_version=4)))
            self.assertEqual(nboutputs.check(fresh, committed), [], path)
            self.assertEqual(nboutputs.update(fresh, committed), [], path)
            self.assertEqual(read_bytes(committed), before)
            self.assertEqual(os.stat(committed).st_mtime_ns, mtime)

    def test_rerun_is_really_different(self):
        # The test above means something only if rerun changes the file.
        for path in (PORT, EXERCISES):
            nb = nbformat.read(path, as_version=4)
            self.assertNotEqual(nbformat.writes(rerun(nb)), nbformat.writes(nb))

    def changed(self, path, edit):
        """Returns check's problems and update's result for a fresh run edited by edit."""
        committed = self.copy(path)
        nb = rerun(nbformat.read(path, as_version=4))
        edit(nb)
        fresh = self.write(nb)
        problems = nboutputs.check(fresh, committed)
        diffs = nboutputs.update(fresh, committed)
        self.assertEqual(nboutputs.check(fresh, committed), [], "after update")
        return problems, diffs, nbformat.read(committed, as_version=4)

    def test_changed_result_line(self):
        def edit(nb):
            for cell in code_cells(nb):
                for o in cell.outputs:
                    if o.output_type == "stream":
                        o.text = o.text.replace("0.8998", "0.8997")
        problems, diffs, written = self.changed(PORT, edit)
        self.assertTrue(problems and diffs)
        self.assertIn("stdout differs", problems[0])
        self.assertIn("+Test score with L2 penalty: 0.8997", problems[0])
        text = "".join(o.get("text", "") for c in code_cells(written) for o in c.outputs)
        self.assertIn("0.8997", text)
        self.assertNotIn("cache: ", text)
        self.assertNotIn("execution", "".join(str(c.metadata) for c in written.cells))
        for cell in code_cells(written):
            kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
            self.assertFalse(any(a == b == ("stream", "stdout") for a, b in zip(kinds, kinds[1:])),
                             "printed text left in several blocks: %s" % kinds)

    def test_changed_figure(self):
        def edit(nb):
            for cell in code_cells(nb):
                for o in cell.outputs:
                    if "image/png" in o.get("data", {}):
                        raw = bytearray(base64.b64decode(o.data["image/png"]))
                        raw[len(raw) // 2] ^= 1
                        o.data["image/png"] = base64.b64encode(bytes(raw)).decode()
        problems, diffs, _ = self.changed(PORT, edit)
        self.assertEqual(len(problems), 1)
        self.assertIn("displayed outputs differ", problems[0])

    def test_changed_bar_status(self):
        def edit(nb):
            for cell in code_cells(nb):
                for o in cell.outputs:
                    if "<progress" in o.get("data", {}).get("text/html", ""):
                        o.data["text/html"] = o.data["text/html"].replace("9 fits", "8 fits")
        problems, _, _ = self.changed(EXERCISES, edit)
        self.assertEqual(len(problems), 1)

    def test_changed_source(self):
        def edit(nb):
            code_cells(nb)[1].source += "\n// a comment"
        problems, _, _ = self.changed(PORT, edit)
        self.assertIn("source differs", problems[0])

    def test_size_limit(self):
        committed = self.copy(PORT)
        nb = nbformat.read(PORT, as_version=4)
        code_cells(nb)[1].outputs.append(nbformat.v4.new_output(
            "display_data", data={"image/png": base64.b64encode(os.urandom(1_600_000)).decode()}))
        problems = nboutputs.check(self.write(nb), committed)
        self.assertTrue(any("the limit is 2000000" in p for p in problems), problems)


if __name__ == "__main__":
    unittest.main()
