"""The notebook's protocol in numpy and scikit-learn, shared by the scripts
that produce reference values for the Go port (scripts/sklearn_reference.py,
scripts/bench/sklearn_bench.py).

It reads MNIST from the IDX .gz files with gzip and numpy (not fetch_openml:
no network), in OpenML mnist_784 order, and prepares it as Notebook 7 does:

    permutation = check_random_state(0).permutation(70000); X, y = X[p], y[p]
    train_test_split(X, y, train_size, test_size, random_state=split_seed)

Run the scripts with Debian's Python, which has numpy 1.24 and scikit-learn
1.2.1 (/usr/bin/python3; the pyenv python3 on PATH has neither).
"""

import gzip
import os
import subprocess

import numpy as np

NAMES = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]


def read_idx(path):
    """Returns the images (n x 784 uint8) or labels (n uint8) of an IDX .gz file."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic == 0x00000803:
        n, r, c = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, r * c)
    if magic == 0x00000801:
        n = int.from_bytes(data[4:8], "big")
        return np.frombuffer(data, dtype=np.uint8, offset=8)[:n]
    raise ValueError(f"{path}: bad IDX magic {magic:#x}")


def default_dir():
    """The data directory of the GoMNIST module in the Go module cache."""
    modcache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True,
                              text=True, check=True).stdout.strip()
    return os.path.join(modcache, "github.com", "petar",
                        "!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63", "data")


def load(data_dir=None):
    """Returns X (70000 x 784 float64) and y (int64) in OpenML mnist_784 order:
    the 60000 training images, then the 10000 test images."""
    d = data_dir or default_dir()
    xtr, ytr, xte, yte = (read_idx(os.path.join(d, n)) for n in NAMES)
    X = np.concatenate([xtr, xte]).astype(np.float64)
    return X, np.concatenate([ytr, yte]).astype(np.int64)


def split(X, y, train_size=50000, test_size=10000, split_seed=0):
    """Shuffles with RandomState(0) and splits as the notebook does, seeded.
    Returns permutation, X_train, X_test, y_train, y_test (not standardised)."""
    from sklearn.model_selection import train_test_split
    from sklearn.utils import check_random_state

    permutation = check_random_state(0).permutation(X.shape[0])
    X_train, X_test, y_train, y_test = train_test_split(
        X[permutation], y[permutation], train_size=train_size, test_size=test_size,
        random_state=split_seed)
    return permutation, X_train, X_test, y_train, y_test


def objective(X, y, coef, intercept, C, penalty, l1_ratio=0.0):
    """scikit-learn's objective C * sum_i CE_i + penalty(coef); y holds class
    indices (rows of coef)."""
    z = X @ coef.T + intercept
    zmax = z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z - zmax).sum(axis=1)) + zmax[:, 0]
    ce = float(np.sum(lse - z[np.arange(len(y)), y]))
    l1, l2 = float(np.sum(np.abs(coef))), 0.5 * float(np.sum(coef * coef))
    if penalty == "l2":
        return C * ce + l2
    if penalty == "l1":
        return C * ce + l1
    if penalty == "elasticnet":
        return C * ce + l1_ratio * l1 + (1 - l1_ratio) * l2
    return ce
