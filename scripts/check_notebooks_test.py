"""Tests of scripts/check-notebooks.py on hand-made executed notebooks.

Run: python3 -m unittest discover -s scripts -p 'check_notebooks_test.py'
(scripts/test.sh does, with the interpreter of .venv when there is one).

The figures are real ones: the golden images of pkg/plots (rendered by the
port from a real fit) and scripts/testdata/weights_zero.png, what
plots.Weights draws for a 10 x 784 matrix of zeros (written with
plots.Weights(f, mat.NewDense(10, 784, nil), nil)). The printed values come
from testdata/notebook_results.json, so the tests follow that file.
"""

import base64
import copy
import importlib.util
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GOLDEN = os.path.join(ROOT, "pkg", "plots", "testdata")
SCRIPT = os.path.join(HERE, "check-notebooks.py")

_spec = importlib.util.spec_from_file_location("check_notebooks", SCRIPT)
cn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cn)

with open(cn.DEFAULT_EXPECT, encoding="utf-8") as _f:
    EXPECT = json.load(_f)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def encode_png(w, h, rgb, filters=(0,)):
    """Encodes w x h packed 0xRRGGBB pixels as an RGB PNG, row y with filter
    type filters[y % len(filters)] (the PNG specification's filters)."""
    out, prev = bytearray(), bytearray(3 * w)
    for y in range(h):
        line = bytearray()
        for v in rgb[y * w:(y + 1) * w]:
            line += bytes(((v >> 16) & 255, (v >> 8) & 255, v & 255))
        f = filters[y % len(filters)]
        enc = bytearray()
        for i, x in enumerate(line):
            a = line[i - 3] if i >= 3 else 0
            b, c = prev[i], (prev[i - 3] if i >= 3 else 0)
            p = a + b - c
            paeth = min((abs(p - a), 0, a), (abs(p - b), 1, b), (abs(p - c), 2, c))[2]
            pred = [0, a, b, (a + b) // 2, paeth][f]
            enc.append((x - pred) & 255)
        out += bytes([f]) + enc
        prev = line

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(out))) + chunk(b"IEND", b""))


def without_colour(png):
    """Returns png with every coloured pixel (a plotted line or marker)
    painted white: the axes, grid and labels stay, the data go."""
    img = cn.decode_png(png)
    rgb = [0xFFFFFF if cn.colour(v) >= cn.COLOURED else v for v in img.rgb]
    return encode_png(img.w, img.h, rgb)


def code(source, stdout="", png=None, tags=None, more=()):
    """Returns an executed code cell printing stdout and displaying png."""
    outputs = []
    if stdout:
        outputs.append({"output_type": "stream", "name": "stdout", "text": stdout.splitlines(True)})
    for p in ([png] if png else []) + list(more):
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"image/png": base64.b64encode(p).decode(), "text/plain": "<image>"}})
    return {"cell_type": "code", "execution_count": 1, "metadata": {"tags": tags or []},
            "outputs": outputs, "source": source}


def printed(fit, quantity, fmt):
    return fmt % EXPECT["fits"][fit][quantity]["value"]


def port_lines(score=None, sparsity=None):
    return ("Example run in 0.912 s\n"
            "Sparsity with L2 penalty: %s%%\n" % (sparsity or printed("l2_sag", "sparsity_percent", "%.2f"))
            + "Test score with L2 penalty: %s\n" % (score or printed("l2_sag", "test_score", "%.4f")))


def port(lines=None, weights=None, tags=("figure",)):
    """Returns the port notebook, executed: cell 1's lines and cell 2's figure."""
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Notebook 7"},
        code("clf := must.M1(softmax.Fit(...))", lines if lines is not None else port_lines()),
        code("display.Figure(...)", png=weights or read(os.path.join(GOLDEN, "weights_greys.png")), tags=list(tags)),
    ]}


def exercises(figures=None):
    """Returns the exercises notebook, executed, with golden figures."""
    l1 = ("Sparsity with L1 penalty: %s%%\nTest score with L1 penalty: %s\n" % (
        printed("l1_saga", "sparsity_percent", "%.2f"), printed("l1_saga", "test_score", "%.4f")))
    figs = figures or [read(os.path.join(GOLDEN, n)) for n in (
        "regpath.png", "weights_rdbu.png", "digits_misclassified.png", "confusion.png", "learning.png")]
    cells = [code("fits", port_lines().split("\n", 1)[1] + l1)]
    cells += [code("figure %d" % i, png=p, tags=["figure"]) for i, p in enumerate(figs)]
    cells.append(code("gradient", "Max relative error, analytic vs finite differences: 3.1e-09\n"))
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def explore(weights=None):
    """Returns explore.ipynb, executed headless: the line and the panel's
    HTML with the weights figure as a data URL, '+' written as html/template
    writes it in an attribute (&#43;)."""
    png = base64.b64encode(weights or read(os.path.join(GOLDEN, "weights_rdbu.png"))).decode()
    img = '<img class="sme-weights" src="data:image/png;base64,%s" alt="weights">' % png.replace("+", "&#43;")
    panel = '<div class="sme"><style>.sme{}</style>%s<canvas width="280" height="280"></canvas></div>' % (
        img if weights is not False else "")
    line = ("explore: no live front end ($SOFTMAX_MNIST_HEADLESS is set: no browser): initial state shown, "
            "C = 100000, L2 (SAG), 5000 images: sparsity 17.22%, test accuracy 0.8894\n")
    cell = code("explore.Run(sp, model, nil)", line, tags=["figure"])
    cell["outputs"].append({"output_type": "display_data", "metadata": {}, "data": {"text/html": panel}})
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}


def exercises_expect():
    """The expectations with the digits figure of the golden image's 15
    panels (the notebook shows 20)."""
    e = copy.deepcopy(EXPECT)
    for f in e["notebooks"]["exercises.ipynb"]["figures"]:
        if f["kind"] == "digits":
            f["panels"] = 15
    return e


class CheckerTest(unittest.TestCase):
    def run_check(self, nb, name="nb7_softmax_mnist.ipynb", expect=None):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, name)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(nb, f)
            return cn.check(path, expect or EXPECT)

    def assertFails(self, nb, want, **kw):
        problems, _ = self.run_check(nb, **kw)
        self.assertTrue(any(want in p for p in problems), "want a problem with %r, got %r" % (want, problems))

    def test_good_port_passes(self):
        problems, results = self.run_check(port())
        self.assertEqual(problems, [])
        self.assertIn("1 of 1 figure(s) judged", results)

    def test_good_exercises_pass(self):
        problems, results = self.run_check(exercises(), "exercises.ipynb", exercises_expect())
        self.assertEqual(problems, [])
        self.assertIn("5 of 5 figure(s) judged", results)

    def test_good_explore_passes(self):
        problems, results = self.run_check(explore(), "explore.ipynb")
        self.assertEqual(problems, [])
        self.assertIn("1 of 1 figure(s) judged", results)

    def test_explore_without_embedded_image_fails(self):
        self.assertFails(explore(weights=False), "0 PNG image(s) displayed", name="explore.ipynb")

    def test_explore_flat_embedded_weights_fail(self):
        self.assertFails(explore(read(os.path.join(HERE, "testdata", "weights_zero.png"))), "are flat",
                         name="explore.ipynb")

    def test_embedded_png_counts_only_where_declared(self):
        nb = port()
        nb["cells"][2] = explore()["cells"][0]
        nb["cells"][2]["outputs"][0] = port()["cells"][1]["outputs"][0]
        self.assertFails(nb, "0 PNG image(s) displayed")

    def test_all_zero_weights_fail(self):
        self.assertFails(port(weights=read(os.path.join(HERE, "testdata", "weights_zero.png"))), "are flat")

    def test_score_0_1_fails(self):
        self.assertFails(port(port_lines(score="0.1000")), "L2 test score = 0.1000")

    def test_score_off_by_a_few_images_fails(self):
        want = EXPECT["fits"]["l2_sag"]["test_score"]
        off = "%.4f" % (want["value"] + want["tolerance"] + 0.0002)
        self.assertFails(port(port_lines(score=off)), "L2 test score = " + off)

    def test_original_sparsity_fails(self):
        self.assertFails(port(port_lines(sparsity="9.18")), "L2 sparsity (%) = 9.18")

    def test_missing_figure_tag_fails(self):
        self.assertFails(port(tags=()), "0 cell(s) tagged 'figure', the expectations declare 1")

    def test_duplicated_line_fails(self):
        lines = port_lines()
        self.assertFails(port(lines + lines.splitlines(True)[1]), "2 result lines match")

    def test_missing_line_fails(self):
        self.assertFails(port(port_lines().replace("Test score", "Score")), "missing result line")

    def test_curves_without_data_fail(self):
        figs = [read(os.path.join(GOLDEN, n)) for n in (
            "regpath.png", "weights_rdbu.png", "digits_misclassified.png", "confusion.png")]
        figs.append(without_colour(read(os.path.join(GOLDEN, "learning.png"))))
        self.assertFails(exercises(figs), "no plotted data", name="exercises.ipynb", expect=exercises_expect())

    def test_wrong_panel_count_fails(self):
        self.assertFails(exercises(), "15 square panels, want 20", name="exercises.ipynb")

    def test_figure_cell_without_image_fails(self):
        nb = port()
        nb["cells"][2]["outputs"] = []
        self.assertFails(nb, "0 PNG image(s) displayed")

    def test_two_images_fail(self):
        nb = port()
        nb["cells"][2] = code("two", png=read(os.path.join(GOLDEN, "weights_greys.png")), tags=["figure"],
                              more=[read(os.path.join(GOLDEN, "weights_greys.png"))])
        self.assertFails(nb, "2 PNG image(s) displayed")

    def test_undecodable_png_fails(self):
        png = bytearray(read(os.path.join(GOLDEN, "weights_greys.png")))
        png[100] ^= 0xFF
        self.assertFails(port(weights=bytes(png)), "does not decode")

    def test_panic_fails(self):
        self.assertFails(port(port_lines() + "panic: runtime error: index out of range\n"), "Go panic")

    def test_unknown_notebook_fails(self):
        problems, _ = self.run_check(port(), "nb8.ipynb")
        self.assertTrue(problems and "no expectations for nb8.ipynb" in problems[0], problems)

    def test_expectations_are_consistent(self):
        for name, nb in EXPECT["notebooks"].items():
            for line in nb["lines"]:
                if "fit" in line:
                    q = EXPECT["fits"][line["fit"]][line["quantity"]]
                    self.assertGreaterEqual(q["tolerance"], 0, name)
            for fig in nb["figures"]:
                self.assertIn(fig["kind"], cn.JUDGES, name)
                if fig["kind"] in ("weights", "digits"):
                    self.assertGreater(fig["panels"], 0, name)

    def test_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            good, bad = os.path.join(d, "nb7_softmax_mnist.ipynb"), os.path.join(d, "bad", "nb7_softmax_mnist.ipynb")
            os.mkdir(os.path.dirname(bad))
            for path, nb in ((good, port()), (bad, port(port_lines(score="0.1000")))):
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(nb, f)

            def run(*args):
                return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)

            ok = run(good)
            self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
            self.assertIn("Test score with L2 penalty", ok.stdout)
            failed = run(good, bad)
            self.assertEqual(failed.returncode, 1, failed.stdout)
            self.assertIn("FAILED " + bad, failed.stdout)
            self.assertEqual(run("--expect", os.path.join(d, "missing.json"), good).returncode, 2)


class PNGTest(unittest.TestCase):
    def test_filters_round_trip(self):
        rng = random.Random(1)
        w, h = 37, 11
        rgb = [rng.randrange(1 << 24) for _ in range(w * h)]
        for filters in ((0,), (1,), (2,), (3,), (4,), (0, 1, 2, 3, 4)):
            img = cn.decode_png(encode_png(w, h, rgb, filters))
            self.assertEqual((img.w, img.h, img.rgb), (w, h, rgb), filters)

    def test_golden_images_decode(self):
        # Go's encoder picks a filter per row; the frame of the weights
        # figure is black and its corner white.
        img = cn.decode_png(read(os.path.join(GOLDEN, "weights_greys.png")))
        self.assertEqual((img.w, img.h, img.rgb[0]), (864, 432, 0xFFFFFF))
        self.assertIn(0x000000, set(img.rgb))

    def test_rejects(self):
        for raw in (b"GIF89a", b"\x89PNG\r\n\x1a\n", read(os.path.join(GOLDEN, "weights_greys.png"))[:200]):
            with self.assertRaises(ValueError):
                cn.decode_png(raw)


if __name__ == "__main__":
    unittest.main()
