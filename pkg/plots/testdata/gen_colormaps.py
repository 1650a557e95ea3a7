# Writes colormaps.json: matplotlib's 256-entry colour tables of the maps the
# package uses, as bytes (Colormap(x, bytes=True)), plus the colours of a few
# sample values, the reference for colormap_test.go.
#
# Run with Debian's python3 (matplotlib 3.6.3 here):
#   /usr/bin/python3 testdata/gen_colormaps.py > testdata/colormaps.json
import json
import sys

import matplotlib
import numpy as np

out = {"matplotlib": matplotlib.__version__, "maps": {}}
xs = [0.0, 0.1, 0.25, 0.49, 0.5, 0.51, 0.75, 0.9, 0.999, 1.0]
for name in ["Greys", "RdBu", "Blues"]:
    cm = matplotlib.colormaps[name]
    lut = cm(np.arange(cm.N), bytes=True)[:, :3].tolist()
    samples = [[x] + [int(v) for v in cm(x, bytes=True)[:3]] for x in xs]
    # imshow with vmin=-s, vmax=s normalises v to (v+s)/(2s); the samples
    # above are those normalised values.
    out["maps"][name] = {"lut": lut, "samples": samples}
json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
