"""scram_live: run scram-check's checks inside a training loop.

Call it at each epoch (or evaluation). It keeps a history as Keras' CSVLogger
writes it (or points at the one your framework writes), runs
``scram-check --format json`` on the history so far, prints the findings that
are new since the last call, and tells the loop to stop on an error-level
finding: SCRAM's live mode, through the command-line tool. Standard library
only; copy this file next to your training script.

Plain PyTorch (tested in this repository: tests/cli/integrations/live-pytorch.sh)::

    from scram_live import ScramLive

    live = ScramLive("runs/exp1/history.csv", classes=10)
    for epoch in range(epochs):
        loss, acc = train_one_epoch(...)
        val_loss, val_acc = evaluate(...)
        if live.step(epoch, loss=loss, accuracy=acc,
                     val_loss=val_loss, val_accuracy=val_acc):
            break                      # an error-level finding: stop training

A history your framework already writes (Keras CSVLogger, Lightning's
metrics.csv, Hugging Face's trainer_state.json)::

    live = ScramLive("logs/metrics.csv", write=False)
    ...
    if live.check():
        trainer.should_stop = True

Thin adapters for Keras, Lightning and Hugging Face are in keras_callback.py,
lightning_callback.py and hf_callback.py beside this file.
"""

import csv
import json
import math
import os
import shutil
import subprocess
import sys

SEVERITY = {"info": 1, "warning": 2, "error": 3, "none": 4}


class ScramCheckFailed(RuntimeError):
    """scram-check could not run or could not read the history."""


class ScramLive:
    """Checks a training history as it grows.

    path        the history file (written by step() unless write=False)
    stop_on     lowest severity that asks training to stop: "error" (default),
                "warning", "info" or "none" (never)
    classes     the number of classes, for the rules that need it
    total_epochs  the planned number of epochs: rules with a judgment point
                are then judged when a monitor would judge them
    args        more scram-check options, e.g. ["--disable", "early-stopping"]
    every       check every N calls (a check costs a process start, ~ms)
    out         where new findings are printed (default sys.stderr); None: silent
    scram_check the binary (default: $SCRAM_CHECK, else scram-check on PATH)
    """

    def __init__(self, path, write=True, stop_on="error", classes=None,
                 total_epochs=None, args=(), every=1, out=sys.stderr,
                 scram_check=None):
        if stop_on not in SEVERITY:
            raise ValueError("stop_on is error, warning, info or none, not %r" % (stop_on,))
        self.path = str(path)
        self.write = write
        self.stop_on = stop_on
        self.every = max(1, int(every))
        self.out = out
        self.binary = scram_check or os.environ.get("SCRAM_CHECK") or shutil.which("scram-check")
        if not self.binary:
            raise ScramCheckFailed("scram-check is not installed (or set $SCRAM_CHECK)")
        self.args = list(args)
        if classes:
            self.args += ["--classes", str(int(classes))]
        if total_epochs:
            self.args += ["--total-epochs", str(int(total_epochs))]
        self.columns = None
        self.calls = 0
        self.seen = set()        # (run, rule, onset) already reported
        self.findings = []       # every finding reported, in order
        self.should_stop = False
        if write and os.path.exists(self.path):
            os.remove(self.path)  # a new run: no rows of an old one

    def log(self, epoch, **metrics):
        """Append one epoch's metrics to the history (CSVLogger's layout)."""
        if self.columns is None:
            self.columns = sorted(metrics)
            d = os.path.dirname(self.path)
            if d:
                os.makedirs(d, exist_ok=True)
            with open(self.path, "w", newline="") as f:
                csv.writer(f).writerow(["epoch"] + self.columns)
        row = [int(epoch)]
        for c in self.columns:
            v = metrics.get(c)
            if v is None:
                row.append("")
                continue
            v = float(v.item() if hasattr(v, "item") else v)
            row.append("nan" if math.isnan(v) else ("inf" if v == math.inf
                       else "-inf" if v == -math.inf else repr(v)))
        with open(self.path, "a", newline="") as f:
            csv.writer(f).writerow(row)

    def check(self):
        """Run scram-check on the history; print and return the new findings.

        Returns True when a new finding is at or above stop_on (also kept in
        self.should_stop)."""
        cmd = [self.binary, "--format", "json", "--fail-on", "none"] + self.args + [self.path]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if p.returncode not in (0, 1):
            raise ScramCheckFailed("%s: %s" % (" ".join(cmd), p.stderr.strip()))
        doc = json.loads(p.stdout)
        new = []
        for run in doc.get("runs", []):
            for f in run.get("findings", []):
                key = (run.get("label") or run.get("path"), f["rule"], f.get("onset_epoch"))
                if key in self.seen:
                    continue
                self.seen.add(key)
                new.append(f)
        for f in new:
            self.findings.append(f)
            if self.out is not None:
                where = f.get("where") or "epoch %s" % f.get("detected_epoch")
                print("scram-check: %s: %s: %s [%s]" % (where, f["severity"], f["title"], f["rule"]),
                      file=self.out)
                if f.get("fix"):
                    print("  Fix: " + f["fix"].split("\n\n")[0], file=self.out)
            if SEVERITY.get(f["severity"], 0) >= SEVERITY[self.stop_on]:
                self.should_stop = True
        return self.should_stop

    def step(self, epoch, **metrics):
        """log() then, every `every` calls, check(). True: stop training."""
        if self.write:
            self.log(epoch, **metrics)
        self.calls += 1
        if self.calls % self.every == 0:
            return self.check()
        return self.should_stop
