"""What the Python peers of the Go bench share: sklearn_bench.py (scikit-learn),
torch_bench.py (PyTorch) and precond_check.py.

Each reads the same four IDX files, shuffles with numpy's RandomState(0),
splits with train_test_split(random_state=split_seed) and standardises with
a StandardScaler fitted on the training rows, as the Go bench does
(scripts/nb7_protocol.py has the load and the split), then prints one JSON
line with the Go bench's field names.

The peers run in the bench environment, .venv-bench/ (bash scripts/setup.sh
--bench: scikit-learn 1.9, numpy, scipy, threadpoolctl; --torch adds PyTorch).
A peer whose library is missing exits with status MISSING (3) and one line
naming the Python and the command that installs it.
"""

import argparse
import json
import os
import sys
import time
from types import SimpleNamespace

# nb7_protocol (scripts/) is imported where it is used, after need() had its
# chance to name a missing library.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# MISSING is the exit status of a peer whose library is not installed.
MISSING = 3

# INSTALL names, for each library a peer needs, what it is and how to install it.
INSTALL = {
    "sklearn": ("scikit-learn", "bash scripts/setup.sh --bench installs the bench environment "
                ".venv-bench (Debian's: bash scripts/setup.sh --debian-sklearn)"),
    "threadpoolctl": ("threadpoolctl", "bash scripts/setup.sh --bench"),
    "torch": ("PyTorch", "bash scripts/setup.sh --torch"),
}


def need(module, script):
    """Imports module and returns it; if it is not installed for this Python,
    exits with status MISSING and one line naming the Python and the set-up
    command (script names the peer in the message)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        name, how = INSTALL.get(module, (module, "pip install " + module))
        print("%s: %s is not installed for %s (%s): %s" % (script, name, sys.executable, e, how),
              file=sys.stderr)
        sys.exit(MISSING)


def arguments(description):
    """An argument parser with the protocol's flags, named as the Go bench's:
    -data (default: the GoMNIST copy in the Go module cache), -train-size,
    -test-size, -split-seed."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("-data", default=None, help="directory of the four IDX .gz files")
    p.add_argument("-train-size", type=int, default=50000)
    p.add_argument("-test-size", type=int, default=10000)
    p.add_argument("-split-seed", type=int, default=0)
    return p


def prepare(a):
    """Loads, shuffles, splits and standardises as the Go bench does, with
    the flags of arguments(). Returns a namespace with permutation, X_train,
    X_test (float64, standardised), y_train, y_test and load_s (seconds)."""
    from nb7_protocol import load, split
    from sklearn.preprocessing import StandardScaler

    t0 = time.perf_counter()
    X, y = load(a.data)
    permutation, X_train, X_test, y_train, y_test = split(
        X, y, a.train_size, a.test_size, a.split_seed)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.transform(X_test)
    return SimpleNamespace(permutation=permutation, X_train=X_train, X_test=X_test,
                           y_train=y_train, y_test=y_test, t0=t0,
                           load_s=round(time.perf_counter() - t0, 3))


def logistic_regression(C, penalty, l1_ratio, n_train, solver, tol, max_iter):
    """The notebook's multinomial LogisticRegression with the meaning the Go
    bench gives its settings (scikit-learn 1.2's), spelled for the installed
    scikit-learn, and the tol it passes (see below). penalty is "l2", "l1",
    "elasticnet" or "none"; n_train is the number of training rows.

    - multi_class: before 1.5 it is given "multinomial" (the default "auto"
      picks the same for 10 classes and these solvers); 1.5 deprecated it,
      multinomial being the default for every solver but liblinear, and
      later releases removed it.
    - penalty: 1.8 deprecated it; the penalty is then l1_ratio (0 for l2, 1
      for l1) and C=inf for none.
    - tol of lbfgs and newton-cg: up to 1.3 they stop when max|gradient| <=
      tol for the objective divided by C, sum_i CE_i + ||W||^2/(2C)
      (pkg/softmax's rule too); from 1.4 (scikit-learn PR 26721) they
      minimise that objective divided by n_train, so the same rule needs
      tol/n_train. sag and saga compare weight changes, which do not scale.
    """
    from sklearn import __version__
    from sklearn.linear_model import LogisticRegression

    version = tuple(int(v) for v in __version__.split(".")[:2])
    if version >= (1, 4) and solver in ("lbfgs", "newton-cg"):
        tol = tol / n_train
    kw = dict(solver=solver, tol=tol, max_iter=max_iter)
    if version >= (1, 8):
        ratio = {"l2": 0.0, "l1": 1.0, "elasticnet": l1_ratio, "none": 0.0}[penalty]
        clf = LogisticRegression(C=float("inf") if penalty == "none" else C, l1_ratio=ratio, **kw)
        return clf, tol
    if version < (1, 5):
        kw["multi_class"] = "multinomial"
    clf = LogisticRegression(C=C, penalty=None if penalty == "none" else penalty,
                             l1_ratio=l1_ratio if penalty == "elasticnet" else None, **kw)
    return clf, tol


def blas():
    """The BLAS libraries loaded, with version, owner and threads, as
    threadpoolctl sees them, numpy's first: scikit-learn's lbfgs and
    newton-cg spend their time in numpy's.

    PyPI's numpy and scipy wheels each bring their own OpenBLAS
    (scipy-openblas, shown as "(numpy)" and "(scipy)"); Debian's numpy uses
    the libblas.so.3 alternative, OpenBLAS when python3-scipy pulled it in,
    else the single-threaded reference BLAS (libblas3), which threadpoolctl
    does not list.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (no threadpoolctl)"
    libs = []
    for i in threadpool_info():
        if i.get("user_api") != "blas":
            continue
        path = i.get("filepath") or ""
        owner = next((" (%s)" % o for o in ("numpy", "scipy") if "/%s.libs/" % o in path), "")
        n = i.get("num_threads")
        libs.append(("(numpy)" not in owner, "%s %s%s, %d thread%s" % (
            i.get("internal_api"), i.get("version"), owner, n, "" if n == 1 else "s")))
    if not libs:
        return "not OpenBLAS/MKL/BLIS (reference BLAS?), 1 thread"
    return "; ".join(text for _, text in sorted(libs))


def emit(res, data):
    """Prints res as one JSON line, with the protocol's fields from data
    (prepare's namespace) and total_s, the time since prepare started."""
    res["first_perm"] = [int(v) for v in data.permutation[:5]]
    res["load_s"] = data.load_s
    res["total_s"] = round(time.perf_counter() - data.t0, 3)
    print(json.dumps(res))
