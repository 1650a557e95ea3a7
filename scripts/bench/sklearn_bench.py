#!/usr/bin/python3
"""scikit-learn side of `go run ./scripts/bench -compare`.

Runs the MNIST softmax notebook's protocol with scikit-learn and prints one
JSON line with the same fields as the Go bench:

    X, y = the 70000 images in OpenML mnist_784 order (read from the IDX .gz
           files with gzip + numpy, not fetch_openml: no network)
    permutation = check_random_state(0).permutation(70000); X, y = X[p], y[p]
    train_test_split(X, y, train_size=..., test_size=..., random_state=split_seed)
    StandardScaler fitted on the training rows
    LogisticRegression(C, multi_class='multinomial', penalty, solver, tol,
                       max_iter).fit; score on the test rows

Run with Debian's Python, which has scikit-learn 1.2.1:

    /usr/bin/python3 scripts/bench/sklearn_bench.py -data DIR -solver sag ...

The Go bench passes the directory of the module-cache copy of the files.
"""

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from nb7_protocol import load, objective, split  # noqa: E402


def blas():
    """The BLAS numpy calls, with its threads, as threadpoolctl sees it.

    Debian's python3-scipy pulls OpenBLAS in (through python3-pythran), and
    numpy then uses it through the libblas.so.3 alternative; the reference
    BLAS (libblas3) is single-threaded and not listed by threadpoolctl.
    scikit-learn's lbfgs and newton-cg spend their time in it.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (no threadpoolctl)"
    libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not libs:
        return "not OpenBLAS/MKL/BLIS (reference BLAS?), 1 thread"
    return ", ".join("%s %s, %d threads" % (i.get("internal_api"), i.get("version"), i.get("num_threads"))
                     for i in libs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-data", required=True)
    p.add_argument("-solver", default="sag")
    p.add_argument("-penalty", default="l2")
    p.add_argument("-C", type=float, default=1e5)
    p.add_argument("-l1-ratio", type=float, default=0.0)
    p.add_argument("-tol", type=float, default=0.1)
    p.add_argument("-max-iter", type=int, default=100)
    p.add_argument("-train-size", type=int, default=50000)
    p.add_argument("-test-size", type=int, default=10000)
    p.add_argument("-split-seed", type=int, default=0)
    p.add_argument("-objective", action="store_true")
    a = p.parse_args()
    if a.solver == "sgd":
        sys.exit("sklearn_bench.py: scikit-learn's LogisticRegression has no sgd solver")

    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    t0 = time.perf_counter()
    X, y = load(a.data)
    permutation, X_train, X_test, y_train, y_test = split(
        X, y, a.train_size, a.test_size, a.split_seed)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.transform(X_test)
    t1 = time.perf_counter()
    penalty = None if a.penalty == "none" else a.penalty
    clf = LogisticRegression(C=a.C, multi_class="multinomial", penalty=penalty,
                             solver=a.solver, tol=a.tol, max_iter=a.max_iter,
                             l1_ratio=a.l1_ratio if a.penalty == "elasticnet" else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X_train, y_train)
    t2 = time.perf_counter()
    score = clf.score(X_test, y_test)
    n_iter = int(np.max(clf.n_iter_))
    res = {
        "impl": "sklearn",
        "solver": a.solver, "penalty": a.penalty, "C": a.C, "tol": a.tol,
        "train_size": a.train_size,
        "load_s": round(t1 - t0, 3), "fit_s": round(t2 - t1, 3),
        "n_iter": n_iter,
        "sparsity_pct": round(float(np.mean(clf.coef_ == 0) * 100), 4),
        "test_score": float(score),
        "first_perm": [int(v) for v in permutation[:5]],
        "converged": bool(n_iter < a.max_iter),
        "blas": blas(),
    }
    if a.objective:
        yi = np.searchsorted(clf.classes_, y_train)
        obj = objective(X_train, yi, clf.coef_, clf.intercept_, a.C, a.penalty, a.l1_ratio)
        res["objective"] = obj
    res["total_s"] = round(time.perf_counter() - t0, 3)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
