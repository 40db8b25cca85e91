#!/usr/bin/python3
"""Regenerate the real training histories in testdata/real/.

    /usr/bin/python3 testdata/real/make_histories.py            # all runs
    /usr/bin/python3 testdata/real/make_histories.py digits-nan # some runs

Every history here was written by a real (small) PyTorch training loop on one
of scikit-learn's bundled data sets (load_digits, load_breast_cancer; nothing is
downloaded), CPU only, single-threaded, fixed seeds.  The loop follows Keras'
semantics:

  * `loss` and `accuracy` are the sample-weighted means over the epoch's
    training batches, computed in train mode (dropout active) while the
    weights change, exactly like Keras' running Mean metrics;
  * `val_loss` and `val_accuracy` are computed after the epoch, in eval mode,
    on the held-out split;
  * values are float32, written as Python floats (`repr(float(np.float32(x)))`,
    the 17-digit reprs of current tf.keras / Keras 3 files);
  * `lr` (tf.keras' name) is written as `str(np.float32(lr))` when a scheduler
    ran, as tf.keras' LearningRateScheduler logged it.

The files are written as Keras' CSVLogger writes them (header `epoch` + keys
sorted alphabetically, 0-based epoch, `\\r\\n`, `nan`/`inf`, `NA` for a missing
key, `append=True` without a second header), as `json.dump(history.history)`
(bare `NaN`) and as `pandas.DataFrame(history.history).to_csv(path)` (written
by hand in pandas' layout when pandas is not installed).

Each run asserts the property it is meant to show (and, for the healthy runs,
the absence of the bad patterns), using Python versions of the checks in
/work/shared/spec/checks.md, so a rerun that no longer shows it fails loudly.
Runs take a few seconds each; the whole script well under 3 minutes.
"""

import csv
import io
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

OUT = os.path.dirname(os.path.abspath(__file__))
LN10 = math.log(10.0)


# ----------------------------------------------------------------------------
# data

def digits_split(seed=0):
    d = load_digits()
    X = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
    return Xtr, ytr, Xva, yva


def breast_cancer_split(seed=0):
    d = load_breast_cancer()
    X = d.data.astype(np.float64)
    y = d.target.astype(np.float32)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr = ((Xtr - mu) / sd).astype(np.float32)
    Xva = ((Xva - mu) / sd).astype(np.float32)
    return Xtr, ytr, Xva, yva


def diabetes_split(seed=0):
    """load_diabetes: 442 patients, 10 standardized features; the target (a
    disease progression score, integers 25-346) divided by 50."""
    d = load_diabetes()
    X = d.data.astype(np.float64)
    y = (d.target / 50.0).astype(np.float32)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=seed)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr = ((Xtr - mu) / sd).astype(np.float32)
    Xva = ((Xva - mu) / sd).astype(np.float32)
    return Xtr, ytr, Xva, yva


def seed_all(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)


def mlp(sizes, dropout=0.0, act=nn.ReLU):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class SmallCNN(nn.Module):
    """A small CNN for the 8x8 digits (input: 64 features)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 16x4x4
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 32x2x2
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.head(self.conv(x.view(-1, 1, 8, 8)))


# ----------------------------------------------------------------------------
# the Keras-like training loop

def f32(x):
    return float(np.float32(x))


def multiclass_correct(out, y):
    return (out.argmax(1) == y).float().sum().item()


def binary_correct(out, y):
    return ((out.view(-1) > 0).float() == y).float().sum().item()


def fit(model, opt, loss_fn, data, epochs, batch_size, *, acc_name="accuracy",
        correct=multiclass_correct, sched=None, lr_key=None, seed=0, history=None):
    """Train like keras' model.fit(..., validation_data=...); return history.history.

    Key order is that of Keras' logs: loss, <metric>, val_loss, val_<metric>, lr.
    """
    Xtr, ytr, Xva, yva = (torch.as_tensor(a) for a in data)
    h = history if history is not None else {}
    keys = ["loss", acc_name, "val_loss", "val_" + acc_name] + ([lr_key] if lr_key else [])
    for k in keys:
        h.setdefault(k, [])
    g = torch.Generator().manual_seed(seed)
    n = len(Xtr)
    for _ in range(epochs):
        lr_now = opt.param_groups[0]["lr"]
        model.train()
        perm = torch.randperm(n, generator=g)
        tot_loss, tot_correct = 0.0, 0.0
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            xb, yb = Xtr[idx], ytr[idx]
            out = model(xb)
            loss = loss_fn(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot_loss += loss.item() * len(idx)
            with torch.no_grad():
                tot_correct += correct(out, yb)
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vloss = loss_fn(out, yva).item()
            vcorrect = correct(out, yva)
        h["loss"].append(f32(tot_loss / n))
        h[acc_name].append(f32(tot_correct / n))
        h["val_loss"].append(f32(vloss))
        h["val_" + acc_name].append(f32(vcorrect / len(Xva)))
        if lr_key:
            h[lr_key].append(lr_now)
        if sched is not None:
            sched.step()
    return h


# ----------------------------------------------------------------------------
# writers

def _csv_value(key, v):
    if v is None:
        return "NA"
    if key in ("lr", "learning_rate"):
        return str(np.float32(v))          # tf.keras logged the optimizer's float32 lr
    return repr(float(v))                  # nan, inf, -inf, 0.123...


def csvlogger_rows(h, first=True):
    """Lines of a Keras CSVLogger file for one training run."""
    keys = sorted(h)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # csv's excel dialect, as CSVLogger uses
    if first:
        w.writerow(["epoch"] + keys)
    n = max(len(v) for v in h.values())
    for e in range(n):
        w.writerow([e] + [_csv_value(k, h[k][e] if e < len(h[k]) else None) for k in keys])
    return buf.getvalue()


WRITTEN = {}  # CSVLogger file name -> its runs, for the rule table


def write_csvlogger(name, *runs):
    """One file; several runs = CSVLogger(append=True) restarts (no second header)."""
    WRITTEN[name] = runs
    keys = sorted(runs[0])
    for r in runs[1:]:
        assert sorted(r) == keys
    text = "".join(csvlogger_rows(r, first=(i == 0)) for i, r in enumerate(runs))
    with open(os.path.join(OUT, name), "w", newline="") as f:
        f.write(text)
    # read it back: one header, \r\n everywhere, epoch restarting at 0 per run,
    # every cell equal to the float32 value logged
    with open(os.path.join(OUT, name), newline="") as f:
        raw = f.read()
    lines = raw.split("\r\n")
    assert lines[-1] == "" and "\n" not in "".join(lines), name
    rows = list(csv.reader(lines[1:-1]))
    assert lines[0] == ",".join(["epoch"] + keys), name
    want = [(e, r) for r in runs for e in range(len(r["loss"]))]
    assert len(rows) == len(want), name
    for row, (e, r) in zip(rows, want):
        assert int(row[0]) == e, name
        for k, cell in zip(keys, row[1:]):
            v = float(cell)
            assert (math.isnan(v) and math.isnan(r[k][e])) or np.float32(v) == np.float32(r[k][e]), (name, e, k)


def write_json(name, h):
    """json.dump(history.history, f): bare NaN/Infinity when present."""
    with open(os.path.join(OUT, name), "w") as f:
        json.dump({k: [float(x) for x in v] for k, v in h.items()}, f)


def write_pandas_csv(name, h):
    """pd.DataFrame(history.history).to_csv(name)."""
    path = os.path.join(OUT, name)
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        pd.DataFrame(h).to_csv(path)
        return
    # pandas' layout: unnamed index column first, columns in dict order, NaN as
    # an empty cell, floats as repr, '\n' line ends (os.linesep on Linux).
    keys = list(h)
    n = len(h[keys[0]])
    lines = ["," + ",".join(keys)]
    for e in range(n):
        cells = [str(e)]
        for k in keys:
            v = float(h[k][e])
            cells.append("" if math.isnan(v) else repr(v))
        lines.append(",".join(cells))
    with open(path, "w", newline="") as f:
        f.write("\n".join(lines) + "\n")


# ----------------------------------------------------------------------------
# Python versions of the checks (checks.md), on whole series; epochs 1-based

def acc_of(h):
    return h["accuracy"] if "accuracy" in h else h["acc"]


def val_acc_of(h):
    return h["val_accuracy"] if "val_accuracy" in h else h["val_acc"]


def finite(xs):
    return all(math.isfinite(x) for x in xs)


def first_nonfinite(xs):
    for i, x in enumerate(xs):
        if not math.isfinite(x):
            return i + 1
    return None


def overfit_epochs(acc, val, k=2):
    """SCRAM: val_acc strictly falls over k epochs while acc strictly rises."""
    out = []
    for e in range(k, len(acc)):
        if all(val[j - 1] > val[j] and acc[j - 1] < acc[j] for j in range(e - k + 1, e + 1)):
            out.append(e + 1)
    return out


def ol_count(a, threshold=0.03):
    peaks, troughs = [], []
    for i in range(1, len(a) - 1):
        if a[i] - a[i - 1] >= 0 and a[i] - a[i + 1] >= 0:
            peaks.append(a[i])
        if a[i] - a[i - 1] <= 0 and a[i] - a[i + 1] <= 0:
            troughs.append(a[i])
    return sum(1 for k in range(min(len(peaks), len(troughs))) if peaks[k] - troughs[k] >= threshold)


def judged(n, jp=0.3):
    """Check epochs (1-based) at or after the judgment point."""
    return [e for e in range(1, n + 1) if e >= jp * n]


def ol_fires(a, threshold=0.03, rate=0.2, jp=0.3):
    """AUTOTRAINER ol_judge at every check epoch after the judgment point."""
    return [e for e in judged(len(a), jp) if ol_count(a[:e], threshold) >= rate * e]


def max_gain(a):
    return max((a[i + 1] - a[i] for i in range(len(a) - 1)), default=float("-inf"))


def slow_fires(acc, val, delta=0.01, jp=0.3):
    return [e for e in judged(len(acc), jp) if e >= 2
            and max_gain(acc[:e]) < delta and max_gain(val[:e]) < delta]


def not_converging_fires(acc, val, sat=0.7, jp=0.3):
    return [e for e in judged(len(acc), jp) if max(acc[:e]) < sat and max(val[:e]) < sat]


def longest_run(flags):
    best = cur = 0
    for f in flags:
        cur = cur + 1 if f else 0
        best = max(best, cur)
    return best


def val_better_run(h, ratio=0.8):
    return longest_run([v < ratio * t for t, v in zip(h["loss"], h["val_loss"])])


def epochs_after_best(xs):
    best = min(range(len(xs)), key=lambda i: xs[i])
    return best + 1, len(xs) - (best + 1)


# ----------------------------------------------------------------------------
# reporting

def summary(name, h):
    print(f"  {name}: {len(h['loss'])} epochs")
    for k, v in h.items():
        fv = [x for x in v if math.isfinite(x)]
        nf = len(v) - len(fv)
        rng = f"min {min(fv):.6g} (epoch {v.index(min(fv)) + 1})  max {max(fv):.6g} (epoch {v.index(max(fv)) + 1})" if fv else ""
        print(f"    {k:14s} first {v[0]:<10.6g} last {v[-1]:<10.6g} {rng}" + (f"  non-finite: {nf}" if nf else ""))


def check(cond, what):
    print(f"    {'ok ' if cond else 'FAIL'} {what}")
    if not cond:
        raise AssertionError(what)


def assert_healthy(h, min_val_acc=0.9):
    acc, val = acc_of(h), val_acc_of(h)
    check(finite(h["loss"]) and finite(h["val_loss"]), "no nan/inf loss")
    check(max(h["loss"] + h["val_loss"]) < 1e3 and min(h["loss"] + h["val_loss"]) >= 0,
          f"no exploding/negative loss (max {max(h['loss'] + h['val_loss']):.4g})")
    check(val[-1] >= min_val_acc, f"final val acc {val[-1]:.4f} >= {min_val_acc}")
    check(not overfit_epochs(acc, val), "no SCRAM overfitting pattern")
    check(not ol_fires(acc), f"ol_judge silent on acc (max count {max(ol_count(acc[:e]) for e in range(1, len(acc) + 1))})")
    check(not slow_fires(acc, val) and not not_converging_fires(acc, val), "no slow-convergence / not-converging")
    b, after = epochs_after_best(h["val_loss"])
    check(after <= max(3, 0.2 * len(acc)), f"val_loss best at epoch {b}, {after} epochs after it")
    check(val_better_run(h) < 5, f"val_loss < 0.8 x loss for at most {val_better_run(h)} consecutive epochs")
    r = rule_table(h, 2 if "acc" in h else 10)
    check(not r, f"none of the rules fires ({r})")


# ----------------------------------------------------------------------------
# the runs

RUNS = {}


def run(fn):
    RUNS[fn.__name__.replace("_", "-")] = fn
    return fn


def ce():
    return nn.CrossEntropyLoss()


@run
def digits_healthy():
    seed_all(1)
    data = digits_split()
    model = mlp([64, 128, 64, 10])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h = fit(model, opt, ce(), data, 30, 32, seed=1)
    summary("digits-healthy", h)
    assert_healthy(h, 0.95)
    check(h["loss"][0] <= 1.5 * LN10, f"first-epoch loss {h['loss'][0]:.3f} near ln(10)")
    write_csvlogger("digits-healthy.csv", h)
    write_json("digits-healthy.json", h)


@run
def breast_cancer_healthy():
    seed_all(2)
    data = breast_cancer_split()
    model = mlp([30, 32, 16, 1])
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    loss_fn = lambda out, y: nn.functional.binary_cross_entropy_with_logits(out.view(-1), y)
    h = fit(model, opt, loss_fn, data, 30, 16, acc_name="acc", correct=binary_correct, seed=2)
    summary("breast-cancer-healthy", h)
    assert_healthy(h, 0.95)
    write_csvlogger("breast-cancer-healthy.csv", h)


@run
def diabetes_regression_accuracy():
    """A regression compiled with metrics=["accuracy"]: for a mean squared
    error and one output, Keras resolves "accuracy" to binary_accuracy,
    mean(y_true == (y_pred > 0.5)), which a continuous target (here never 0 or
    1; 1.0 for the patients scored 50) almost never meets. Its mean squared
    error stays above 0.5 ln 2, so only the frozen accuracy tells."""
    seed_all(4)
    data = diabetes_split()
    model = mlp([10, 32, 16, 1])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = lambda out, y: nn.functional.mse_loss(out.view(-1), y)

    def binary_accuracy(out, y):
        return ((out.view(-1) > 0.5).float() == y).float().sum().item()
    h = fit(model, opt, loss_fn, data, 30, 16, correct=binary_accuracy, seed=4)
    summary("diabetes-regression-accuracy", h)
    check(len(set(h["accuracy"])) == 1 and h["accuracy"][0] <= 0.05,
          f"accuracy frozen near 0: {sorted(set(h['accuracy']))}")
    check(min(h["loss"]) <= 0.5 * h["loss"][0], f"loss {h['loss'][0]:.3f} -> {min(h['loss']):.3f}")
    check(min(h["loss"] + h["val_loss"]) > 0.5 * math.log(2), "loss above 0.5 ln 2 throughout")
    write_csvlogger("diabetes-regression-accuracy.csv", h)


@run
def digits_overfit():
    seed_all(3)
    Xtr, ytr, Xva, yva = digits_split()
    # 150 training samples, 30 of them (20%) with a wrong label: the network first
    # learns the clean majority (val_accuracy peaks), then memorizes the noise
    Xtr, ytr = Xtr[:150], ytr[:150].copy()
    rng = np.random.RandomState(3)
    noisy = rng.choice(150, 30, replace=False)
    ytr[noisy] = (ytr[noisy] + rng.randint(1, 10, 30)) % 10
    model = mlp([64, 512, 512, 10])
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    h = fit(model, opt, ce(), (Xtr, ytr, Xva, yva), 80, 16, seed=3)
    summary("digits-overfit", h)
    acc, val = acc_of(h), val_acc_of(h)
    ep = overfit_epochs(acc, val)
    check(bool(ep), f"SCRAM overfitting pattern at epochs {ep}")
    for e in ep[:3]:
        print(f"      e={e}: val_acc {val[e - 3]:.4f} > {val[e - 2]:.4f} > {val[e - 1]:.4f}, "
              f"acc {acc[e - 3]:.4f} < {acc[e - 2]:.4f} < {acc[e - 1]:.4f}")
    check(max(acc) == 1.0, "training accuracy reaches 1.0")
    bv = max(range(len(val)), key=lambda i: val[i])
    check(val[-1] < val[bv], f"val_acc peaks at epoch {bv + 1} ({val[bv]:.4f}), ends {val[-1]:.4f}")
    b, after = epochs_after_best(h["val_loss"])
    check(h["val_loss"][-1] > 1.2 * h["val_loss"][b - 1],
          f"val_loss rises from {h['val_loss'][b - 1]:.4f} (epoch {b}) to {h['val_loss'][-1]:.4f}")
    check(finite(h["loss"]), "no nan")
    write_csvlogger("digits-overfit.csv", h)


@run
def digits_nan():
    seed_all(6)
    data = digits_split()
    model = mlp([64, 128, 64, 10], act=nn.LeakyReLU)
    opt = torch.optim.SGD(model.parameters(), lr=1.5)
    h = fit(model, opt, ce(), data, 20, 32, seed=6)
    summary("digits-nan", h)
    e = first_nonfinite(h["loss"])
    check(e is not None and e >= 2, f"loss becomes nan at epoch {e} (finite before)")
    check(all(math.isnan(x) for x in h["loss"][e - 1:]), "and stays nan to the end")
    write_csvlogger("digits-nan.csv", h)
    write_json("digits-nan.json", h)
    write_pandas_csv("digits-nan.pandas.csv", h)


@run
def digits_exploding():
    seed_all(5)
    data = digits_split()
    model = mlp([64, 128, 64, 10], act=nn.Tanh)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    # ExponentialLR(gamma=1.3) where a decay (gamma < 1) was meant: the lr grows 30% per epoch
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=1.3)
    h = fit(model, opt, ce(), data, 30, 32, sched=sched, lr_key="lr", seed=5)
    summary("digits-exploding", h)
    check(finite(h["loss"]) and finite(h["val_loss"]), "no nan/inf")
    check(h["loss"][0] < 1e3, f"first-epoch loss {h['loss'][0]:.4g} < 1e3")
    check(max(h["loss"]) >= 1e3, f"max loss {max(h['loss']):.4g} >= 1e3")
    b = min(range(len(h["loss"])), key=lambda i: h["loss"][i])
    check(b > 0 and h["loss"][-1] == max(h["loss"]), f"loss falls to {h['loss'][b]:.4g} (epoch {b + 1}), then grows to the end")
    write_csvlogger("digits-exploding.csv", h)


@run
def negative_loss():
    seed_all(6)
    data = digits_split()
    # the model ends in nn.Softmax, and nn.NLLLoss (which expects log-probabilities)
    # is fed the probabilities: the "loss" is -p[y], between -1 and 0
    model = nn.Sequential(mlp([64, 128, 64, 10]), nn.Softmax(dim=1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h = fit(model, opt, nn.NLLLoss(), data, 20, 32, seed=6)
    summary("negative-loss", h)
    check(finite(h["loss"]) and finite(h["val_loss"]), "no nan/inf")
    check(max(h["loss"]) < 0 and max(h["val_loss"]) < 0,
          f"loss negative from epoch 1 on (max {max(h['loss']):.4g}, min {min(h['loss']):.4g})")
    check(val_acc_of(h)[-1] > 0.9, f"the model still learns: final val_accuracy {val_acc_of(h)[-1]:.4f}")
    write_csvlogger("negative-loss.csv", h)


@run
def digits_oscillating():
    seed_all(10)
    data = digits_split()
    model = mlp([64, 128, 64, 10], act=nn.LeakyReLU)
    opt = torch.optim.Adam(model.parameters(), lr=0.4)
    h = fit(model, opt, ce(), data, 40, 32, seed=10)
    summary("digits-oscillating", h)
    acc = acc_of(h)
    check(finite(h["loss"]), "no nan")
    f = ol_fires(acc)
    check(len(acc) in f, f"ol_judge fires on accuracy at {len(f)} check epochs, first {f[:1]}, "
          f"and at the end: count {ol_count(acc)} >= 0.2 * {len(acc)}")
    check(max(h["loss"] + h["val_loss"]) < 1e3, f"max loss {max(h['loss'] + h['val_loss']):.4g} < 1e3")
    write_csvlogger("digits-oscillating.csv", h)
    write_pandas_csv("digits-oscillating.pandas.csv", h)   # AUTOTRAINER saved its runs this way


@run
def digits_oscillating_explodes():
    # The same too-high learning rate with batch 16: the losses swing for the
    # whole run and the last epoch's val_loss blows past 1e3. The explosion is
    # the end of the oscillation, not a second problem (scram-check(1), CAUSES).
    seed_all(5)
    data = digits_split()
    model = mlp([64, 128, 64, 10], act=nn.LeakyReLU)
    opt = torch.optim.Adam(model.parameters(), lr=0.4)
    h = fit(model, opt, ce(), data, 30, 16, seed=5)
    summary("digits-oscillating-explodes", h)
    acc, vl = acc_of(h), h["val_loss"]
    check(finite(h["loss"]) and finite(vl), "no nan")
    f = ol_fires(acc)
    check(len(acc) in f, f"ol_judge fires on accuracy at {len(f)} check epochs, first {f[:1]}")
    check(vl[-1] >= 1e3 and max(vl[:-1]) < 1e3 and max(h["loss"]) < 1e3,
          f"only the last val_loss is >= 1e3: {vl[-1]:.4g}, before at most {max(vl[:-1]):.4g}")
    write_csvlogger("digits-oscillating-explodes.csv", h)


@run
def digits_not_converging():
    seed_all(8)
    data = digits_split()
    model = mlp([64, 1, 10])  # a one-unit bottleneck
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h = fit(model, opt, ce(), data, 40, 32, seed=8)
    summary("digits-not-converging", h)
    acc, val = acc_of(h), val_acc_of(h)
    check(max(acc) < 0.7 and max(val) < 0.7, f"max acc {max(acc):.4f}, max val_acc {max(val):.4f} < 0.7")
    check(h["loss"][-1] < h["loss"][0], "loss still decreases")
    write_csvlogger("digits-not-converging.csv", h)


@run
def digits_slow():
    seed_all(9)
    data = digits_split()
    model = mlp([64, 128, 64, 10])
    opt = torch.optim.SGD(model.parameters(), lr=3e-4)
    h = fit(model, opt, ce(), data, 60, 32, seed=9)
    summary("digits-slow", h)
    acc, val = acc_of(h), val_acc_of(h)
    check(max_gain(acc) < 0.01 and max_gain(val) < 0.01,
          f"largest epoch gain acc {max_gain(acc):.4f}, val_acc {max_gain(val):.4f} < 0.01")
    check(val[-1] > val[0] and h["loss"][-1] < h["loss"][0], "but it does learn")
    write_csvlogger("digits-slow.csv", h)


@run
def digits_dead():
    seed_all(10)
    data = digits_split()
    model = mlp([64, 128, 64, 10])
    with torch.no_grad():
        model[0].bias.fill_(-10.0)   # every first-layer ReLU is dead from the start
        model[-1].bias.zero_()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h = fit(model, opt, ce(), data, 30, 32, seed=10)
    summary("digits-dead", h)
    for k in ("loss", "val_loss"):
        x = h[k]
        check(min(x) >= x[0] * 0.99, f"{k} never falls 1% below its first value ({x[0]:.6f} -> min {min(x):.6f})")
    write_csvlogger("digits-dead.csv", h)


@run
def digits_diverging():
    seed_all(11)
    data = digits_split()
    model = mlp([64, 128, 64, 10])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    # a StepLR written with gamma=10 instead of 0.1: the lr grows tenfold every 10 epochs
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=10.0)
    h = fit(model, opt, ce(), data, 40, 32, sched=sched, lr_key="lr", seed=11)
    summary("digits-diverging", h)
    x = h["loss"]
    check(finite(x) and finite(h["val_loss"]), "no nan/inf")
    b = min(range(len(x)), key=lambda i: x[i])
    check(b > 0 and max(x[b:]) >= 2 * x[b], f"loss min {x[b]:.4g} at epoch {b + 1}, later max {max(x[b:]):.4g}")
    check(max(x) < 1e3 and x[-1] > 10 * x[b], f"not exploding (max {max(x):.4g}); ends at {x[-1]:.4g}")
    write_csvlogger("digits-diverging.csv", h)


@run
def digits_plateau():
    seed_all(12)
    data = digits_split()
    model = SmallCNN()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    h = fit(model, opt, ce(), data, 100, 32, seed=12)
    summary("digits-plateau", h)
    b, after = epochs_after_best(h["val_loss"])
    check(after >= 0.5 * len(h["val_loss"]), f"val_loss best at epoch {b}, then {after} more epochs")
    tail = h["val_loss"][b:]
    check(max(tail) < 2 * min(h["val_loss"]), f"and stays on a plateau: {min(tail):.4f}..{max(tail):.4f} after it")
    check(min(val_acc_of(h)[b:]) > 0.95, f"val_accuracy stays above 0.95 after it (min {min(val_acc_of(h)[b:]):.4f})")
    write_csvlogger("digits-plateau.csv", h)


@run
def digits_bad_init():
    seed_all(13)
    data = digits_split()
    model = mlp([64, 128, 64, 10])
    with torch.no_grad():   # nn.init.normal_(w): std 1.0 (Keras RandomNormal(stddev=1.0))
        for p in model.parameters():
            if p.dim() == 2:
                nn.init.normal_(p)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h = fit(model, opt, ce(), data, 30, 32, seed=13)
    summary("digits-bad-init", h)
    check(h["loss"][0] > 4 * LN10, f"first-epoch loss {h['loss'][0]:.4g} > 4 ln(10) = {4 * LN10:.3f}")
    check(h["loss"][0] < 1e3 and finite(h["loss"]), "not exploding, no nan")
    write_csvlogger("digits-bad-init.csv", h)


@run
def digits_dropout():
    seed_all(14)
    data = digits_split()
    model = mlp([64, 256, 256, 10], dropout=0.7)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h = fit(model, opt, ce(), data, 40, 32, seed=14)
    summary("digits-dropout", h)
    r = val_better_run(h)
    check(r >= 5, f"val_loss < 0.8 x loss for {r} consecutive epochs")
    write_csvlogger("digits-dropout.csv", h)


def shuffled_digits():
    Xtr, ytr, Xva, yva = digits_split()
    rng = np.random.RandomState(15)
    return Xtr, rng.permutation(ytr), Xva, rng.permutation(yva)


@run
def digits_shuffled_labels():
    # a regularized net (dropout 0.5, L2 1e-3) on shuffled labels: it cannot
    # memorize them in 20 epochs, so both accuracies stay at chance
    seed_all(15)
    model = mlp([64, 128, 64, 10], dropout=0.5)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-3)
    h = fit(model, opt, ce(), shuffled_digits(), 20, 32, seed=15)
    summary("digits-shuffled-labels", h)
    acc, val = acc_of(h), val_acc_of(h)
    check(max(acc + val) <= 0.15, f"acc and val_acc never above 0.1 + 0.05 (max acc {max(acc):.4f}, val_acc {max(val):.4f})")
    write_csvlogger("digits-shuffled-labels.csv", h)


@run
def digits_shuffled_memorize():
    # the same shuffled labels, a bigger net without regularization for 40
    # epochs: it memorizes the training labels while val_accuracy stays at chance
    seed_all(15)
    model = mlp([64, 128, 64, 10])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h = fit(model, opt, ce(), shuffled_digits(), 40, 32, seed=15)
    summary("digits-shuffled-memorize", h)
    acc, val = acc_of(h), val_acc_of(h)
    check(all(abs(v - 0.1) <= 0.05 for v in val), f"val_acc within 0.1 +- 0.05 (range {min(val):.4f}..{max(val):.4f})")
    check(max(acc) > 0.3, f"while training accuracy climbs to {max(acc):.4f} (memorization)")
    write_csvlogger("digits-shuffled-memorize.csv", h)


@run
def digits_restarted():
    data = digits_split()
    seed_all(16)
    model = mlp([64, 128, 64, 10])
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    h1 = fit(model, opt, ce(), data, 8, 32, seed=16)   # stopped by hand after 8 epochs
    seed_all(19)
    model = mlp([64, 128, 64, 10])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    h2 = fit(model, opt, ce(), data, 25, 32, seed=19)  # restarted from scratch, lower lr
    summary("digits-restarted (run 1)", h1)
    summary("digits-restarted (run 2)", h2)
    for i, h in enumerate((h1, h2)):
        r = rule_table(h, 10)
        check(not r, f"run {i + 1}: no rule fires ({r})")
    write_csvlogger("digits-restarted.csv", h1, h2)


def patience_ran_out(a, patience):
    best, best_e = None, 0
    for e, x in enumerate(a):
        if math.isfinite(x) and (best is None or x < best):
            best, best_e = x, e
        if best is not None and e - best_e > patience:
            return True
    return False


def diverged(a, i):
    """diverging-loss's condition at index i (0-based), rules/diverging-loss.rule."""
    if not finite(a[:i + 1]):
        return False
    m = min(a[:i + 1])
    return m > 0 and a[i] >= 2 * m and a[i] - m >= 0.25 * (a[0] - m)


def rule_table(h, classes):
    """Which rules this script's Python versions of the checks fire on one run.

    nan-loss .. slow-convergence follow checks.md literally (judgment point
    0.3 where it has one), overfitting as SCRAM wrote it (no margins); the
    others follow the defaults written in rules/*.rule (simplified):
      overfitting-margins  SCRAM's pattern at e, val_acc's best >= 3 epochs back
                           and val_acc[e] >= 0.02 below it (rules/overfitting.rule)
      oscillating-val-acc  ol_judge on val_acc, threshold 0.02, rate 0.2, jp 0.3
      diverging-loss       2 epochs running: loss >= 2 m and loss - m >= 0.25 (loss[1] - m),
                           m = min so far > 0
      loss-not-decreasing  after 10 epochs, min(loss) >= loss[1] - 0.01 |loss[1]|
      early-stopping       at some e, val_loss last improved (strictly) more than 5 epochs
                           before e (Keras EarlyStopping, patience 5, min_delta 0)
      initial-loss         loss[1] > 3 ln(C)  (epoch-1 mean, C = classes)
      val-better-than-train val_loss < 0.8 x loss for >= 5 consecutive epochs
      stuck-at-chance      at some e >= 0.3 N: max(acc[1..e], val_acc[1..e]) <= 1/C + 0.05
    """
    acc, val = acc_of(h), val_acc_of(h)
    loss, vloss = h["loss"], h["val_loss"]
    fl = [x for x in loss + vloss if math.isfinite(x)]
    n = len(loss)
    b, after = epochs_after_best([x if math.isfinite(x) else float("inf") for x in vloss])
    out = {
        "nan-loss": not (finite(loss) and finite(vloss)),
        "exploding-loss": bool(fl) and max(fl) >= 1e3,
        "negative-loss": bool(fl) and min(fl) < 0,
        "overfitting": bool(overfit_epochs(acc, val)),
        "overfitting-margins": any(
            max(val[:e]) - val[e - 1] >= 0.02 and val.index(max(val[:e])) + 1 <= e - 3
            for e in overfit_epochs(acc, val)),
        "oscillating-loss": bool(ol_fires(acc)),
        "oscillating-val-acc": bool(ol_fires(val, threshold=0.02)),
        "not-converging": bool(not_converging_fires(acc, val)),
        "slow-convergence": bool(slow_fires(acc, val)),
        "diverging-loss": any(all(diverged(loss, i) for i in (e - 1, e)) for e in range(1, n)),
        "loss-not-decreasing": any(
            min(loss[:e]) >= loss[0] - 0.01 * abs(loss[0]) for e in range(10, n + 1) if finite(loss[:e])),
        "early-stopping": patience_ran_out(vloss, 5),
        "initial-loss": math.isfinite(loss[0]) and loss[0] > 3 * math.log(classes),
        "val-better-than-train": val_better_run(h) >= 5,
        "stuck-at-chance": any(max(acc[:e] + val[:e]) <= 1.0 / classes + 0.05 for e in judged(n)),
    }
    return [k for k, v in out.items() if v]


def main(argv):
    names = argv or list(RUNS)
    for n in names:
        if n not in RUNS:
            sys.exit(f"unknown run {n!r}; runs: {' '.join(RUNS)}")
    for n in names:
        print(n)
        RUNS[n]()
    print("\nrules fired by this script's Python checks (see rule_table):")
    bad = []
    for name, runs in WRITTEN.items():
        classes = 2 if "breast-cancer" in name else 10
        for i, h in enumerate(runs):
            seg = f" (run {i + 1})" if len(runs) > 1 else ""
            got = rule_table(h, classes)
            want = EXPECTED[name][i] if len(runs) > 1 else EXPECTED[name]
            print(f"  {name}{seg}: {', '.join(got) or '-'}" + ("" if set(got) == set(want) else f"   EXPECTED {want}"))
            if set(got) != set(want):
                bad.append(name + seg)
    if bad:
        sys.exit(f"rule table changed for: {', '.join(bad)} (update EXPECTED and README.md)")


# What rule_table gives on each file (kept in step with README.md).
EXPECTED = {
    "digits-healthy.csv": [],
    "breast-cancer-healthy.csv": [],
    "diabetes-regression-accuracy.csv": ["not-converging", "slow-convergence", "early-stopping", "stuck-at-chance"],
    "digits-overfit.csv": ["overfitting", "overfitting-margins", "oscillating-val-acc", "early-stopping"],
    "digits-nan.csv": ["nan-loss", "not-converging", "early-stopping"],
    "digits-exploding.csv": ["exploding-loss", "oscillating-val-acc", "diverging-loss", "early-stopping"],
    "negative-loss.csv": ["negative-loss", "overfitting", "val-better-than-train"],
    "digits-oscillating.csv": ["oscillating-loss", "oscillating-val-acc", "overfitting", "diverging-loss",
                               "early-stopping", "initial-loss"],
    "digits-oscillating-explodes.csv": ["exploding-loss", "overfitting", "overfitting-margins", "oscillating-loss",
                                        "oscillating-val-acc", "diverging-loss", "early-stopping", "initial-loss"],
    "digits-not-converging.csv": ["not-converging", "overfitting"],
    "digits-slow.csv": ["slow-convergence", "not-converging", "loss-not-decreasing", "stuck-at-chance"],
    "digits-dead.csv": ["loss-not-decreasing", "not-converging", "stuck-at-chance", "early-stopping"],
    "digits-diverging.csv": ["diverging-loss", "oscillating-val-acc", "early-stopping"],
    "digits-plateau.csv": ["early-stopping", "overfitting"],
    "digits-bad-init.csv": ["initial-loss"],
    "digits-dropout.csv": ["val-better-than-train"],
    "digits-shuffled-labels.csv": ["stuck-at-chance", "overfitting", "not-converging", "loss-not-decreasing",
                                   "early-stopping"],
    "digits-shuffled-memorize.csv": ["overfitting", "overfitting-margins", "oscillating-val-acc", "not-converging",
                                     "early-stopping"],
    "digits-restarted.csv": [[], []],
}


if __name__ == "__main__":
    main(sys.argv[1:])
