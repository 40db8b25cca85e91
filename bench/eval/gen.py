#!/usr/bin/python3
"""Generate the labeled development corpus of `make eval` (issue 11, item 1).

    /usr/bin/python3 bench/eval/gen.py [--out DIR] [--jobs N] [--only SUBSTR]
    /usr/bin/python3 bench/eval/gen.py --relabel    # labels.tsv from measures.json, no training

Every run TRAINS a small PyTorch model (CPU, one thread per process, fixed seeds,
deterministic algorithms) on a scikit-learn data set (bundled: digits, iris, wine,
breast_cancer; generated: make_classification, make_moons, make_circles,
make_regression; nothing is downloaded).  Faults are injected through the set-up
only (learning rate, schedule, initialization, input scaling, data size, labels);
the labels are then MEASURED from each run's numbers by labelrules.py (LABELS.md).

Output (default bench/eval/corpus/):
    epoch/NAME.csv                 Keras CSVLogger file (some NAME.json: json.dump(history.history))
    stats/NAME/history.csv         the same, with
    stats/NAME/stats.jsonl         batch statistics by contrib/pytorch/scram_stats.py
    hf/NAME.trainer_state.json     a Hugging Face TrainerState.save_to_json file (step-logged)
    labels.tsv                     file, class, labels, tolerated, onset, ... evidence
    measures.json                  what the labels were computed from
Runs are independent (each seeds itself), so --jobs does not change any file.
"""
import argparse
import csv
import io
import json
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "contrib", "pytorch"))
import labelrules  # noqa: E402

# ----------------------------------------------------------------------------
# run specifications (deterministic: one fixed RNG)

DS_VAL = {  # default validation size of each data set
    "digits": 450, "iris": 38, "wine": 45, "breast_cancer": 143,
    "clf": 500, "moons": 200, "circles": 200, "reg": 300,
}
DS_HIDDEN = {"digits": [128, 64], "iris": [32], "wine": [32], "breast_cancer": [32, 16],
             "clf": [128, 64], "moons": [64, 64], "circles": [64, 64], "reg": [64, 32]}


def ref_spec(ds, hf=False):
    """The healthy reference run of a data set (the slow rule compares with it)."""
    small = ds in ("iris", "wine")
    s = dict(name=("hf-ref-" if hf else "ref-") + ds, kind="hf" if hf else "keras",
             data=dict(ds=ds, val=DS_VAL[ds]), model=dict(arch="mlp", hidden=DS_HIDDEN[ds]),
             opt=dict(name="adam", lr=1e-2 if small else 1e-3), batch=16 if small else 32,
             epochs=8 if hf else 40, seed=101, injected="healthy", stats=False)
    if ds == "reg":
        s["loss"] = "mse"
    if hf:
        s["opt"] = dict(name="adamw", lr=2e-3, wd=0.0)
        s["hf"] = dict(logging_steps=10, eval="epoch")
    return s


def build_specs():
    R = random.Random(20251201)
    specs = []
    cls_ds = ["digits", "iris", "wine", "breast_cancer", "clf", "moons", "circles"]

    def add(name, **kw):
        kw.setdefault("kind", "keras")
        kw.setdefault("stats", False)
        kw.setdefault("seed", R.randrange(1, 10000))
        kw["name"] = name
        specs.append(kw)

    for ds in cls_ds + ["reg"]:
        specs.append(ref_spec(ds))
    for ds in ("digits", "clf"):
        specs.append(ref_spec(ds, hf=True))

    # ---- healthy (epoch-logged): several data sets, optimizers, batch sizes, validation sizes
    healthy_opts = {
        "big": [dict(name="adam", lr=1e-3), dict(name="adamw", lr=1e-3, wd=1e-2),
                dict(name="sgd", lr=0.05, mom=0.9), dict(name="adam", lr=3e-3)],
        "small": [dict(name="adam", lr=1e-2), dict(name="adamw", lr=5e-3, wd=1e-2),
                  dict(name="sgd", lr=0.1, mom=0.9), dict(name="adam", lr=2e-2)],
    }
    val_choices = {"digits": [100, 200, 360, 450, 900], "iris": [30, 38, 45], "wine": [36, 45, 54],
                   "breast_cancer": [57, 100, 143, 200], "clf": [100, 300, 500, 1000],
                   "moons": [50, 100, 300], "circles": [60, 150, 300], "reg": [100, 300, 500]}
    i = 0
    for rep in range(8):
        for ds in cls_ds + ["reg"]:
            small = ds in ("iris", "wine")
            opt = R.choice(healthy_opts["small" if small else "big"])
            bs = R.choice([8, 16] if small else [32, 64, 64, 128])
            if not small and bs >= 64 and opt["name"] != "sgd":
                opt = dict(opt, lr=opt["lr"] * 2)
            model = dict(arch="mlp", hidden=DS_HIDDEN[ds], act=R.choice(["relu", "relu", "tanh", "gelu"]))
            if ds == "digits" and rep in (2, 5):
                model = dict(arch="cnn")
                bs = 64
            if R.random() < 0.2:
                model["dropout"] = 0.2
            add("healthy-%s-%d" % (ds, rep), data=dict(ds=ds, val=R.choice(val_choices[ds])),
                model=model, opt=opt, batch=bs, epochs=R.choice([15, 20, 25, 30]),
                loss="mse" if ds == "reg" else ("bce" if ds in ("breast_cancer", "moons") and R.random() < 0.5 else "ce"),
                acc_key=R.choice(["accuracy", "accuracy", "acc"]), fmt="json" if i % 9 == 4 else "csv",
                injected="healthy")
            i += 1
    # healthy with batch statistics (the batch rules must stay quiet on them)
    for k, ds in enumerate(["digits", "digits", "clf", "breast_cancer", "moons", "wine", "reg", "clf", "digits", "circles"]):
        small = ds in ("iris", "wine")
        add("healthy-stats-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds], act=R.choice(["relu", "tanh"])),
            opt=R.choice(healthy_opts["small" if small else "big"]), batch=16 if small else 32,
            epochs=R.choice([15, 20, 25]), loss="mse" if ds == "reg" else "ce", stats=True, injected="healthy")

    # ---- nan: far too high learning rates; a log of negative predictions
    for k, (ds, lr, act) in enumerate([("digits", 1.5, "leaky"), ("digits", 2.5, "leaky"), ("digits", 4.0, "relu"),
                                       ("clf", 3.0, "leaky"), ("clf", 8.0, "relu"), ("breast_cancer", 5.0, "leaky"),
                                       ("moons", 20.0, "relu"), ("wine", 10.0, "leaky"), ("digits", 1.2, "tanh")]):
        add("nan-highlr-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds], act=act), opt=dict(name="sgd", lr=lr, mom=0.9 if k % 2 else 0.0),
            batch=32, epochs=20, loss="ce", injected="nan")
    for k, lr in enumerate([0.3, 0.5, 1.0]):
        add("nan-reg-highlr-%d" % k, data=dict(ds="reg", val=R.choice(val_choices["reg"])),
            model=dict(arch="mlp", hidden=[64, 32]), opt=dict(name="sgd", lr=lr, mom=0.9), batch=64, epochs=15,
            loss="mse", injected="nan")
    for k, (ds, g) in enumerate([("digits", 2.0), ("clf", 2.0), ("moons", 2.2)]):
        add("nan-growlr-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds], act="leaky"), opt=dict(name="sgd", lr=0.01, mom=0.9), sched=dict(exp=g),
            batch=32, epochs=25, loss="ce", log_lr=True, injected="nan")
    for k, (lr, bias) in enumerate([(3e-3, 1.0), (1e-2, 1.0), (3e-2, 2.0)]):
        add("nan-logneg-%d" % k, data=dict(ds="reg", val=R.choice(val_choices["reg"]), positive=True),
            model=dict(arch="mlp", hidden=[64, 32], out_bias=bias), opt=dict(name="adam", lr=lr), batch=32,
            epochs=25, loss="logmse", injected="nan")

    # ---- overfit: tiny training set, big network, many epochs (some label noise)
    ov = [("digits", 150, 0.2), ("digits", 120, 0.0), ("digits", 200, 0.1), ("digits", 100, 0.3),
          ("clf", 150, 0.0), ("clf", 100, 0.1), ("clf", 200, 0.2), ("breast_cancer", 60, 0.1),
          ("breast_cancer", 40, 0.0), ("wine", 40, 0.15), ("moons", 60, 0.0), ("moons", 40, 0.1),
          ("circles", 60, 0.1), ("reg", 50, 0.0), ("reg", 80, 0.0), ("iris", 30, 0.2),
          ("digits", 150, 0.2), ("clf", 120, 0.1)]
    for k, (ds, ntr, noise) in enumerate(ov):
        add("overfit-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds]), n_train=ntr, label_noise=noise,
                                                 reg_noise=40.0 if ds == "reg" else None),
            model=dict(arch="mlp", hidden=[512, 512] if ds != "iris" else [256, 256]),
            opt=R.choice([dict(name="adam", lr=5e-4), dict(name="adam", lr=1e-3), dict(name="adamw", lr=1e-3, wd=0.0)]),
            batch=16, epochs=R.choice([60, 80, 100]), loss="mse" if ds == "reg" else "ce", injected="overfit")

    # ---- unnormalized inputs (with batch statistics)
    for k, (ds, opt) in enumerate([("digits", dict(name="sgd", lr=1e-4, mom=0.9)), ("digits", dict(name="adam", lr=1e-3)),
                                   ("breast_cancer", dict(name="adam", lr=1e-3)), ("breast_cancer", dict(name="sgd", lr=1e-5, mom=0.9)),
                                   ("wine", dict(name="adam", lr=1e-3)), ("wine", dict(name="sgd", lr=1e-5, mom=0.9)),
                                   ("clf", dict(name="adam", lr=1e-3)), ("clf", dict(name="sgd", lr=1e-6, mom=0.9)),
                                   ("reg", dict(name="adam", lr=1e-3)), ("digits", dict(name="sgd", lr=1e-3, mom=0.0)),
                                   ("moons", dict(name="adam", lr=1e-3)), ("circles", dict(name="sgd", lr=1e-4, mom=0.9))]):
        add("unnorm-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds]), raw=True),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds]), opt=opt, batch=32, epochs=R.choice([20, 25, 30]),
            loss="mse" if ds == "reg" else "ce", stats=True, injected="unnormalized")

    # ---- oscillation: learning rate too high but (mostly) not diverging
    osc = [("digits", dict(name="adam", lr=0.4)), ("digits", dict(name="adam", lr=0.2)), ("digits", dict(name="adam", lr=0.1)),
           ("clf", dict(name="adam", lr=0.3)), ("clf", dict(name="adam", lr=0.1)), ("moons", dict(name="adam", lr=0.5)),
           ("moons", dict(name="adam", lr=0.3)), ("breast_cancer", dict(name="adam", lr=0.5)),
           ("breast_cancer", dict(name="adam", lr=0.2)), ("circles", dict(name="adam", lr=0.3)),
           ("wine", dict(name="adam", lr=0.3)), ("digits", dict(name="adam", lr=0.3)),
           ("reg", dict(name="adam", lr=0.1)), ("clf", dict(name="adam", lr=0.2)),
           ("digits", dict(name="adam", lr=0.15)), ("clf", dict(name="adamw", lr=0.4, wd=1e-2)),
           ("digits", dict(name="sgd", lr=0.3, mom=0.9)), ("reg", dict(name="adam", lr=0.3)),
           ("iris", dict(name="adam", lr=0.3)), ("digits", dict(name="adam", lr=0.25))]
    for k, (ds, opt) in enumerate(osc):
        add("osc-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds], act="leaky"), opt=opt, batch=R.choice([16, 32, 64]), epochs=R.choice([20, 25, 30]),
            loss="mse" if ds == "reg" else "ce", injected="oscillation")

    # small CNNs on the 8x8 digits: too high and too low a learning rate
    add("osc-digits-cnn", data=dict(ds="digits", val=360), model=dict(arch="cnn"),
        opt=dict(name="adam", lr=0.05), batch=64, epochs=20, injected="oscillation")
    add("slow-digits-cnn", data=dict(ds="digits", val=360), model=dict(arch="cnn"),
        opt=dict(name="sgd", lr=1e-3), batch=64, epochs=20, injected="slow")

    # ---- slow convergence: tiny learning rates
    slow = [("digits", dict(name="sgd", lr=3e-4)), ("digits", dict(name="sgd", lr=1e-3)), ("digits", dict(name="adam", lr=1e-5)),
            ("clf", dict(name="sgd", lr=1e-3)), ("clf", dict(name="adam", lr=3e-6)), ("breast_cancer", dict(name="sgd", lr=1e-3)),
            ("wine", dict(name="sgd", lr=1e-3)), ("iris", dict(name="sgd", lr=1e-3)), ("moons", dict(name="sgd", lr=1e-3)),
            ("circles", dict(name="adam", lr=1e-5)), ("reg", dict(name="sgd", lr=1e-5)), ("digits", dict(name="sgd", lr=2e-3))]
    for k, (ds, opt) in enumerate(slow):
        add("slow-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds]), opt=opt, batch=64, epochs=R.choice([20, 30, 40]),
            loss="mse" if ds == "reg" else "ce", injected="slow")

    # ---- vanishing gradients: deep sigmoid networks (batch statistics)
    for k, (ds, depth, lr) in enumerate([("digits", 10, 0.1), ("digits", 8, 0.05), ("clf", 10, 0.1), ("clf", 12, 0.1),
                                         ("breast_cancer", 9, 0.1), ("moons", 10, 0.1), ("wine", 8, 0.1), ("reg", 10, 0.01)]):
        add("vanish-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=[32] * depth, act="sigmoid"), opt=dict(name="sgd", lr=lr), batch=32,
            epochs=R.choice([20, 30]), loss="mse" if ds == "reg" else "ce", stats=True, injected="vanishing")

    # ---- exploding gradients: kernels scaled up layer by layer (batch statistics)
    for k, (ds, depth, fac, opt) in enumerate([("digits", 6, 3.0, dict(name="adam", lr=1e-4)), ("digits", 5, 4.0, dict(name="sgd", lr=1e-6)),
                                               ("clf", 6, 3.0, dict(name="adam", lr=1e-4)), ("clf", 7, 2.5, dict(name="adam", lr=1e-4)),
                                               ("breast_cancer", 6, 3.0, dict(name="adam", lr=1e-4)), ("moons", 6, 3.0, dict(name="adam", lr=1e-4)),
                                               ("reg", 6, 3.0, dict(name="adam", lr=1e-4)), ("wine", 5, 4.0, dict(name="adam", lr=1e-4))]):
        add("explode-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=[64] * depth, scale=fac), opt=opt, batch=32, epochs=R.choice([15, 20]),
            loss="mse" if ds == "reg" else "ce", stats=True, injected="exploding")

    # ---- dying ReLU: hidden biases pushed far negative (batch statistics)
    for k, (ds, b) in enumerate([("digits", -10.0), ("digits", -4.0), ("clf", -10.0), ("clf", -5.0),
                                 ("breast_cancer", -10.0), ("moons", -6.0), ("wine", -10.0), ("reg", -8.0)]):
        add("dying-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=[64, 64], bias=b), opt=dict(name="adam", lr=1e-3), batch=32,
            epochs=R.choice([20, 30]), loss="mse" if ds == "reg" else "ce", stats=True, injected="dying")

    # ---- divergence: a learning rate that grows (a scheduler's wrong factor)
    div = [("digits", dict(name="adam", lr=1e-3), dict(step=10, gamma=10.0), 40),
           ("digits", dict(name="sgd", lr=0.05), dict(exp=1.3), 30),
           ("clf", dict(name="adam", lr=1e-3), dict(step=8, gamma=10.0), 32),
           ("clf", dict(name="sgd", lr=0.02, mom=0.9), dict(exp=1.25), 30),
           ("breast_cancer", dict(name="adam", lr=1e-3), dict(step=10, gamma=10.0), 40),
           ("moons", dict(name="sgd", lr=0.05, mom=0.9), dict(exp=1.3), 30),
           ("wine", dict(name="adam", lr=1e-3), dict(step=8, gamma=10.0), 40),
           ("reg", dict(name="sgd", lr=1e-3), dict(exp=1.25), 30),
           ("digits", dict(name="adam", lr=3e-4), dict(exp=1.4), 30),
           ("circles", dict(name="adam", lr=1e-3), dict(step=10, gamma=10.0), 40),
           ("digits", dict(name="sgd", lr=0.01, mom=0.9), dict(step=6, gamma=5.0), 30),
           ("clf", dict(name="adamw", lr=1e-3, wd=1e-2), dict(exp=1.35), 30)]
    for k, (ds, opt, sch, ep) in enumerate(div):
        add("diverge-%s-%d" % (ds, k), data=dict(ds=ds, val=R.choice(val_choices[ds])),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds], act="tanh" if "exp" in sch else "relu"), opt=opt, sched=sch,
            batch=64 if ds in ("digits", "clf") else 32, epochs=ep, loss="mse" if ds == "reg" else "ce", log_lr=True,
            injected="divergence")

    # ---- Hugging Face trainer_state.json runs (step-logged)
    def hf(name, ds, lr, injected, epochs=8, **kw):
        h = dict(logging_steps=R.choice([5, 10, 20]), eval=R.choice(["epoch", "epoch", "steps"]))
        h.update(kw.pop("hfo", {}))
        add(name, kind="hf", data=dict(ds=ds, val=R.choice([200, 300, 500]), **kw.pop("data", {})),
            model=dict(arch="mlp", hidden=DS_HIDDEN[ds]), opt=dict(name="adamw", lr=lr, wd=0.0),
            batch=R.choice([32, 64]), epochs=epochs, injected=injected, hf=h, **kw)
    for k in range(8):
        hf("hf-healthy-%d" % k, R.choice(["digits", "clf"]), R.choice([1e-3, 2e-3, 5e-4]), "healthy",
           epochs=R.choice([5, 8, 10]), hfo=dict(warmup=R.choice([0, 0, 50])))
    for k, lr in enumerate([0.3, 0.1, 1.0, 0.05, 0.2, 0.5]):
        hf("hf-highlr-%d" % k, R.choice(["digits", "clf"]), lr, "divergence",
           hfo=dict(clip=R.choice([1.0, 0.0]), warmup=R.choice([100, 200, 300])))
    for k in range(4):
        hf("hf-lr0-%d" % k, R.choice(["digits", "clf"]), 0.0, "zero-lr", epochs=R.choice([5, 8]))
    for k in range(5):
        hf("hf-fp16-%d" % k, R.choice(["digits", "clf"]), 1e-3, "grad-nonfinite",
           hfo=dict(fp16=True, growth_interval=R.choice([10, 15, 20]), logging_steps=R.choice([3, 5, 7])))
    for k in range(5):
        hf("hf-shuffled-%d" % k, R.choice(["digits", "clf"]), R.choice([1e-3, 2e-3]), "slow",
           data=dict(shuffle_labels=True))
    return specs


# ----------------------------------------------------------------------------
# everything below runs in the worker processes

def setup_torch():
    import torch
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def make_data(ds, val, n_train=None, raw=False, label_noise=0.0, shuffle_labels=False,
              positive=False, reg_noise=None, split_seed=0):
    import numpy as np
    from sklearn import datasets
    from sklearn.model_selection import train_test_split
    C = 0
    if ds == "digits":
        d = datasets.load_digits()
        X, y, C = d.data.astype(np.float64), d.target, 10
    elif ds in ("iris", "wine", "breast_cancer"):
        d = getattr(datasets, "load_" + ds)()
        X, y = d.data.astype(np.float64), d.target
        C = int(y.max()) + 1
    elif ds == "clf":
        X, y = datasets.make_classification(n_samples=2000, n_features=20, n_informative=8, n_redundant=4,
                                            n_classes=3, n_clusters_per_class=2, class_sep=1.2, flip_y=0.02,
                                            random_state=7)
        C = 3
    elif ds == "moons":
        X, y = datasets.make_moons(n_samples=1000, noise=0.25, random_state=7)
        C = 2
    elif ds == "circles":
        X, y = datasets.make_circles(n_samples=1000, noise=0.1, factor=0.5, random_state=7)
        C = 2
    elif ds == "reg":
        X, y = datasets.make_regression(n_samples=1500, n_features=10, n_informative=6,
                                        noise=reg_noise or 10.0, random_state=7)
    else:
        raise ValueError(ds)
    strat = y if C else None
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=val, random_state=split_seed, stratify=strat)
    if n_train and n_train < len(Xtr):
        Xtr, _, ytr, _ = train_test_split(Xtr, ytr, train_size=n_train, random_state=split_seed,
                                          stratify=ytr if C else None)
    if ds == "clf" and raw:  # tabular data in mixed units: scales 1..1000 and offsets
        sc = np.logspace(0, 3, X.shape[1])
        off = np.linspace(0, 500, X.shape[1])
        Xtr, Xva = Xtr * sc + off, Xva * sc + off
    elif ds == "moons" and raw:  # coordinates in millimetres
        Xtr, Xva = Xtr * 1000.0 + 500.0, Xva * 1000.0 + 500.0
    elif ds == "circles" and raw:
        Xtr, Xva = Xtr * 255.0, Xva * 255.0
    elif ds == "digits":
        # pixels 0..16; raw: x 16 (0..256, like 8-bit images fed unscaled)
        Xtr, Xva = (Xtr * 16.0, Xva * 16.0) if raw else (Xtr / 16.0, Xva / 16.0)
    if not raw and ds not in ("digits", "moons", "circles"):
        mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-12
        Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    if ds == "reg":
        if positive:  # a positive target (prices, counts) for the log loss
            ytr, yva = np.exp(ytr / 150.0), np.exp(yva / 150.0)
        else:
            m, s = ytr.mean(), ytr.std()
            ytr, yva = (ytr - m) / s, (yva - m) / s
    rng = np.random.RandomState(split_seed + 1)
    if label_noise and C:
        k = int(round(label_noise * len(ytr)))
        idx = rng.choice(len(ytr), k, replace=False)
        ytr = ytr.copy()
        ytr[idx] = (ytr[idx] + rng.randint(1, C, size=k)) % C
    if shuffle_labels and C:
        ytr, yva = rng.permutation(ytr), rng.permutation(yva)
    return (Xtr.astype(np.float32), ytr, Xva.astype(np.float32), yva, C)


def build_model(m, d_in, d_out):
    import torch
    import torch.nn as nn
    acts = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU, "leaky": nn.LeakyReLU, "sigmoid": nn.Sigmoid}
    if m["arch"] == "cnn":
        class SmallCNN(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
                self.head = nn.Sequential(nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, d_out))

            def forward(self, x):
                return self.head(self.conv(x.view(-1, 1, 8, 8)))
        return SmallCNN()
    sizes = [d_in] + list(m["hidden"]) + [d_out]
    act = acts[m.get("act", "relu")]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
            if m.get("dropout"):
                layers.append(nn.Dropout(m["dropout"]))
    model = nn.Sequential(*layers)
    lin = [x for x in model if isinstance(x, nn.Linear)]
    with torch.no_grad():
        if m.get("scale"):
            for k, l in enumerate(lin):
                l.weight.mul_(m["scale"] ** k)
        if m.get("bias") is not None:
            for l in lin[:-1]:
                l.bias.fill_(m["bias"])
        if m.get("out_bias") is not None:
            lin[-1].bias.fill_(m["out_bias"])
    return model


def make_opt(o, params):
    import torch
    if o["name"] == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o.get("mom", 0.0))
    if o["name"] == "adam":
        return torch.optim.Adam(params, lr=o["lr"])
    if o["name"] == "adamw":
        return torch.optim.AdamW(params, lr=o["lr"], weight_decay=o.get("wd", 1e-2))
    raise ValueError(o)


def loss_kit(kind, C):
    """loss function, output width, correct-count function (None: no accuracy), target dtype"""
    import torch
    import torch.nn as nn
    if kind == "ce":
        return nn.CrossEntropyLoss(), C, (lambda o, y: (o.argmax(1) == y).float().sum().item()), torch.int64
    if kind == "bce":
        f = nn.BCEWithLogitsLoss()
        return ((lambda o, y: f(o.view(-1), y)), 1,
                (lambda o, y: ((o.view(-1) > 0).float() == y).float().sum().item()), torch.float32)
    if kind == "mse":
        f = nn.MSELoss()
        return (lambda o, y: f(o.view(-1), y)), 1, None, torch.float32
    if kind == "logmse":  # a regression on the log scale, with a Linear output: log of a negative is NaN
        return (lambda o, y: ((torch.log(o.view(-1)) - torch.log(y)) ** 2).mean()), 1, None, torch.float32
    raise ValueError(kind)


def f32(x):
    import numpy as np
    return float(np.float32(x))


def kernel_layers(model):
    import torch
    return [m for _, m in model.named_modules()
            if isinstance(getattr(m, "weight", None), torch.nn.Parameter) and m.weight.dim() >= 2]


def dead_fraction(model, X):
    """Share of hidden ReLU units (channels for conv) whose output is 0 on every input."""
    import torch
    import torch.nn as nn
    relus = [m for m in model.modules() if isinstance(m, nn.ReLU)]
    if not relus:
        return None
    outs = []
    hooks = [r.register_forward_hook(lambda mod, inp, out: outs.append(out.detach())) for r in relus]
    with torch.no_grad():
        model(X)
    for hk in hooks:
        hk.remove()
    dead = total = 0
    for o in outs:
        if o.dim() > 2:
            o = o.transpose(0, 1).reshape(o.shape[1], -1).t()
        alive = (o != 0).any(0) | torch.isnan(o).any(0)
        dead += int((~alive).sum())
        total += o.shape[1]
    return dead / total if total else None


class Measures:
    """The generator's own per-batch measures (every batch), for the labels."""

    def __init__(self, model):
        self.layers = kernel_layers(model)
        self.ratios = []
        self.nonfinite_grad_epoch = None

    def batch(self, epoch, loss_value):
        import torch
        if not math.isfinite(loss_value):
            return
        grads = [m.weight.grad for m in self.layers]
        if any(g is None for g in grads):
            return
        norms = torch.stack([g.norm() for g in grads])
        if not bool(torch.isfinite(norms).all()):
            if self.nonfinite_grad_epoch is None:
                self.nonfinite_grad_epoch = epoch + 1
            return
        a, b = norms[0].item(), norms[-1].item()
        if b > 0:
            self.ratios.append(a / b)


def train_keras(spec, out):
    import numpy as np
    import torch
    from scram_stats import ScramStats
    torch.manual_seed(spec["seed"])
    np.random.seed(spec["seed"])
    Xtr, ytr, Xva, yva, C = make_data(**spec["data"])
    kind = spec.get("loss", "ce")
    loss_fn, d_out, correct, ydt = loss_kit(kind, C)
    model = build_model(spec["model"], Xtr.shape[1], d_out)
    opt = make_opt(spec["opt"], model.parameters())
    sched = None
    if spec.get("sched"):
        s = spec["sched"]
        sched = (torch.optim.lr_scheduler.StepLR(opt, step_size=s["step"], gamma=s["gamma"]) if "step" in s
                 else torch.optim.lr_scheduler.ExponentialLR(opt, gamma=s["exp"]))
    Xtr_t, Xva_t = torch.as_tensor(Xtr), torch.as_tensor(Xva)
    ytr_t, yva_t = torch.as_tensor(ytr).to(ydt), torch.as_tensor(yva).to(ydt)
    acc_key = spec.get("acc_key", "accuracy")
    keys = ["loss", "val_loss"] + ([acc_key, "val_" + acc_key] if correct else []) + (["lr"] if spec.get("log_lr") else [])
    h = {k: [] for k in keys}
    model.eval()
    with torch.no_grad():
        init_loss = loss_fn(model(Xtr_t), ytr_t).item()
    meas = Measures(model)
    dead = []
    g = torch.Generator().manual_seed(spec["seed"])
    n, bs = len(Xtr_t), spec["batch"]
    steps = math.ceil(n / bs)
    stats = None
    if spec["stats"]:
        stats = ScramStats(os.path.join(out, "stats.jsonl"), model, stride=max(1, steps // 4))
    for ep in range(spec["epochs"]):
        lr_now = opt.param_groups[0]["lr"]
        model.train()
        perm = torch.randperm(n, generator=g)
        tl, tc = 0.0, 0.0
        for b, i in enumerate(range(0, n, bs)):
            idx = perm[i:i + bs]
            xb, yb = Xtr_t[idx], ytr_t[idx]
            o = model(xb)
            loss = loss_fn(o, yb)
            opt.zero_grad()
            loss.backward()
            lv = loss.item()
            meas.batch(ep, lv)
            opt.step()
            if stats:
                stats.record(ep, b, xb, loss, opt)
            tl += lv * len(idx)
            if correct:
                with torch.no_grad():
                    tc += correct(o, yb)
        model.eval()
        with torch.no_grad():
            o = model(Xva_t)
            vl = loss_fn(o, yva_t).item()
            vc = correct(o, yva_t) if correct else None
        if spec["stats"]:
            dead.append(dead_fraction(model, Xtr_t))
        h["loss"].append(f32(tl / n))
        h["val_loss"].append(f32(vl))
        if correct:
            h[acc_key].append(f32(tc / n))
            h["val_" + acc_key].append(f32(vc / len(Xva_t)))
        if "lr" in h:
            h["lr"].append(lr_now)
        if sched is not None:
            sched.step()
    if stats:
        stats.close()
    meta = dict(n_train=int(n), n_val=int(len(Xva_t)), classes=int(C) if correct else 0,
                init_loss=init_loss, x_std=float(Xtr.std()), x_mean=float(Xtr.mean()),
                grad_ratio_median=float(np.median(meas.ratios)) if meas.ratios else None,
                nonfinite_grad_epoch=meas.nonfinite_grad_epoch,
                dead_frac=dead if any(d is not None for d in dead) else None, stats=spec["stats"])
    view = {"loss": h["loss"], "val_loss": h["val_loss"]}
    if correct:
        view["acc"], view["val_acc"] = h[acc_key], h["val_" + acc_key]
    return h, view, meta


def csv_value(key, v):
    import numpy as np
    if v is None:
        return "NA"
    if key in ("lr", "learning_rate"):
        return str(np.float32(v))
    return repr(float(v))


def write_csvlogger(path, h):
    keys = sorted(h)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["epoch"] + keys)
    for e in range(len(h["loss"])):
        w.writerow([e] + [csv_value(k, h[k][e]) for k in keys])
    with open(path, "w", newline="") as f:
        f.write(buf.getvalue())


def train_hf(spec, out):
    """A Trainer-like loop: AdamW, linear schedule (with warmup), clip_grad_norm_(1.0),
    logging every logging_steps, evaluation every epoch or eval_steps, and the
    TrainerState.save_to_json layout (sorted keys, indent 2)."""
    import numpy as np
    import torch
    torch.manual_seed(spec["seed"])
    np.random.seed(spec["seed"])
    Xtr, ytr, Xva, yva, C = make_data(**spec["data"])
    loss_fn, d_out, correct, ydt = loss_kit("ce", C)
    model = build_model(spec["model"], Xtr.shape[1], d_out)
    o = spec["opt"]
    opt = torch.optim.AdamW(model.parameters(), lr=o["lr"], weight_decay=o.get("wd", 0.0))
    hfo = spec["hf"]
    bs, epochs = spec["batch"], spec["epochs"]
    n = len(Xtr)
    spe = math.ceil(n / bs)
    T = spe * epochs
    warm = hfo.get("warmup", 0)

    def lr_lambda(step):  # transformers.get_linear_schedule_with_warmup
        if step < warm:
            return float(step) / float(max(1, warm))
        return max(0.0, float(T - step) / float(max(1, T - warm)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    logging_steps = hfo["logging_steps"]
    eval_steps = None
    if hfo["eval"] == "steps":  # a divisor of the run's steps near 2/3 of an epoch: the last step is evaluated
        eval_steps = min((d for d in range(1, T + 1) if T % d == 0), key=lambda d: (abs(d - spe * 2 // 3), d))
    clip = hfo.get("clip", 1.0)
    fp16 = hfo.get("fp16", False)
    scale, good, growth = 2.0 ** 16, 0, hfo.get("growth_interval", 2000)
    Xtr_t, Xva_t = torch.as_tensor(Xtr), torch.as_tensor(Xva)
    ytr_t, yva_t = torch.as_tensor(ytr).to(ydt), torch.as_tensor(yva).to(ydt)
    model.eval()
    with torch.no_grad():
        init_loss = loss_fn(model(Xtr_t), ytr_t).item()
    g = torch.Generator().manual_seed(spec["seed"])
    log, step, tr_acc, last_logged, tr_total = [], 0, 0.0, 0, 0.0
    eval_time = 0.0

    def evaluate(epoch_f):
        nonlocal eval_time
        model.eval()
        with torch.no_grad():
            out_ = model(Xva_t)
            vl = loss_fn(out_, yva_t).item()
            va = correct(out_, yva_t) / len(Xva_t)
        model.train()
        rt = round(len(Xva_t) / 25000.0 + 0.0123, 4)  # a fixed stand-in for the wall time (determinism)
        eval_time += rt
        log.append({"epoch": epoch_f, "eval_accuracy": va, "eval_loss": vl, "eval_runtime": rt,
                    "eval_samples_per_second": round(len(Xva_t) / rt, 3),
                    "eval_steps_per_second": round(math.ceil(len(Xva_t) / 8) / rt, 3), "step": step})
    model.train()
    for ep in range(epochs):
        perm = torch.randperm(n, generator=g)
        for b, i in enumerate(range(0, n, bs)):
            idx = perm[i:i + bs]
            out_ = model(Xtr_t[idx])
            loss = loss_fn(out_, ytr_t[idx])
            opt.zero_grad()
            skipped = False
            if fp16:
                # emulated torch.cuda.amp.GradScaler with fp16 gradients: a scaled loss or
                # gradient beyond fp16's range (65504) is inf/NaN, the step is skipped and
                # the scale halved; after `growth` good steps it doubles again
                scaled = loss * scale
                if not math.isfinite(float(np.float16(scaled.item()))):
                    gn = float("nan")
                    skipped = True
                else:
                    scaled.backward()
                    grads = [p.grad for p in model.parameters() if p.grad is not None]
                    over = any(bool((gr.abs() > 65504).any()) for gr in grads)
                    if over:
                        gn = float("inf")
                        skipped = True
                    else:
                        for gr in grads:
                            gr.div_(scale)
                        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), clip).item()
                if skipped:
                    scale, good = scale * 0.5, 0
                else:
                    good += 1
                    if good >= growth:
                        scale, good = scale * 2.0, 0
            else:
                loss.backward()
                if clip:
                    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), clip).item()
                else:
                    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf")).item()
            if not skipped:
                opt.step()
                sched.step()
            step += 1
            lv = loss.item()
            tr_acc += lv
            tr_total += lv
            epoch_f = ep + (b + 1) / spe
            if step % logging_steps == 0:
                log.append({"epoch": epoch_f, "grad_norm": gn, "learning_rate": sched.get_last_lr()[0],
                            "loss": round(tr_acc / (step - last_logged), 4), "step": step})
                tr_acc, last_logged = 0.0, step
            if eval_steps and step % eval_steps == 0:
                evaluate(epoch_f)
        if hfo["eval"] == "epoch":
            evaluate(float(ep + 1))
    n_params = sum(p.numel() for p in model.parameters())
    rt = round(T * bs / 9000.0 + eval_time + 0.5, 4)
    log.append({"epoch": float(epochs), "step": step, "total_flos": float(6 * n_params * n * epochs),
                "train_loss": tr_total / step, "train_runtime": rt,
                "train_samples_per_second": round(n * epochs / rt, 3),
                "train_steps_per_second": round(T / rt, 3)})
    state = {
        "best_metric": None, "best_model_checkpoint": None, "epoch": float(epochs),
        "eval_steps": eval_steps if eval_steps else 500, "global_step": step,
        "is_hyper_param_search": False, "is_local_process_zero": True, "is_world_process_zero": True,
        "log_history": log, "logging_steps": logging_steps, "max_steps": T,
        "num_input_tokens_seen": 0, "num_train_epochs": epochs, "save_steps": 500,
        "stateful_callbacks": {"TrainerControl": {"args": {
            "should_epoch_stop": False, "should_evaluate": False, "should_log": False,
            "should_save": True, "should_training_stop": True}, "attributes": {}}},
        "total_flos": float(6 * n_params * n * epochs), "train_batch_size": bs,
        "trial_name": None, "trial_params": None,
    }
    text = json.dumps(state, indent=2, sort_keys=True) + "\n"
    # the view scram-check reads: groups of training logs closed by an evaluation
    view = {"loss": [], "val_loss": [], "val_acc": []}
    meta = dict(n_train=int(n), n_val=int(len(Xva)), classes=int(C), init_loss=init_loss, stats=False,
                step_loss=[], step_lr=[], step_grad_norm=[], step_step=[], step_group=[])
    buf = []
    for e in log:
        if "eval_loss" in e:
            view["loss"].append(sum(buf) / len(buf) if buf else float("nan"))
            view["val_loss"].append(e["eval_loss"])
            view["val_acc"].append(e["eval_accuracy"])
            buf = []
        elif "loss" in e:
            buf.append(e["loss"])
            meta["step_loss"].append(e["loss"])
            meta["step_lr"].append(e["learning_rate"])
            meta["step_grad_norm"].append(e["grad_norm"])
            meta["step_step"].append(e["step"])
            meta["step_group"].append(len(view["val_loss"]) + 1)
    return text, view, meta


def work(spec):
    setup_torch()
    out_dir = spec["_out"]
    t0 = time.process_time()
    if spec["kind"] == "hf":
        rel = "hf/%s.trainer_state.json" % spec["name"]
        path = os.path.join(out_dir, rel)
        text, view, meta = train_hf(spec, out_dir)
        with open(path, "w") as f:
            f.write(text)
        meta["format"] = "hf"
    else:
        if spec["stats"]:
            d = os.path.join(out_dir, "stats", spec["name"])
            os.makedirs(d, exist_ok=True)
            rel = "stats/%s/history.csv" % spec["name"]
            h, view, meta = train_keras(spec, d)
        else:
            ext = "json" if spec.get("fmt") == "json" else "csv"
            rel = "epoch/%s.%s" % (spec["name"], ext)
            h, view, meta = train_keras(spec, None)
        path = os.path.join(out_dir, rel)
        if rel.endswith(".json"):
            with open(path, "w") as f:
                json.dump({k: [float(x) for x in v] for k, v in h.items()}, f)
        else:
            write_csvlogger(path, h)
        meta["format"] = "keras"
    meta["injected"] = spec["injected"]
    meta["cpu_s"] = round(time.process_time() - t0, 2)
    return dict(name=spec["name"], file=rel, view=view, meta=meta, desc=describe(spec))


def describe(s):
    d = s["data"]
    parts = [d["ds"], "val %d" % d["val"]]
    if d.get("n_train"):
        parts.append("train %d" % d["n_train"])
    for k in ("raw", "label_noise", "shuffle_labels", "positive"):
        if d.get(k):
            parts.append("%s=%s" % (k, d[k]))
    m = s["model"]
    parts.append("cnn" if m["arch"] == "cnn" else "mlp %s %s" % ("-".join(map(str, m["hidden"])) if len(set(m["hidden"])) > 1 or len(m["hidden"]) < 4 else "%dx%d" % (len(m["hidden"]), m["hidden"][0]), m.get("act", "relu")))
    for k in ("scale", "bias", "out_bias", "dropout"):
        if m.get(k) is not None:
            parts.append("%s=%s" % (k, m[k]))
    o = s["opt"]
    parts.append("%s lr %g" % (o["name"], o["lr"]) + (" mom %g" % o["mom"] if o.get("mom") else ""))
    if s.get("sched"):
        parts.append("sched " + ",".join("%s=%g" % kv for kv in sorted(s["sched"].items())))
    parts.append("bs %d" % s["batch"])
    parts.append("%d epochs" % s["epochs"])
    if s.get("loss") and s["loss"] != "ce":
        parts.append(s["loss"])
    if s["kind"] == "hf":
        parts.append("hf " + ",".join("%s=%s" % kv for kv in sorted(s["hf"].items())))
    return "; ".join(parts)


# ----------------------------------------------------------------------------

def ref_name(rec):
    ds = rec["desc"].split(";")[0]
    return ("hf-ref-" if rec["meta"]["format"] == "hf" else "ref-") + ds


def write_labels(out_dir, recs):
    by_name = {r["name"]: r for r in recs}
    rows = []
    for r in recs:
        ref = by_name.get(ref_name(r))
        refv = None
        if ref and ref["name"] != r["name"]:
            refv = dict(ref["view"], init_loss=ref["meta"].get("init_loss"))
        lab = labelrules.label(r["view"], r["meta"], refv)
        r["label"] = lab
        evs = ";".join("%s=%s" % (k, v) for k, v in lab["evidence"].items())
        rows.append([r["file"], lab["primary"], ",".join(lab["labels"]) or "-", ",".join(lab["gray"]) or "-",
                     ",".join(lab["consequences"]) or "-", str(lab["onset"]) if lab["onset"] else "-",
                     ",".join("%s:%s" % (c, lab["onsets"][c]) for c in lab["labels"]) or "-",
                     str(r["meta"].get("classes") or 0), str(r["meta"]["n_val"]), str(r["meta"]["n_train"]),
                     r["meta"]["injected"], r["desc"], evs])
    rows.sort()
    with open(os.path.join(out_dir, "labels.tsv"), "w") as f:
        f.write("\t".join(["file", "class", "labels", "gray", "consequences", "onset", "onsets", "classes",
                           "n_val", "n_train", "injected", "setup", "evidence"]) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--only", help="generate only runs whose name contains this (for debugging; no labels.tsv)")
    ap.add_argument("--relabel", action="store_true", help="recompute labels.tsv from measures.json")
    a = ap.parse_args()
    out = a.out
    if a.relabel:
        with open(os.path.join(out, "measures.json")) as f:
            recs = json.load(f)
        rows = write_labels(out, recs)
        summarize(rows, None)
        return
    specs = build_specs()
    names = [s["name"] for s in specs]
    assert len(names) == len(set(names)), "duplicate run names"
    if a.only:
        specs = [s for s in specs if a.only in s["name"]]
    for d in ("epoch", "stats", "hf"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    for s in specs:
        s["_out"] = out
    t0 = time.time()
    if a.jobs > 1:
        import multiprocessing as mp
        # the longest runs first, so that the two workers end together
        order = sorted(range(len(specs)), key=lambda i: -specs[i]["epochs"] * (3 if specs[i]["model"]["arch"] == "cnn" else 1))
        with mp.get_context("fork").Pool(a.jobs) as pool:
            res = pool.map(work, [specs[i] for i in order], chunksize=1)
        recs = [None] * len(specs)
        for i, r in zip(order, res):
            recs[i] = r
    else:
        recs = [work(s) for s in specs]
    wall = time.time() - t0
    if a.only:
        for r in recs:
            print(r["file"], r["meta"]["cpu_s"], "s", json.dumps({k: v for k, v in r["meta"].items() if not k.startswith("step_") and k != "dead_frac"}))
        return
    with open(os.path.join(out, "measures.json"), "w") as f:
        json.dump(recs, f, allow_nan=True)
    rows = write_labels(out, recs)
    summarize(rows, wall, sum(r["meta"]["cpu_s"] for r in recs), a.jobs)


def summarize(rows, wall, cpu=None, jobs=None):
    from collections import Counter
    c = Counter(r[1] for r in rows)
    inj = Counter((r[10], r[1]) for r in rows)
    print("%d runs: %s" % (len(rows), ", ".join("%s %d" % kv for kv in sorted(c.items()))))
    for (i, p), k in sorted(inj.items()):
        if i != p:
            print("  injected %s, labeled %s: %d" % (i, p, k))
    if wall is not None:
        print("generation: %.1f s wall, %.1f s CPU, %d processes" % (wall, cpu, jobs))


if __name__ == "__main__":
    main()
