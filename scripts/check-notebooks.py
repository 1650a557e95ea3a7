#!/usr/bin/env python3
"""Check notebooks executed by scripts/run-notebooks.sh.

Usage: .venv/bin/python scripts/check-notebooks.py [--expect FILE] EXECUTED.ipynb...
(scripts/run-notebooks.sh runs it so; it needs only the standard library.)

The expected results come from FILE, by default testdata/notebook_results.json
at the repository root (the file the Go test TestNotebookResults and the
browser test read too); a notebook it does not list fails. For every executed
notebook it checks that
  - every code cell ran (it has an execution count),
  - no output is an error (a compile error, a panic or os.Exit in a GoNB cell),
  - no output text shows a Go panic, a fatal error or an "exit status N" line
    (GoNB prints the latter when a shell line or the cell program fails),
  - each result line the file lists is printed exactly once on stdout, and its
    value is the expected one: within the fit's tolerance plus half a unit of
    the last printed digit, or within the line's min and max,
  - the cells tagged "figure" (cell metadata tags) are as many as the file
    declares, each displayed exactly one PNG (or, for a figure declared
    "embedded", showed exactly one PNG as a data URL in its HTML: the
    initial state of an interactive panel), and each PNG shows what its
    declared kind needs, judged on the decoded pixels:
      weights  the declared number of equal square panels, each with a
               non-trivial spread of grey levels (not one flat colour),
      digits   the same, for the panels of digit images,
      heatmap  a square framed region whose cells are not one flat colour,
      curves   coloured plotted data across most of the width and some of
               the height (axes, grid and legend alone do not count).
It prints one block per notebook (ok/FAILED, the result lines, the figures,
the problems) and exits 1 if any notebook failed, 2 on bad usage. Standard
library only (the PNG decoder is below).
"""

import base64
import collections
import html
import json
import os
import re
import struct
import sys
import zlib

DEFAULT_EXPECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "notebook_results.json")

FIGURE_TAG = "figure"
BAD_TEXT = [
    (re.compile(r"^panic: ", re.M), "Go panic"),
    (re.compile(r"^fatal error: ", re.M), "Go fatal error"),
    (re.compile(r"\bexit status -?\d+"), "non-zero exit status"),
]
RUN_RE = re.compile(b"\x01+")
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
TAG_RE = re.compile(r"<style>.*?</style>|<[^>]+>", re.S)
DATA_PNG_RE = re.compile(r"""<img\b[^>]*\bsrc=["']data:image/png;base64,([^"']+)["']""")

# Figure content thresholds, on 0..255 grey levels and image pixels.
MIN_PANEL_SIDE = 40  # a panel or a heat map is at least this many pixels wide
MIN_SPREAD = 4.0  # standard deviation of the grey levels inside a panel
COLOURED = 60  # max(r, g, b) - min(r, g, b) of a plotted line's pixel
MIN_CURVE_WIDTH = 0.4  # plotted data span this fraction of the width...
MIN_CURVE_HEIGHT = 0.05  # ...and this fraction of the height


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


# --- PNG -------------------------------------------------------------------------------


class Image:
    """A decoded image: width w, height h and its pixels rgb, row after row,
    each 0xRRGGBB composited over white."""

    def __init__(self, w, h, rgb):
        self.w, self.h, self.rgb = w, h, rgb


def grey(v):
    """Returns the grey level 0..255 of a 0xRRGGBB pixel."""
    return (299 * (v >> 16) + 587 * ((v >> 8) & 255) + 114 * (v & 255)) // 1000


def colour(v):
    """Returns the colourfulness of a 0xRRGGBB pixel: max - min of r, g, b."""
    r, g, b = v >> 16, (v >> 8) & 255, v & 255
    return max(r, g, b) - min(r, g, b)


def _unfilter(data, w, h, bpp):
    """Returns the h rows of PNG scanlines data (filter byte first) unfiltered."""
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        start = y * (stride + 1)
        f, line = data[start], bytearray(data[start + 1:start + 1 + stride])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif f != 0:
            raise ValueError("bad PNG filter type %d in row %d" % (f, y))
        rows.append(line)
        prev = line
    return rows


def decode_png(raw):
    """Decodes an 8-bit, non-interlaced PNG (grey, RGB, palette, with or
    without alpha) into an Image; raises ValueError for anything else."""
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError("not a PNG (bad signature)")
    pos, idat, palette, ihdr = 8, [], b"", None
    while pos + 12 <= len(raw):
        n, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        body, crc = raw[pos + 8:pos + 8 + n], raw[pos + 8 + n:pos + 12 + n]
        if len(crc) != 4 or zlib.crc32(kind + body) != struct.unpack(">I", crc)[0]:
            raise ValueError("corrupt PNG chunk %r" % kind)
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if ihdr is None or not idat:
        raise ValueError("PNG without IHDR or IDAT")
    w, h, depth, ctype, _, _, interlace = ihdr
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or bpp is None or interlace:
        raise ValueError("unsupported PNG: bit depth %d, colour type %d, interlace %d" % (depth, ctype, interlace))
    try:
        data = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise ValueError("corrupt PNG data: %s" % e)
    if len(data) != h * (w * bpp + 1):
        raise ValueError("PNG data of %d bytes for %dx%d pixels" % (len(data), w, h))
    rgb = []
    for line in _unfilter(data, w, h, bpp):
        if ctype == 3:
            pal = [palette[3 * i:3 * i + 3].ljust(3, b"\0") for i in line]
            r, g, b = [p[0] for p in pal], [p[1] for p in pal], [p[2] for p in pal]
        elif ctype in (0, 4):
            r = g = b = line[0::bpp]
        else:
            r, g, b = line[0::bpp], line[1::bpp], line[2::bpp]
        if ctype in (4, 6):
            a = line[bpp - 1::bpp]
            r, g, b = ([(v * t + 255 * (255 - t)) // 255 for v, t in zip(c, a)] for c in (r, g, b))
        rgb += [(x << 16) | (y << 8) | z for x, y, z in zip(r, g, b)]
    return Image(w, h, rgb)


# --- figure content --------------------------------------------------------------------


def regions(img):
    """Returns the bounding boxes (x0, y0, x1, y1), exclusive ends, of the
    4-connected regions of pixels that differ from the background, the most
    common colour of the image's border. It joins the runs of such pixels
    of each row to the runs they touch in the row above (union-find)."""
    w, h, rgb = img.w, img.h, img.rgb
    border = rgb[:w] + rgb[-w:] + rgb[::w] + rgb[w - 1::w]
    bg = collections.Counter(border).most_common(1)[0][0]
    parent, boxes, above = [], [], []

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for y in range(h):
        mask = bytes(v != bg for v in rgb[y * w:(y + 1) * w])
        row = []
        for m in RUN_RE.finditer(mask):
            i = len(parent)
            parent.append(i)
            boxes.append([m.start(), y, m.end(), y + 1])
            row.append((m.start(), m.end(), i))
            for a0, a1, j in above:
                if a0 < m.end() and m.start() < a1:
                    ri, rj = root(i), root(j)
                    if ri != rj:
                        parent[rj] = ri
                        bi, bj = boxes[ri], boxes[rj]
                        boxes[ri] = [min(bi[0], bj[0]), min(bi[1], bj[1]), max(bi[2], bj[2]), max(bi[3], bj[3])]
        above = row
    return [tuple(boxes[i]) for i in range(len(parent)) if parent[i] == i]


def squares(img):
    """Returns the regions that are squares at least MIN_PANEL_SIDE wide
    (panels, heat maps) and not inside another one (a digit's stroke inside
    its frame), top to bottom, left to right."""
    out = []
    for b in regions(img):
        dx, dy = b[2] - b[0], b[3] - b[1]
        if min(dx, dy) >= MIN_PANEL_SIDE and abs(dx - dy) <= max(3, dx // 10):
            out.append(b)

    def inside(a, b):
        return a != b and b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]

    out = [a for a in out if not any(inside(a, b) for b in out)]
    return sorted(out, key=lambda b: (b[1], b[0]))


def spread(img, box):
    """Returns the standard deviation of the grey levels inside box, a
    tenth of its width in from each side (off the frame)."""
    x0, y0, x1, y1 = box
    m = max(2, (x1 - x0) // 10)
    vals = [grey(v) for y in range(y0 + m, y1 - m) for v in img.rgb[y * img.w + x0 + m:y * img.w + x1 - m]]
    if not vals:
        return 0.0
    mean = sum(vals) / len(vals)
    return (sum((v - mean) ** 2 for v in vals) / len(vals)) ** 0.5


def judge_panels(img, spec):
    """The weights and digits kinds: spec["panels"] equal squares, none flat."""
    want = spec.get("panels")
    boxes = squares(img)
    if len(boxes) != want:
        return ["%d square panels, want %d" % (len(boxes), want)], ""
    sides = [b[2] - b[0] for b in boxes]
    if max(sides) - min(sides) > 2:
        return ["panels of unequal sizes %d..%d px" % (min(sides), max(sides))], ""
    spreads = [spread(img, b) for b in boxes]
    flat = [i for i, s in enumerate(spreads) if s < MIN_SPREAD]
    if flat:
        return ["panel(s) %s are flat (grey-level spread %s, want >= %g)" % (
            ", ".join(str(i) for i in flat), ", ".join("%.1f" % spreads[i] for i in flat), MIN_SPREAD)], ""
    return [], "%d panels of %d px, spread %.1f..%.1f" % (len(boxes), sides[0], min(spreads), max(spreads))


def judge_heatmap(img, spec):
    """The heatmap kind: the largest square region is not flat."""
    boxes = squares(img)
    if not boxes:
        return ["no square region of at least %d px" % MIN_PANEL_SIDE], ""
    box = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    s = spread(img, box)
    if s < MIN_SPREAD:
        return ["the heat map is flat (grey-level spread %.1f, want >= %g)" % (s, MIN_SPREAD)], ""
    return [], "heat map of %d px, spread %.1f" % (box[2] - box[0], s)


def judge_curves(img, spec):
    """The curves kind: coloured pixels across most of the width."""
    xs, ys = set(), set()
    for i, v in enumerate(img.rgb):
        if colour(v) >= COLOURED:
            xs.add(i % img.w)
            ys.add(i // img.w)
    if not xs:
        return ["no plotted data (no coloured pixels)"], ""
    width, height = (max(xs) - min(xs) + 1) / img.w, (max(ys) - min(ys) + 1) / img.h
    if width < MIN_CURVE_WIDTH or height < MIN_CURVE_HEIGHT:
        return ["plotted data span %.0f%% of the width and %.0f%% of the height, want >= %.0f%% and %.0f%%" % (
            100 * width, 100 * height, 100 * MIN_CURVE_WIDTH, 100 * MIN_CURVE_HEIGHT)], ""
    return [], "data across %.0f%% x %.0f%%" % (100 * width, 100 * height)


JUDGES = {"weights": judge_panels, "digits": judge_panels, "heatmap": judge_heatmap, "curves": judge_curves}


def embedded_pngs(outputs):
    """Returns the base64 PNGs that the HTML outputs show as data URLs
    (attribute values HTML-unescaped, as a browser reads them)."""
    return [html.unescape(m) for o in outputs if "text/html" in o.get("data", {})
            for m in DATA_PNG_RE.findall(text_of(o["data"]["text/html"]))]


def judge_figure(where, outputs, spec):
    """Returns (problems, summary) for the outputs of a figure cell."""
    pngs = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    if spec.get("embedded"):
        pngs += embedded_pngs(outputs)
    others = [t for o in outputs for t in o.get("data", {}) if t.startswith("image/") and t != "image/png"]
    if len(pngs) != 1:
        return ["%s: tagged %r: %d PNG image(s) displayed%s, want exactly 1" % (
            where, FIGURE_TAG, len(pngs), " (and %s)" % ", ".join(others) if others else "")], ""
    try:
        img = decode_png(base64.b64decode(text_of(pngs[0])))
    except ValueError as e:
        return ["%s: the PNG does not decode: %s" % (where, e)], ""
    judge = JUDGES.get(spec.get("kind"))
    if judge is None:
        return ["%s: unknown figure kind %r in the expectations" % (where, spec.get("kind"))], ""
    problems, summary = judge(img, spec)
    what = "%s (%s)" % (spec["kind"], spec.get("what", "figure"))
    return ["%s: %s: %s" % (where, what, p) for p in problems], "%s: %s" % (what, summary)


# --- result lines ----------------------------------------------------------------------


def half_unit(printed):
    """Returns half a unit of the last digit of a printed number ("0.8998": 5e-5)."""
    mantissa = re.split(r"[eE]", printed)[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    scale = 10 ** int(re.split(r"[eE]", printed)[1]) if re.search(r"[eE]", printed) else 1
    return 0.5 * 10 ** -decimals * scale


def check_line(spec, lines, fits):
    """Returns (problems, result) for one expected result line."""
    label, rx = spec["label"], re.compile(spec["pattern"])
    found = [m for m in (rx.match(l.strip()) for l in lines) if m]
    if not found:
        return ["%s: missing result line matching %r" % (label, spec["pattern"])], None
    if len(found) > 1:
        return ["%s: %d result lines match %r, want one: %s" % (label, len(found), spec["pattern"],
                                                                 " | ".join(m.string.strip() for m in found))], None
    m = found[0]
    try:
        value = float(m.group(1))
    except (IndexError, ValueError):
        return ["%s: cannot parse a number in %r" % (label, m.string.strip())], m.string.strip()
    if "fit" in spec:
        want = fits[spec["fit"]][spec["quantity"]]
        tol = want["tolerance"] + half_unit(m.group(1)) + 1e-12
        if abs(value - want["value"]) > tol:
            return ["%s = %s, want %.10g +- %.3g (%s %s in the expectations)" % (
                label, m.group(1), want["value"], tol, spec["fit"], spec["quantity"])], m.string.strip()
    lo, hi = spec.get("min"), spec.get("max")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return ["%s = %g, want within [%s, %s]" % (label, value, "-inf" if lo is None else lo,
                                                    "+inf" if hi is None else hi)], m.string.strip()
    return [], m.string.strip()


# --- notebooks -------------------------------------------------------------------------


def check_cells(nb):
    """Returns (problems, stdout lines, figure cells as (where, outputs))."""
    problems, stdout, figures = [], [], []
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
        if FIGURE_TAG in cell.get("metadata", {}).get("tags", []):
            figures.append((where, outputs))
    return problems, "".join(stdout).splitlines(), figures


def check(path, expect):
    """Returns (problems, results) for one executed notebook."""
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return ["cannot read %s: %s" % (path, e)], []
    name = os.path.basename(path)
    want = expect["notebooks"].get(name)
    if want is None:
        return ["no expectations for %s in the expectations file (notebooks: %s)" % (
            name, ", ".join(sorted(expect["notebooks"])))], []
    problems, lines, figures = check_cells(nb)
    results = []
    for spec in want["lines"]:
        p, line = check_line(spec, lines, expect["fits"])
        problems += p
        if line:
            results.append(line)
    declared = want["figures"]
    if len(figures) != len(declared):
        problems.append("%d cell(s) tagged %r, the expectations declare %d figure(s): %s" % (
            len(figures), FIGURE_TAG, len(declared), ", ".join(d["kind"] for d in declared)))
    for (where, outputs), spec in zip(figures, declared):
        p, summary = judge_figure(where, outputs, spec)
        problems += p
        if summary:
            results.append(summary)
    results.append("%d of %d figure(s) judged" % (min(len(figures), len(declared)), len(declared)))
    return problems, results


def main(argv):
    args = argv[1:]
    expect_path = DEFAULT_EXPECT
    if len(args) >= 2 and args[0] == "--expect":
        expect_path, args = args[1], args[2:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(expect_path, encoding="utf-8") as f:
            expect = json.load(f)
    except (OSError, ValueError) as e:
        print("check-notebooks: cannot read the expectations %s: %s" % (expect_path, e), file=sys.stderr)
        return 2
    failed = False
    for path in args:
        problems, results = check(path, expect)
        print("%s %s" % ("ok    " if not problems else "FAILED", path))
        for r in results:
            print("    " + r)
        for p in problems:
            print("    problem: " + p.replace("\n", "\n      | "))
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
