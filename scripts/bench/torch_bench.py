#!/usr/bin/env python3
"""PyTorch's side of the time-to-target row of `scripts/bench/compare.sh`.

Trains the notebook's softmax model with torch: a linear layer 784 -> 10 with
bias, zero initial weights, cross-entropy (torch.nn.functional.cross_entropy,
the batch mean), the L2 penalty of the Go bench as weight decay on the weights
(1/(n C) per sample; C=1e5 makes it negligible, as in the notebook), and
torch.optim.SGD with momentum. The learning rate decays linearly over the
planned epochs, from lr to lr/steps, as pkg/softmax's sgd solver does
(-schedule constant keeps it). Float32, torch's own dtype, on 2 threads
(torch.set_num_threads).

The data are the Go bench's: the same IDX files, numpy's RandomState(0)
permutation, train_test_split rows and StandardScaler (peer.prepare), turned
into float32 tensors before the clock starts. Each epoch visits the training
rows in a new order (torch.randperm, seeded by -seed).

The test accuracy is evaluated at the end of every epoch, with the clock
stopped: time_to_target_s is the training time (evaluation excluded) until
the first epoch end at which it reaches -target, and target_epochs that
epoch; both are absent when it never does. fit_s is the training time of all
-epochs. The Go bench measures its sgd the same way (-target; see
scripts/bench/README.md).

The defaults are the best settings of the search in scripts/bench/README.md
(-search runs it again: one JSON line per setting, then the best one).

    .venv-bench/bin/python scripts/bench/torch_bench.py [-target 0.92] [-epochs 2] ...

Exits with status 3 (peer.MISSING) and one line when torch is not installed.
"""

import itertools
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer  # noqa: E402

SCRIPT = "torch_bench.py"

# The search grid of -search (momentum 0.9). A constant rate is run once for
# the longest plan (its shorter plans are prefixes of it); a linear decay,
# which depends on the plan, once per number of epochs.
GRID_BATCH = (128, 256, 512, 1024, 2048)
GRID_LR = (0.02, 0.05, 0.1, 0.2, 0.5)
GRID_EPOCHS = (1, 2, 3, 4, 5, 6)


def arguments():
    p = peer.arguments("PyTorch's softmax regression with SGD: time to a test accuracy")
    p.add_argument("-target", type=float, default=0.92, help="test accuracy to reach")
    p.add_argument("-epochs", type=int, default=4)
    p.add_argument("-batch-size", type=int, default=512)
    p.add_argument("-learning-rate", type=float, default=0.1)
    p.add_argument("-momentum", type=float, default=0.9)
    p.add_argument("-schedule", choices=("linear", "constant"), default="linear")
    p.add_argument("-C", type=float, default=1e5, help="inverse L2 strength, as the Go bench's")
    p.add_argument("-seed", type=int, default=0)
    p.add_argument("-threads", type=int, default=2)
    p.add_argument("-search", action="store_true", help="run the search grid instead")
    return p


def tensors(torch, data):
    """The prepared split as float32/int64 tensors."""
    return (torch.from_numpy(data.X_train).float(), torch.from_numpy(data.y_train).long(),
            torch.from_numpy(data.X_test).float(), torch.from_numpy(data.y_test).long())


def train(torch, xy, s):
    """Trains with the settings s (batch_size, learning_rate, momentum,
    epochs, schedule, C, seed) and returns the result fields."""
    F = torch.nn.functional
    x, y, xt, yt = xy
    n, d = x.shape
    torch.manual_seed(s.seed)
    model = torch.nn.Linear(d, 10)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    opt = torch.optim.SGD([
        {"params": [model.weight], "weight_decay": 1 / (n * s.C)},
        {"params": [model.bias], "weight_decay": 0.0},
    ], lr=s.learning_rate, momentum=s.momentum)
    per_epoch = (n + s.batch_size - 1) // s.batch_size
    steps = s.epochs * per_epoch
    lr_at = (lambda t: 1 - t / steps) if s.schedule == "linear" else (lambda t: 1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    res = {"epoch_scores": []}
    fit = 0.0
    for epoch in range(1, s.epochs + 1):
        t0 = time.perf_counter()
        order = torch.randperm(n)
        for lo in range(0, n, s.batch_size):
            idx = order[lo:lo + s.batch_size]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        fit += time.perf_counter() - t0
        with torch.no_grad():
            score = (model(xt).argmax(dim=1) == yt).float().mean().item()
        res["epoch_scores"].append(round(score, 4))
        if score >= s.target and "time_to_target_s" not in res:
            res["time_to_target_s"] = round(fit, 3)
            res["target_epochs"] = epoch
    res.update(fit_s=round(fit, 3), n_iter=s.epochs, test_score=score,
               sparsity_pct=round(float((model.weight == 0).float().mean()) * 100, 4))
    return res


def blas(torch):
    """torch's BLAS (built in, not numpy's) and its threads."""
    m = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    n = torch.get_num_threads()
    return "%s (torch), %d thread%s" % (m.group(1) if m else "unknown", n, "" if n == 1 else "s")


def search(torch, xy, a):
    """Runs the grid and prints a line per setting, then the one fastest to
    the target."""
    import json

    best = None
    plans = [(ep, "linear") for ep in GRID_EPOCHS] + [(max(GRID_EPOCHS), "constant")]
    for bs, lr, (ep, sch) in itertools.product(GRID_BATCH, GRID_LR, plans):
        s = vars(a) | dict(batch_size=bs, learning_rate=lr, epochs=ep, schedule=sch)
        r = train(torch, xy, type(a)(**s))
        line = {k: s[k] for k in ("batch_size", "learning_rate", "epochs", "schedule")} | r
        print(json.dumps(line), flush=True)
        if "time_to_target_s" in r and (best is None or r["time_to_target_s"] < best[0]):
            best = (r["time_to_target_s"], line)
    print(json.dumps({"best": best[1] if best else None}))


def main():
    a = arguments().parse_args()
    torch = peer.need("torch", SCRIPT)
    peer.need("sklearn", SCRIPT)
    torch.set_num_threads(a.threads)
    data = peer.prepare(a)
    xy = tensors(torch, data)
    data.load_s = round(time.perf_counter() - data.t0, 3)
    if a.search:
        search(torch, xy, a)
        return
    res = {"impl": "torch", "version": torch.__version__, "solver": "sgd", "penalty": "l2",
           "C": a.C, "train_size": a.train_size, "target": a.target,
           "batch_size": a.batch_size, "learning_rate": a.learning_rate, "momentum": a.momentum,
           "schedule": a.schedule, "threads": torch.get_num_threads(), "blas": blas(torch)}
    res.update(train(torch, xy, a))
    peer.emit(res, data)


if __name__ == "__main__":
    main()
