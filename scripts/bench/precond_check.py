"""Why pkg/softmax's Settings.Precondition uses the class blocks of the
Hessian: conjugate gradients on the exact Hessian of the converged MNIST
protocol (l2, C=1, tol=1e-4, 50000 standardised training rows) with four
preconditioners, counted in iterations until the objective of the quadratic
model is within 100, 10, 1, 0.1 and 0.01 of its minimum.

The Hessian of C*sum_i CE_i + ||W||^2/2 at scikit-learn's lbfgs optimum is
built densely with numpy (7850 x 7850, about 40 s on OpenBLAS); the right-hand
side is H x* (x* the optimum), conjugate gradients start from 0, and the
gap is (x - x*)^T H (x - x*)/2, which at the start is about the objective gap
of L-BFGS started from zero weights. Preconditioners:

    identity      plain conjugate gradients
    start blocks  what Precondition starts with, the inverse Hessian at
                  W = 0: P G^-1 P + (I - P), G = S/K + I, S the Gram of
                  [x_i; 1], P removing class means
    pixel blocks  the K x K block of H of each feature
    class blocks  what Precondition builds later: P G^-1 P + (I - P), G the
                  K diagonal class blocks of H

(the ridge I of G only on the weights; the intercept, which the objective
does not penalise, gets 1e-10 of the block's mean diagonal, as in Go).

Run with the bench environment's Python (bash scripts/setup.sh --bench) or
Debian's (/usr/bin/python3 with python3-sklearn); it takes about 3 minutes,
most of it scikit-learn's fit:

    .venv-bench/bin/python scripts/bench/precond_check.py [-data DIR]

Measured here with scikit-learn 1.2.1 (one run, 3 min 39 s): identity 108, 238, 366, 475, 586
iterations; start blocks 71, 178, 283, 387, 508; pixel blocks 100, 214, 286,
427, 567; class blocks 4, 6, 8, 10, 14. (Before the ridge left the intercept
out, class blocks took 4, 6, 8, 11, 14.)
"""

import os
import sys
import warnings

import numpy as np
import scipy.linalg as sl

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer  # noqa: E402

GAPS = (100.0, 10.0, 1.0, 0.1, 0.01)


def hessian(xa, prob, k, pen):
    """The Hessian of sum_i CE_i + pen.x^2/2, class-major blocks of
    len(xa[0]) features (the last one the intercept)."""
    p = xa.shape[1]
    h = np.zeros((k * p, k * p))
    for a in range(k):
        for b in range(a, k):
            w = prob[:, a] * (a == b) - prob[:, a] * prob[:, b]
            blk = xa.T @ (w[:, None] * xa)
            h[a * p:(a + 1) * p, b * p:(b + 1) * p] = blk
            h[b * p:(b + 1) * p, a * p:(a + 1) * p] = blk.T
    h[np.diag_indices_from(h)] += pen
    return h


def pcg(h, rhs, xs, precond, maxit=2000):
    """Iterations of preconditioned CG until each gap of GAPS is reached."""
    x = np.zeros_like(rhs)
    r = rhs.copy()
    z = precond(r)
    d = z.copy()
    rz = r @ z
    reached = {}
    for it in range(1, maxit + 1):
        hd = h @ d
        a = rz / (d @ hd)
        x += a * d
        r -= a * hd
        e = x - xs
        gap = 0.5 * e @ (h @ e)
        for g in GAPS:
            if gap <= g and g not in reached:
                reached[g] = it
        if len(reached) == len(GAPS):
            break
        z = precond(r)
        rz_new = r @ z
        d = z + (rz_new / rz) * d
        rz = rz_new
    return [reached.get(g) for g in GAPS]


def main():
    a = peer.arguments("conjugate gradients on the exact Hessian with four preconditioners").parse_args()
    peer.need("sklearn", "precond_check.py")
    data = peer.prepare(a)
    x_train, y_train = data.X_train, data.y_train
    clf, _ = peer.logistic_regression(1, "l2", 0, len(y_train), "lbfgs", 1e-4, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(x_train, y_train)
    n, d = x_train.shape
    k, p = len(clf.classes_), d + 1
    xa = np.hstack([x_train, np.ones((n, 1))])
    z = xa @ np.vstack([clf.coef_.T, clf.intercept_[None, :]])
    z -= z.max(axis=1, keepdims=True)
    prob = np.exp(z)
    prob /= prob.sum(axis=1, keepdims=True)
    h = hessian(xa, prob, k, np.tile(np.r_[np.ones(d), 0.0], k))
    xs = np.concatenate([np.r_[clf.coef_[c], clf.intercept_[c]] for c in range(k)])
    rhs = h @ xs

    def means(r):
        rr = r.reshape(k, p)
        m = rr.mean(axis=0, keepdims=True)
        return rr - m, m

    def factor(g):
        """Cholesky factor of g plus the ridge of the Go preconditioner."""
        tiny = 1e-10 * np.trace(g) / p
        g[np.diag_indices(d)] += 1.0
        g[d, d] += tiny
        return sl.cho_factor(g)

    start = factor(xa.T @ xa / k)

    def start_blocks(r):
        rc, m = means(r)
        zz = sl.cho_solve(start, rc.T).T
        zz -= zz.mean(axis=0, keepdims=True)
        return (zz + m).ravel()

    idx = np.arange(k)[:, None] * p + np.arange(p)[None, :]
    # The intercept's block is singular (its class mean is free): a ridge.
    pix = np.linalg.inv(np.stack([h[np.ix_(idx[:, j], idx[:, j])] + 1e-8 * np.eye(k) for j in range(p)]))

    def pixel_blocks(r):
        return np.einsum("jkl,jl->jk", pix, r.reshape(k, p).T).T.ravel()

    chol = []
    for c in range(k):
        w = prob[:, c] * (1 - prob[:, c])
        chol.append(factor(xa.T @ (w[:, None] * xa)))

    def class_blocks(r):
        rc, m = means(r)
        zz = np.stack([sl.cho_solve(chol[c], rc[c]) for c in range(k)])
        zz -= zz.mean(axis=0, keepdims=True)
        return (zz + m).ravel()

    print("iterations of conjugate gradients until the gap is", ", ".join(str(g) for g in GAPS))
    for name, pc in [("identity", lambda r: r), ("start blocks", start_blocks),
                     ("pixel blocks", pixel_blocks), ("class blocks", class_blocks)]:
        print(f"{name:13s}", pcg(h, rhs, xs, pc))


if __name__ == "__main__":
    main()
