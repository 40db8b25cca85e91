"""The thesis's way of checking for oscillation, as a reference for
bench/bench.py: at every check (every epoch from the judgment point on),
recompute AUTOTRAINER's ol_judge from scratch over the validation accuracy
seen so far (threshold 0.02, rate 0.2, judgment point 0.3, as
rules/oscillating-val-acc.rule). Prints how many runs it flags.

    python3 bench/ol_judge_ref.py FOLDER
"""
import csv
import math
import os
import sys


def ol_judge(a, threshold=0.02, rate=0.2):
    peaks, troughs = [], []
    for i in range(1, len(a) - 1):
        if a[i] - a[i - 1] >= 0 and a[i] - a[i + 1] >= 0:
            peaks.append(a[i])
        if a[i] - a[i - 1] <= 0 and a[i] - a[i + 1] <= 0:
            troughs.append(a[i])
    count = sum(1 for p, t in zip(peaks, troughs) if p - t >= threshold)
    return count >= rate * len(a)


def val_acc(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for name in ("val_accuracy", "val_acc"):
        if name in head:
            k = head.index(name)
            out = []
            for r in rows[1:]:
                try:
                    out.append(float(r[k]))
                except (ValueError, IndexError):
                    out.append(math.nan)
            return out
    return None


flagged = runs = 0
for root, _, files in os.walk(sys.argv[1]):
    for name in sorted(files):
        if not name.endswith(".csv"):
            continue
        a = val_acc(os.path.join(root, name))
        if a is None:
            continue
        runs += 1
        n = len(a)
        first = max(1, math.ceil(0.3 * n - 1e-9))
        if any(ol_judge(a[:e]) for e in range(first, n + 1)):
            flagged += 1
print("%d runs, %d flagged" % (runs, flagged))
