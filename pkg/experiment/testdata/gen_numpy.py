#!/usr/bin/env python3
"""Generate numpy_seeds.json, the reference rows of pkg/experiment's seed tests.

Any Python with numpy and scikit-learn runs it, for example a throwaway venv:

    python3 -m venv /tmp/np && /tmp/np/bin/pip install numpy scikit-learn
    cd pkg/experiment/testdata && /tmp/np/bin/python gen_numpy.py

numpy's legacy RandomState and scikit-learn's train_test_split are stable
across versions; the committed file was written with the versions it names.
The data set is 300 rows whose contents are their row numbers (np.arange),
so the selected values are the selected rows, as in the Go tests' synthetic
set.
"""

import json
import re

import numpy as np
import sklearn
from numpy.random import RandomState
from sklearn.model_selection import train_test_split

N, TRAIN, TEST, SPLIT_SEED = 300, 200, 50, 7
SUB_SIZE = 20


def ints(a):
    return [int(v) for v in a]


out = {
    "versions": {"numpy": np.__version__, "sklearn": sklearn.__version__},
    "n": N, "train_size": TRAIN, "test_size": TEST, "split_seed": SPLIT_SEED,
    "prepare": [],
    "subsample": [],
}
for shuffle_seed in (0, 5):
    # The notebook's steps: X = X[RandomState(s).permutation(n)], then
    # train_test_split(X, train_size, test_size, random_state=split_seed).
    rows = np.arange(N)[RandomState(shuffle_seed).permutation(N)]
    train, test = train_test_split(rows, train_size=TRAIN, test_size=TEST, random_state=SPLIT_SEED)
    out["prepare"].append({"shuffle_seed": shuffle_seed, "train_rows": ints(train), "test_rows": ints(test)})
    if shuffle_seed != 0:
        continue
    for seed in (3, 4):
        # Split.Subsample(size, seed): the first size of
        # RandomState(seed).permutation(len(train)), as training positions.
        pick = RandomState(seed).permutation(len(train))[:SUB_SIZE]
        out["subsample"].append({"shuffle_seed": shuffle_seed, "seed": seed, "size": SUB_SIZE,
                                 "train_rows": ints(train[pick])})

# One case per line: readable diffs, no thousand-line file.
text = json.dumps(out, indent=1)
text = re.sub(r"\[\s+([-0-9,\s]+?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
with open("numpy_seeds.json", "w") as f:
    f.write(text + "\n")
