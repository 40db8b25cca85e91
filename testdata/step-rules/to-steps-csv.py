#!/usr/bin/python3
"""Write the training steps of a step-logged run as a plain CSV
(at_step,at_epoch,loss,grad_norm,learning_rate), for the step-rule tests
(tests/test_steps.c), which judge them before a reader hands them over.

Reads a Hugging Face trainer_state.json, a Lightning metrics.csv (the *_step
columns and step-only rows) or a TensorBoard event file (train/loss,
train/grad_norm, train/learning_rate scalars). Non-finite values are written
as nan/inf, missing ones as empty cells.

usage: to-steps-csv.py INPUT > OUT.csv
"""
import csv
import json
import math
import struct
import sys

COLS = ["step", "epoch", "loss", "grad_norm", "learning_rate"]
# Named so that the CSV reader does not take them for its epoch column.
HEADER = ["at_step", "at_epoch", "loss", "grad_norm", "learning_rate"]


def hf(path):
    with open(path) as f:
        text = f.read()
    # Python's json reads NaN and Infinity as HF writes them.
    state = json.loads(text)
    rows = []
    for e in state["log_history"]:
        if "loss" not in e or "train_runtime" in e:
            continue
        rows.append({"step": e.get("step"), "epoch": e.get("epoch"),
                     "loss": e.get("loss"), "grad_norm": e.get("grad_norm"),
                     "learning_rate": e.get("learning_rate")})
    return rows


def lightning(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            step = r.get("step")
            if not step:
                continue
            out = rows.setdefault(int(float(step)), {"step": int(float(step))})
            for k, v in r.items():
                if v in ("", None):
                    continue
                if k == "epoch":
                    out.setdefault("epoch", v)
                elif k in ("train_loss_step", "train_loss", "loss", "loss_step",
                           "train/loss", "train/nll_loss"):
                    out["loss"] = v
                elif k.startswith("lr-") or k in ("lr", "learning_rate"):
                    out["learning_rate"] = v
                elif "grad_norm" in k:
                    out["grad_norm"] = v
    return [rows[k] for k in sorted(rows) if "loss" in rows[k] or "learning_rate" in rows[k]]


def varint(b, i):
    x = s = 0
    while True:
        c = b[i]
        i += 1
        x |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return x, i


def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 1:
            v = b[i:i + 8]
            i += 8
        elif wt == 5:
            v = b[i:i + 4]
            i += 4
        elif wt == 2:
            n, i = varint(b, i)
            v = b[i:i + n]
            i += n
        else:
            raise ValueError("wire type %d" % wt)
        yield num, wt, v


def tfevents(path):
    data = open(path, "rb").read()
    i = 0
    rows = {}
    names = {"loss": "loss", "grad_norm": "grad_norm", "learning_rate": "learning_rate",
             "epoch": "epoch"}
    while i + 12 <= len(data):
        (n,) = struct.unpack("<Q", data[i:i + 8])
        ev = data[i + 12:i + 12 + n]
        i += 12 + n + 4
        step = 0
        summ = None
        for num, wt, v in fields(ev):
            if num == 2:
                step = v
            elif num == 5:
                summ = v
        if summ is None:
            continue
        for num, wt, v in fields(summ):
            if num != 1:
                continue
            tag, val = None, None
            for n2, w2, v2 in fields(v):
                if n2 == 1:
                    tag = v2.decode()
                elif n2 == 2 and w2 == 5:
                    (val,) = struct.unpack("<f", v2)
                elif n2 == 8:  # tensor: float_val (5) or tensor_content (4)
                    for n3, w3, v3 in fields(v2):
                        if n3 == 5 and w3 == 5:
                            (val,) = struct.unpack("<f", v3)
                        elif n3 == 5 and w3 == 2 and len(v3) >= 4:
                            (val,) = struct.unpack("<f", v3[:4])
                        elif n3 == 4 and len(v3) == 4:
                            (val,) = struct.unpack("<f", v3)
            if tag is None or val is None:
                continue
            short = tag.split("/", 1)[1] if tag.startswith("train/") else None
            if short in names:
                rows.setdefault(step, {"step": step})[names[short]] = val
    return [rows[k] for k in sorted(rows) if "loss" in rows[k]]


def main():
    path = sys.argv[1]
    if path.endswith(".json"):
        rows = hf(path)
    elif path.endswith(".csv"):
        rows = lightning(path)
    else:
        rows = tfevents(path)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(HEADER)
    for r in rows:
        out = []
        for c in COLS:
            v = r.get(c)
            if v is None:
                out.append("")
            elif isinstance(v, float) and not math.isfinite(v):
                out.append("nan" if v != v else ("inf" if v > 0 else "-inf"))
            else:
                out.append(repr(v) if isinstance(v, float) else str(v))
        w.writerow(out)


main()
