#!/usr/bin/env python3
"""scikit-learn side of `go run ./scripts/bench -compare`.

Runs the MNIST softmax notebook's protocol with scikit-learn and prints one
JSON line with the same fields as the Go bench, plus the scikit-learn
version and numpy's BLAS:

    X, y = the 70000 images in OpenML mnist_784 order (read from the IDX .gz
           files with gzip + numpy, not fetch_openml: no network)
    permutation = check_random_state(0).permutation(70000); X, y = X[p], y[p]
    train_test_split(X, y, train_size=..., test_size=..., random_state=split_seed)
    StandardScaler fitted on the training rows
    multinomial LogisticRegression(C, penalty, solver, tol, max_iter).fit;
    score on the test rows

-tol means what it means to the Go bench and to scikit-learn 1.2: for lbfgs
and newton-cg, scikit-learn 1.4 and later get tol/n_train, which stops them
by the same rule (peer.logistic_regression); the line's sklearn_tol is the
value passed.

Run it with the bench environment's Python (bash scripts/setup.sh --bench),
which has scikit-learn 1.9, or with Debian's (/usr/bin/python3, scikit-learn
1.2.1 from python3-sklearn): peer.logistic_regression spells the estimator
for either.

    .venv-bench/bin/python scripts/bench/sklearn_bench.py -solver sag ...
    .venv-bench/bin/python scripts/bench/sklearn_bench.py -env

-env prints only the versions and the BLAS (what compare.sh shows first).
The Go bench passes -data, the directory of the files it read.
"""

import json
import os
import sys
import time
import warnings

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer  # noqa: E402

SCRIPT = "sklearn_bench.py"


def environment():
    """The Python, scikit-learn, numpy and scipy versions and numpy's BLAS."""
    import numpy
    import scipy

    sklearn = peer.need("sklearn", SCRIPT)
    return {"python": sys.executable, "python_version": sys.version.split()[0],
            "sklearn": sklearn.__version__, "numpy": numpy.__version__,
            "scipy": scipy.__version__, "blas": peer.blas()}


def main():
    p = peer.arguments("scikit-learn's side of the Go bench (one JSON line)")
    p.add_argument("-solver", default="sag")
    p.add_argument("-penalty", default="l2")
    p.add_argument("-C", type=float, default=1e5)
    p.add_argument("-l1-ratio", type=float, default=0.0)
    p.add_argument("-tol", type=float, default=0.1)
    p.add_argument("-max-iter", type=int, default=100)
    p.add_argument("-objective", action="store_true")
    p.add_argument("-env", action="store_true", help="print the versions and the BLAS, and exit")
    a = p.parse_args()
    sklearn = peer.need("sklearn", SCRIPT)
    if a.env:
        print(json.dumps(environment()))
        return
    if a.solver == "sgd":
        sys.exit(SCRIPT + ": scikit-learn's LogisticRegression has no sgd solver")

    import numpy as np

    from nb7_protocol import objective

    data = peer.prepare(a)
    clf, tol = peer.logistic_regression(a.C, a.penalty, a.l1_ratio, len(data.y_train), a.solver,
                                        a.tol, a.max_iter)
    t1 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(data.X_train, data.y_train)
    t2 = time.perf_counter()
    score = clf.score(data.X_test, data.y_test)
    n_iter = int(np.max(clf.n_iter_))
    res = {
        "impl": "sklearn", "version": sklearn.__version__,
        "solver": a.solver, "penalty": a.penalty, "C": a.C, "tol": a.tol,
        "train_size": a.train_size,
        "fit_s": round(t2 - t1, 3),
        "n_iter": n_iter,
        "sparsity_pct": round(float(np.mean(clf.coef_ == 0) * 100), 4),
        "test_score": float(score),
        "converged": bool(n_iter < a.max_iter),
        "sklearn_tol": tol,
        "blas": peer.blas(),
    }
    if a.objective:
        yi = np.searchsorted(clf.classes_, data.y_train)
        res["objective"] = objective(data.X_train, yi, clf.coef_, clf.intercept_, a.C,
                                     a.penalty, a.l1_ratio)
    peer.emit(res, data)


if __name__ == "__main__":
    main()
