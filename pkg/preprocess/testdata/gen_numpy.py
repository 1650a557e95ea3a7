#!/usr/bin/python3
"""Generate numpy_golden.json, the reference values of the preprocess tests.

Run with Debian's Python, which has numpy and scikit-learn (the `python3` of
pyenv on PATH has neither):

    cd pkg/preprocess/testdata && /usr/bin/python3 gen_numpy.py

The output is deterministic for a given numpy/scikit-learn; the committed file
was produced with numpy 1.24.2 and scikit-learn 1.2.1 (Debian 12). Floats are
written with repr, which Go's JSON decoder reads back exactly. A "checksum" of
an index array a is sum(i * a[i]) over all i, an exact integer that pins every
element and its position.
"""

import json
from fractions import Fraction

import numpy as np
import sklearn
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def checksum(a):
    return int(sum(i * int(v) for i, v in enumerate(a)))


def ints(a):
    return [int(v) for v in a]


def floats(a):
    return [float(v) for v in np.ravel(a)]


out = {
    "versions": {"numpy": np.__version__, "sklearn": sklearn.__version__},
}

# MT19937 32-bit outputs: randint over the full uint32 range takes one
# next_uint32 per value. 1300 values cross two state regenerations.
uint32 = []
for seed in [0, 1, 42, 12345, 2**31, 2**32 - 1]:
    v = np.random.RandomState(seed).randint(0, 2**32, size=1300, dtype=np.uint64)
    uint32.append({
        "seed": seed,
        "head": ints(v[:10]),
        "at": {str(i): int(v[i]) for i in [623, 624, 625, 1247, 1248, 1299]},
        "checksum": checksum(v),
    })
out["uint32"] = uint32

# State right after seeding (init_genrand): key[0..3] and key[623].
state = []
for seed in [0, 42, 2**32 - 1]:
    key = np.random.RandomState(seed).get_state()[1]
    state.append({"seed": seed, "key_head": ints(key[:4]), "key_last": int(key[-1])})
out["state"] = state

# 64-bit outputs (two 32-bit draws, high half first).
v = np.random.RandomState(0).randint(0, 2**64, size=8, dtype=np.uint64)
out["uint64"] = {"seed": 0, "values": ints(v)}

# random_sample: genrand_res53.
out["float64"] = [
    {"seed": s, "values": floats(np.random.RandomState(s).random_sample(8))}
    for s in [0, 42]
]

# random_interval(max) through legacy randint(0, max+1, dtype=uint64), which
# uses the same masked rejection (32-bit draws for max <= 2^32-1, 64-bit
# otherwise).
intervals = []
for seed, mx in [(0, 1), (0, 5), (1, 255), (0, 1000), (42, 2**31),
                 (0, 2**32 - 2), (0, 2**32 - 1), (0, 2**32), (7, 2**33 + 5),
                 (0, 2**53), (0, 2**63 + 12345), (0, 2**64 - 1)]:
    v = np.random.RandomState(seed).randint(0, mx + 1, size=20, dtype=np.uint64)
    intervals.append({"seed": seed, "max": mx, "values": ints(v)})
out["random_interval"] = intervals

# permutation(n).
perms = []
for seed, n in [(0, 0), (0, 1), (0, 2), (0, 3), (0, 10), (1, 2), (42, 1000),
                (2**32 - 1, 1000), (12345, 5000), (0, 70000), (42, 70000),
                (2**32 - 1, 70000)]:
    p = np.random.RandomState(seed).permutation(n)
    perms.append({
        "seed": seed, "n": n,
        "head": ints(p[:10]), "tail": ints(p[-10:]) if n else [],
        "full": ints(p) if n <= 1000 else None,
        "checksum": checksum(p),
    })
out["permutation"] = perms

# train_test_split (ShuffleSplit) positions, and the notebook protocol:
# X = X[perm0]; train_test_split(X, train_size=50000, test_size=10000,
# random_state=0), with X replaced by the original row numbers.
splits = []
perm0 = np.random.RandomState(0).permutation(70000)
for n, tr, te, seed, shuffled in [(70000, 50000, 10000, 0, True),
                                  (70000, 50000, 10000, 0, False),
                                  (70000, 60000, 10000, 1, True),
                                  (100, 60, 25, 42, False),
                                  (10, 9, 1, 3, False),
                                  (10, 1, 9, 3, False)]:
    rows = np.arange(n)[perm0] if shuffled else np.arange(n)
    train, test = train_test_split(rows, train_size=tr, test_size=te,
                                   random_state=seed)
    splits.append({
        "n": n, "train_size": tr, "test_size": te, "seed": seed,
        "shuffled_with_seed0": shuffled,
        "train_head": ints(train[:10]), "train_tail": ints(train[-10:]),
        "test_head": ints(test[:10]), "test_tail": ints(test[-10:]),
        "train_checksum": checksum(train), "test_checksum": checksum(test),
    })
out["split"] = splits


def exact_mean_var(col):
    fr = [Fraction(float(v)) for v in col]
    m = sum(fr) / len(fr)
    var = sum((f - m) ** 2 for f in fr) / len(fr)
    return float(m), float(var)


def scaler_case(name, x):
    s = StandardScaler().fit(x)
    exact = [exact_mean_var(x[:, j]) for j in range(x.shape[1])]
    return {
        "name": name, "rows": x.shape[0], "cols": x.shape[1],
        "x": floats(x),
        "mean": floats(s.mean_), "var": floats(s.var_),
        "scale": floats(s.scale_), "n_samples": int(s.n_samples_seen_),
        "exact_mean": [m for m, _ in exact], "exact_var": [v for _, v in exact],
        "transform": floats(s.transform(x)),
    }


rs = np.random.RandomState(3)
n = 50
x = np.empty((n, 6))
x[:, 0] = rs.normal(size=n)                        # ordinary
x[:, 1] = 7.25                                      # exactly constant
x[:, 2] = 1e9 + rs.uniform(size=n)                  # huge mean, variance ~ 1/12
x[:, 3] = 1e8 + np.where(np.arange(n) % 2, 1.4901161193847656e-08, 0)  # 1 ulp apart: near constant
x[:, 4] = rs.randint(0, 256, size=n)                # pixel-like
x[:, 5] = -3e-7 * rs.exponential(size=n)            # tiny scale
scaler = [scaler_case("mixed", x)]
scaler.append(scaler_case("one row", np.array([[1.5, -2.0, 0.0]])))
scaler.append(scaler_case("small", np.array([[0, 1, 7], [0, 3, 7], [2, 5, 7], [2, 7, 7.0]])))
out["scaler"] = scaler

# uint8 pixel rows: random pixels, an all-zero column, an all-255 column and
# a column with a single nonzero pixel.
pix = rs.randint(0, 256, size=(300, 12)).astype(np.uint8)
pix[:, 3] = 0
pix[:, 7] = 255
pix[:, 9] = 0
pix[17, 9] = 1
pix[:, 10] = np.where(rs.uniform(size=300) < 0.2, pix[:, 10], 0)  # sparse, like MNIST
s = StandardScaler().fit(pix.astype(np.float64))
out["pixels"] = {
    "rows": pix.shape[0], "features": pix.shape[1], "pix": ints(pix.ravel()),
    "mean": floats(s.mean_), "var": floats(s.var_), "scale": floats(s.scale_),
    "exact_var": [exact_mean_var(pix[:, j])[1] for j in range(pix.shape[1])],
    "transform": floats(s.transform(pix.astype(np.float64))),
}

with open("numpy_golden.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
