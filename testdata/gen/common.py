"""Shared pieces of the test-data generators: data sets, models, a
deterministic clock, float formatting and file helpers.

Everything is CPU-only, single-threaded and seeded, so a rerun on the same
torch/numpy gives byte-identical files.
"""

import json
import math
import os
import random

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

GEN = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.dirname(GEN)

_DIGITS = None


def digits_split():
    """load_digits (bundled with scikit-learn): 1347 train / 450 validation,
    stratified, random_state 0, pixels / 16 (as testdata/real/)."""
    global _DIGITS
    if _DIGITS is None:
        d = load_digits()
        X = (d.data / 16.0).astype(np.float32)
        y = d.target.astype(np.int64)
        Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
        _DIGITS = tuple(torch.as_tensor(a) for a in (Xtr, ytr, Xva, yva))
    return _DIGITS


def digits_images():
    """The 8x8 digit images (0..16) with targets, for the YOLO-style detector."""
    d = load_digits()
    return d.images.astype(np.float32) / 16.0, d.target.astype(np.int64)


def seed_all(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)


def mlp(sizes, act=nn.ReLU, dropout=0.0):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def f32(x):
    """A float32 value as the Python float the frameworks write (repr of the
    double holding the float32, e.g. 0.6931471824645996)."""
    return float(np.float32(x))


class Clock:
    """A fake, deterministic wall clock (seconds since the epoch).  Timing
    fields (wall_time, *_runtime, timestamps) are made with it so reruns are
    byte-identical; the training numbers themselves are all real."""

    def __init__(self, start, seed=0):
        self.t = float(start)
        self.rng = random.Random(seed)

    def tick(self, base, jitter=0.1):
        self.t += base * (1.0 + jitter * (self.rng.random() - 0.5))
        return self.t

    def ms(self):
        return int(round(self.t * 1000))


def write_text(rel, text, encoding="utf-8", newline=""):
    path = os.path.join(TESTDATA, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding=encoding, newline=newline) as f:
        f.write(text)
    return path


def write_bytes(rel, data):
    path = os.path.join(TESTDATA, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def dumps_py(obj, **kw):
    """json.dumps as Python writes it: bare NaN / Infinity allowed."""
    return json.dumps(obj, **kw)


def fin(x):
    return x is not None and math.isfinite(x)
