#!/usr/bin/python3
"""Regenerate the step-axis and file-format test data of scram-check:

    testdata/steps/         Hugging Face trainer_state.json runs and output
                            dirs, Lightning CSVLogger version dirs, a resumed
                            Keras CSVLogger file
    testdata/tb/            TensorBoard event files (own TFRecord/protobuf
                            encoder, masked CRC-32C)
    testdata/yolo/          Ultralytics results.csv (v5 padded, v8)
    testdata/mlflow/        an MLflow file store and an mlflow.db SQLite store
    testdata/wandb/         a W&B panel CSV export and a run's wandb-summary.json
    testdata/formats-real/  broken-but-real CSV / JSON / console files

    /usr/bin/python3 testdata/gen/make_testdata.py        # everything (~1 min)

Every number comes from a real training loop in this script (PyTorch on
scikit-learn's bundled digits data, CPU, one thread, fixed seeds); only the
timing fields (wall times, runtimes, timestamps) come from a deterministic fake
clock.  The file layouts follow the real writers (FORMATS.md gives the facts
and where they were read).  Each run asserts the property it is meant to
show; the measured numbers go into testdata/gen/README.md, which this script
rewrites.  Reruns on the same torch/numpy are byte-identical.
"""

import copy
import csv
import io
import json
import math
import os
import random
import shutil
import sqlite3
import struct
import sys
import time

GEN_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, GEN_DIR)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

import keras_sim  # noqa: E402
import tfrecord as tfr  # noqa: E402
import yolo_sim  # noqa: E402
from common import (TESTDATA, Clock, digits_split, f32, mlp, seed_all,  # noqa: E402
                    write_bytes, write_text)
from hf_sim import HFRun, HalfMLP, fp16_softmax_ce  # noqa: E402
from lightning_sim import LightningRun  # noqa: E402

OUT_DIRS = ["steps", "tb", "yolo", "mlflow", "wandb", "formats-real"]
ROWS = []          # README table rows
RUNS = {}          # name -> run object, shared between sections


def row(path, how, shows, reader):
    ROWS.append((path, how, shows, reader))


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def fmt(x, d=4):
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return ("%%.%dg" % d) % x


def rel(path):
    return os.path.relpath(path, TESTDATA)


# ============================================================================
# Hugging Face Trainer

def hf_train_entries(r):
    return [e for e in r.state["log_history"] if "loss" in e]


def hf_eval_entries(r):
    return [e for e in r.state["log_history"] if "eval_loss" in e]


def gen_hf():
    data = digits_split()
    Xtr, ytr, Xva, yva = data
    common_reader = "HF reading"

    # -- healthy, full output dir -------------------------------------------
    seed_all(1)
    r = HFRun("hf-healthy", mlp([64, 128, 64, 10]), data, lr=3e-3, logging_steps=5,
              eval_strategy="epoch", save_strategy="epoch", output_dir="hf-healthy").train()
    RUNS["hf-healthy"] = r
    files = r.write("steps/hf-healthy")
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    evl = [e["eval_loss"] for e in ev]
    check(all(b < a for a, b in zip(evl, evl[1:])), "healthy eval_loss must fall every epoch")
    check(all(math.isfinite(e["grad_norm"]) for e in tr), "healthy grad_norm finite")
    gn = [e["grad_norm"] for e in tr]
    check(max(gn) < 5 * float(np.median(gn)), "healthy: no grad_norm spike")
    row("steps/hf-healthy/trainer_state.json",
        "HF Trainer semantics: digits MLP 64-128-64-10, AdamW lr 3e-3 linear decay, batch 16, "
        "3 epochs = %d steps, logging_steps 5, eval and save every epoch, max_grad_norm 1.0, "
        "metric_for_best_model loss; total_flos estimated as 6 x parameters x 64 inputs per "
        "sample" % r.state["max_steps"],
        "healthy: loss %s (step 5) -> %s (step %d); eval_loss %s; eval_accuracy %s; grad_norm "
        "median %s, max %s; learning_rate %s -> %s; best_metric at step %d; header eval_steps "
        "is 500 though evaluation is per epoch (the TrainerState default)"
        % (tr[0]["loss"], tr[-1]["loss"], tr[-1]["step"], " -> ".join(fmt(v) for v in evl),
           " -> ".join(fmt(e["eval_accuracy"], 3) for e in ev), fmt(float(np.median(gn)), 3),
           fmt(max(gn), 3), fmt(tr[0]["learning_rate"], 3), fmt(tr[-1]["learning_rate"], 3),
           r.state["best_global_step"]),
        common_reader + "; %d train points, %d evaluations (evaluation k = step 85k, epoch k); "
        "expected: clean (rules ran, no finding)" % (len(tr), len(ev)))
    row("steps/hf-healthy/checkpoint-{85,170,255}/trainer_state.json",
        "the `_save_checkpoint` snapshots of the same run (save_strategy epoch)",
        "each log_history is a prefix of the final one; checkpoint-255 lacks only the summary entry",
        "folder audit of steps/hf-healthy/: one run (the final trainer_state.json), snapshots noted, "
        "not judged again")
    row("steps/hf-healthy/{all,train,eval}_results.json",
        "`trainer.save_metrics` (indent 4, sorted keys, no final newline); eval_results is a final "
        "`trainer.evaluate()` after `save_state()`, so it is not in trainer_state.json",
        "train_loss %s, eval_loss %s, eval_accuracy %s" % (
            fmt(r.train_metrics["train_loss"]), fmt(evl[-1]), fmt(ev[-1]["eval_accuracy"], 3)),
        "summaries, not histories: skipped in a folder audit (listed with --verbose); named "
        "explicitly: exit 2 saying what they are")
    for c in sorted(r.checkpoints):
        prefix = json.loads(r.checkpoints[c])["log_history"]
        check(prefix == r.state["log_history"][:len(prefix)], "checkpoint must be a prefix")

    # -- lr far too high ----------------------------------------------------
    seed_all(1)
    r = HFRun("hf-lr-high", mlp([64, 128, 64, 10]), data, lr=1.0, warmup_steps=60,
              logging_steps=5, save_strategy="no").train()
    r.write("steps/hf-lr-high", checkpoints=False, results=False)
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    lo = min(tr, key=lambda e: e["loss"])
    hi = max(tr, key=lambda e: e["loss"])
    gmax = max(tr, key=lambda e: e["grad_norm"])
    med = float(np.median([e["grad_norm"] for e in tr]))
    last = tr[-20:]
    check(hi["loss"] > 8 * lo["loss"] and hi["step"] > lo["step"], "lr-high must spike")
    check(gmax["grad_norm"] > 50 * med, "lr-high grad_norm spike")
    check(ev[-1]["eval_accuracy"] < 0.15, "lr-high ends at chance")
    row("steps/hf-lr-high/trainer_state.json",
        "as hf-healthy but AdamW lr 1.0 (about 300x too high) with 60 warm-up steps; no checkpoints",
        "diverging: loss %s (step 5), min %s at step %d, spikes to %s at step %d while lr ramps to "
        "%s, then sits at %s..%s (ln 10 = 2.303: chance) to step %d; grad_norm %s at step %d = %dx "
        "the median %s; eval_loss %s, eval_accuracy %s"
        % (tr[0]["loss"], lo["loss"], lo["step"], hi["loss"], hi["step"],
           fmt(max(e["learning_rate"] for e in tr), 3), min(e["loss"] for e in last),
           max(e["loss"] for e in last), tr[-1]["step"], fmt(gmax["grad_norm"], 3), gmax["step"],
           gmax["grad_norm"] / med, fmt(med, 3), " -> ".join(fmt(e["eval_loss"]) for e in ev),
           " -> ".join(fmt(e["eval_accuracy"], 3) for e in ev)),
        common_reader + "; expected: error/warning divergence of the step loss (step %d) and a "
        "gradient-norm spike (step %d, factor ~%d); eval at chance" % (hi["step"], gmax["step"], gmax["grad_norm"] / med))

    # -- learning rate exactly 0 on every step --------------------------------
    seed_all(1)
    r = HFRun("hf-lr-zero", mlp([64, 128, 64, 10]), data, lr=3e-3, logging_steps=5,
              save_strategy="no", lr_lambda=lambda s: min(1.0, s // 1000)).train()
    r.write("steps/hf-lr-zero", checkpoints=False, results=False)
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    check(all(e["learning_rate"] == 0.0 for e in tr), "lr-zero: every lr 0")
    check(len(set(e["eval_loss"] for e in ev)) == 1, "lr-zero: eval_loss identical")
    row("steps/hf-lr-zero/trainer_state.json",
        "as hf-healthy but the schedule is a warm-up written with integer division, "
        "`LambdaLR(lambda s: min(1.0, s // 1000))`, and 1000 warm-up steps > max_steps %d"
        % r.state["max_steps"],
        "learning_rate 0.0 in all %d train entries; the weights never move: eval_loss %s and "
        "eval_accuracy %s identical at all %d evaluations; loss wanders %s..%s around ln 10; "
        "grad_norm stays %s..%s (gradients exist, the step is 0)"
        % (len(tr), repr(ev[0]["eval_loss"]), ev[0]["eval_accuracy"], len(ev),
           min(e["loss"] for e in tr), max(e["loss"] for e in tr),
           fmt(min(e["grad_norm"] for e in tr), 3), fmt(max(e["grad_norm"] for e in tr), 3)),
        common_reader + "; expected: zero-learning-rate (all steps), plus stalled/no improvement; "
        "eval_loss constant")

    # -- fp16: a few isolated overflow steps -----------------------------------
    seed_all(1)
    r = HFRun("hf-fp16-isolated", HalfMLP([64, 128, 64, 10]), data, lr=1e-3, epochs=2,
              logging_steps=1, save_strategy="no", fp16=True, growth_interval=30).train()
    r.write("steps/hf-fp16-isolated", checkpoints=False, results=False)
    RUNS["hf-fp16-isolated"] = r
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    bad = [e for e in tr if not math.isfinite(e["grad_norm"])]
    check(2 <= len(bad) <= 6, "fp16-isolated: a few non-finite grad_norm")
    check(all(math.isfinite(e["loss"]) and e["loss"] > 0 for e in tr), "fp16-isolated loss finite")
    check(not r.stats["nan_loss_steps"], "fp16-isolated: the loss itself never NaN")
    row("steps/hf-fp16-isolated/trainer_state.json",
        "fp16 mixed precision emulated on the CPU (activations and gradients stored in float16, "
        "dynamic loss scale 2^16, x0.5 on overflow, x2 after 30 good steps: torch's "
        "GradScaler rule with growth_interval shortened from 2000 so a 170-step run shows the "
        "re-growth overflows); MLP 64-128-64-10, AdamW 1e-3, 2 epochs, logging_steps 1",
        "healthy apart from %d isolated skipped optimizer steps: grad_norm %s at steps %s "
        "(the scaled gradient overflowed float16; the step was skipped and the scheduler not "
        "stepped, so learning_rate repeats on the next entry); the loss is finite at every step "
        "(%s -> %s); eval_loss %s, eval_accuracy %s"
        % (len(bad), "/".join(sorted(set(str(e["grad_norm"]) for e in bad))),
           ", ".join(str(e["step"]) for e in bad), tr[0]["loss"], tr[-1]["loss"],
           " -> ".join(fmt(e["eval_loss"]) for e in ev),
           " -> ".join(fmt(e["eval_accuracy"], 3) for e in ev)),
        common_reader + "; JSON has bare `Infinity`/`NaN` for grad_norm; expected: info "
        "'non-finite grad_norm at %d isolated steps (fp16 loss scaling skipped them)', no error"
        % len(bad))

    # -- fp16: persistent NaN (loss NaN, filtered) -----------------------------
    seed_all(1)
    r = HFRun("hf-fp16-persistent", HalfMLP([64, 128, 64, 10]), data, lr=0.02, epochs=2,
              logging_steps=1, save_strategy="no", fp16=True, loss_fn=fp16_softmax_ce).train()
    r.write("steps/hf-fp16-persistent", checkpoints=False, results=False)
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    bad = [e for e in tr if not math.isfinite(e["grad_norm"])]
    zero = [e for e in tr if e["loss"] == 0.0]
    gn0 = [e for e in tr if e["grad_norm"] == 0.0]
    first = min(r.stats["nan_loss_steps"])
    ovf = [e["step"] for e in bad if e["step"] not in r.stats["nan_loss_steps"]]
    check(all(e["loss"] == 0.0 for e in tr if e["step"] in r.stats["nan_loss_steps"]),
          "persistent: NaN-loss steps log 0.0")
    after = [e for e in tr if e["step"] >= first]
    check(len(bad) > 0.3 * len(tr), "fp16-persistent: many non-finite grad_norm")
    check(all(math.isnan(e["eval_loss"]) for e in ev), "fp16-persistent: eval_loss NaN")
    row("steps/hf-fp16-persistent/trainer_state.json",
        "the same emulated fp16 loop, AdamW lr 0.02, and a hand-written softmax cross-entropy "
        "computed in float16 (`exp` overflows above 11.09, inf/inf = NaN): once logits grow the "
        "step loss is NaN; `logging_nan_inf_filter` (on by default) keeps it out of the logged "
        "mean; growth_interval 2000 (torch default)",
        "persistent: the step loss was NaN at %d of %d steps (first at step %d); grad_norm "
        "non-finite at %d logged steps (%d%% of the steps from step %d on); because a logging "
        "window of one NaN step adds `tr_loss/(1+...)` = 0, those steps log `loss: 0.0` "
        "(%d entries); once the loss scale has halved ~90 times the scaled gradients underflow "
        "and grad_norm is exactly 0.0 at %d steps; eval_loss NaN at both evaluations, "
        "eval_accuracy %s"
        % (len(r.stats["nan_loss_steps"]), r.state["global_step"], first, len(bad),
           round(100 * sum(1 for e in after if not math.isfinite(e["grad_norm"])) / len(after)),
           first, len(zero), len(gn0), " -> ".join(fmt(e["eval_accuracy"], 3) for e in ev)),
        common_reader + "; expected: error: persistent non-finite grad_norm with the loss NaNs "
        "filtered (every step whose loss was NaN logs `loss: 0.0` and `grad_norm: NaN`; the "
        "overflow-only steps %s have a non-finite grad_norm with a finite loss), NaN eval_loss"
        % ", ".join(str(x) for x in ovf))

    # -- shuffled labels ------------------------------------------------------
    g = torch.Generator().manual_seed(3)
    shuf = (Xtr, ytr[torch.randperm(len(ytr), generator=g)], Xva, yva[torch.randperm(len(yva), generator=g)])
    seed_all(1)
    r = HFRun("hf-shuffled-labels", mlp([64, 128, 64, 10]), shuf, lr=1e-3, logging_steps=5,
              save_strategy="no").train()
    r.write("steps/hf-shuffled-labels", checkpoints=False, results=False)
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    check(max(e["eval_accuracy"] for e in ev) < 0.15, "shuffled: eval at chance")
    row("steps/hf-shuffled-labels/trainer_state.json",
        "as hf-healthy (AdamW 1e-3) with the train and eval labels randomly permuted",
        "no learning: loss %s..%s around ln 10 = 2.303 for all %d steps (first %s, last %s); "
        "eval_loss %s; eval_accuracy %s (chance 0.1)"
        % (min(e["loss"] for e in tr), max(e["loss"] for e in tr), r.state["global_step"],
           tr[0]["loss"], tr[-1]["loss"], " -> ".join(fmt(e["eval_loss"]) for e in ev),
           " -> ".join(fmt(e["eval_accuracy"], 3) for e in ev)),
        common_reader + "; expected: no improvement / stuck at chance (with --classes 10); "
        "loss near-constant")

    # -- memorization of a small training set -----------------------------------
    n = 150
    y = ytr[:n].clone()
    g = torch.Generator().manual_seed(5)
    k = int(n * 0.2)
    idx = torch.randperm(n, generator=g)[:k]
    y[idx] = (y[idx] + 1 + torch.randint(0, 9, (k,), generator=g)) % 10
    seed_all(1)
    r = HFRun("hf-memorize", mlp([64, 512, 512, 10]), (Xtr[:n], y, Xva, yva), lr=3e-3, epochs=40,
              logging_steps=5, save_strategy="no", lr_lambda=lambda s: 1.0).train()
    r.write("steps/hf-memorize", checkpoints=False, results=False)
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    best = min(ev, key=lambda e: e["eval_loss"])
    check(ev[-1]["eval_loss"] > 1.8 * best["eval_loss"], "memorize: eval_loss rises")
    row("steps/hf-memorize/trainer_state.json",
        "MLP 64-512-512-10, no regularization, AdamW 3e-3 constant, on the first 150 training "
        "samples of which 30 carry a wrong label; 40 epochs of 10 steps, eval every epoch, logging_steps 5",
        "memorization: loss %s -> %s; eval_loss min %s at evaluation %d (step %d, epoch %g), "
        "then rises to %s at epoch 40; eval_accuracy max %s, last %s"
        % (tr[0]["loss"], tr[-1]["loss"], fmt(best["eval_loss"]), ev.index(best) + 1, best["step"],
           best["epoch"], fmt(ev[-1]["eval_loss"]), fmt(max(e["eval_accuracy"] for e in ev), 3),
           fmt(ev[-1]["eval_accuracy"], 3)),
        common_reader + "; expected: overfitting / divergence of the evaluation loss "
        "(eval_loss rising from evaluation %d)" % (ev.index(best) + 1))

    # -- evaluation every 20 steps, save every 100, plus a stale checkpoint -----
    seed_all(1)
    r = HFRun("hf-eval-steps", mlp([64, 128, 64, 10]), data, lr=3e-3, logging_steps=10,
              eval_strategy="steps", eval_steps=20, save_strategy="steps", save_steps=100,
              output_dir="hf-eval-steps").train()
    r.write("steps/hf-eval-steps", results=False)
    tr, ev = hf_train_entries(r), hf_eval_entries(r)
    seed_all(2)
    old = HFRun("hf-eval-steps-old", mlp([64, 128, 64, 10]), data, lr=1e-2, epochs=5,
                logging_steps=10, eval_strategy="steps", eval_steps=20, save_strategy="steps",
                save_steps=60, output_dir="hf-eval-steps")
    old.kill_at = 70
    old.train()
    write_text("steps/hf-eval-steps/checkpoint-60/trainer_state.json", old.checkpoints[60])
    ev12 = ev[11]
    row("steps/hf-eval-steps/trainer_state.json (+ checkpoint-{100,200,255}/)",
        "the same training as hf-healthy (same seed, model, lr 3e-3) logged with logging_steps 10, "
        "eval_strategy steps with eval_steps 20, save every 100 steps (and at the end); "
        "best_global_step 240 has no checkpoint, so best_model_checkpoint stays checkpoint-200 "
        "(as Trainer does)",
        "healthy; %d evaluations at steps 20, 40, ... 240, at fractional epochs (evaluation 12 = "
        "step %d, epoch %.2f); eval_loss %s -> %s, eval_accuracy %s -> %s"
        % (len(ev), ev12["step"], ev12["epoch"], fmt(ev[0]["eval_loss"]), fmt(ev[-1]["eval_loss"]),
           fmt(ev[0]["eval_accuracy"], 3), fmt(ev[-1]["eval_accuracy"], 3)),
        common_reader + "; evaluations reported as 'evaluation 12 (step 240, epoch 2.82)', "
        "never as epoch 12; expected: clean")
    row("steps/hf-eval-steps/checkpoint-60/trainer_state.json",
        "a snapshot left in the same output dir by an EARLIER run (AdamW 1e-2, 5 epochs, "
        "max_steps 425, save_steps 60) that was killed at step 70",
        "max_steps 425 vs 255 of the final state; its log_history is not a prefix of the final one",
        "folder audit of steps/hf-eval-steps/: two runs (the 255-step run and the 60-step "
        "snapshot of another run), said so; neither has a finding")
    RUNS["hf-eval-steps"] = r


# ============================================================================
# Lightning CSVLogger

def gen_lightning():
    data = digits_split()
    hp = {"batch_size": 32, "lr": 0.001}
    seed_all(2)
    r0 = LightningRun(mlp([64, 128, 64, 10]), data, lr=1e-3, epochs=15, log_every_n_steps=10,
                      scheduler=lambda o, T: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=3e-3, total_steps=T),
                      hparams=hp).train()
    r0.write("steps/lightning_logs/version_0")
    seed_all(2)
    r1 = LightningRun(mlp([64, 128, 64, 10]), data, lr=1e-3, epochs=20, log_every_n_steps=10,
                      scheduler=lambda o, T: torch.optim.lr_scheduler.ExponentialLR(o, 1.008),
                      hparams=hp).train()
    r1.write("steps/lightning_logs/version_1")
    seed_all(2)
    r2 = LightningRun(mlp([64, 128, 64, 10]), data, lr=1e-3, epochs=20, style="default",
                      lr_monitor=False, hparams=hp).train()
    r2.write("steps/lightning_logs/version_2")
    RUNS["lightning0"], RUNS["lightning1"], RUNS["lightning2"] = r0, r1, r2

    def parts(r):
        ep = [x for x in r.rows if "train_loss_epoch" in x]
        va = [x for x in r.rows if "val_loss" in x]
        st = [x for x in r.rows if "train_loss_step" in x or "train_loss" in x]
        lr = [x for x in r.rows if "lr-Adam" in x]
        return ep, va, st, lr

    ep, va, st, lr = parts(r0)
    vl = [x["val_loss"] for x in va]
    check(vl[-1] < 0.2 * vl[0], "lightning healthy")
    reader = "Lightning reading"
    row("steps/lightning_logs/version_0/metrics.csv (+ hparams.yaml)",
        "Lightning 2.x CSVLogger layout: digits MLP 64-128-64-10, Adam, OneCycleLR max 3e-3 stepped "
        "per batch, batch 32 (%d batches/epoch), 15 epochs, log_every_n_steps 10, "
        "`self.log('train_loss', on_step=True, on_epoch=True)`, `train_acc` on_epoch, "
        "`val_loss`/`val_acc` in validation_step, LearningRateMonitor(logging_interval='step')"
        % r0.batches_per_epoch,
        "healthy: %d rows (%d lr rows, %d step rows, %d validation rows, %d epoch rows); "
        "val_loss %s -> %s (min %s), val_acc %s -> %s; train_loss_epoch %s -> %s; lr-Adam %s -> "
        "peak %s -> %s"
        % (len(r0.rows), len(lr), len(st), len(va), len(ep), fmt(vl[0]), fmt(vl[-1]), fmt(min(vl)),
           fmt(va[0]["val_acc"], 3), fmt(va[-1]["val_acc"], 3), fmt(ep[0]["train_loss_epoch"]),
           fmt(ep[-1]["train_loss_epoch"]), fmt(lr[0]["lr-Adam"], 3),
           fmt(max(x["lr-Adam"] for x in lr), 3), fmt(lr[-1]["lr-Adam"], 3)),
        reader + "; expected: clean")

    ep, va, st, lr = parts(r1)
    vl = [x["val_loss"] for x in va]
    te = [x["train_loss_epoch"] for x in ep]
    ib = int(np.argmin(vl))
    it = int(np.argmin(te))
    check(te[-1] > 10 * min(te) and vl[-1] > 10 * min(vl), "lightning diverging")
    row("steps/lightning_logs/version_1/metrics.csv (+ hparams.yaml)",
        "as version_0 but ExponentialLR(gamma=1.008) stepped every batch (an LR range test left "
        "on): lr 1e-3 x1.008 per step, 20 epochs",
        "diverging: train_loss_epoch min %s (epoch %d) -> %s at epoch 19 (ln 10: chance); "
        "val_loss min %s (epoch %d), peak %s (epoch %d), last %s; val_acc %s -> %s; lr-Adam %s -> %s"
        % (fmt(min(te)), it, fmt(te[-1]), fmt(min(vl)), ib, fmt(max(vl)), int(np.argmax(vl)), fmt(vl[-1]),
           fmt(max(x["val_acc"] for x in va), 3), fmt(va[-1]["val_acc"], 3),
           fmt(lr[0]["lr-Adam"], 3), fmt(lr[-1]["lr-Adam"], 3)),
        reader + "; expected: divergence of the training loss (epoch and step series) and of "
        "val_loss; lr series rising")

    ep, va, st, lr = parts(r2)
    vl = [x["val_loss"] for x in va]
    sl = [x["train_loss"] for x in st]
    check(not ep and not lr, "default style: no epoch rows, no lr rows")
    epochs_with = sorted(set(x["epoch"] for x in st))
    row("steps/lightning_logs/version_2/metrics.csv (+ hparams.yaml)",
        "as version_0 logged the default way: `self.log('train_loss', loss)` in training_step "
        "(on_step only), default log_every_n_steps 50 with %d batches per epoch, Adam 1e-3 "
        "constant, 20 epochs, no LearningRateMonitor" % r2.batches_per_epoch,
        "healthy: val_loss %s -> %s, val_acc %s -> %s; the %d `train_loss` values are single "
        "batches every 50 steps (%s..%s, noisy), at epochs %s (none in the others)"
        % (fmt(vl[0]), fmt(vl[-1]), fmt(va[0]["val_acc"], 3), fmt(va[-1]["val_acc"], 3), len(sl),
           fmt(min(sl)), fmt(max(sl)), ",".join(str(e) for e in epochs_with)),
        "columns epoch, step, train_loss, val_acc, val_loss; `train_loss` is a step series (17 "
        "points), never one batch standing for an epoch; expected: clean (no false divergence "
        "from the single-batch values)")


# ============================================================================
# Keras CSVLogger resumed with initial_epoch

def keras_csv(rows, keys, header=True):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if header:
        w.writerow(["epoch"] + keys)
    for r in rows:
        w.writerow([r["epoch"]] + [repr(float(r[k])) if k in r else "NA" for k in keys])
    return buf.getvalue()


def gen_keras():
    data = digits_split()
    seed_all(3)
    model = mlp([64, 128, 64, 10])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g1 = torch.Generator().manual_seed(11)
    a = keras_sim.fit(model, opt, data, 10, gen=g1, lr_key="learning_rate")
    ckpt = (copy.deepcopy(model.state_dict()), copy.deepcopy(opt.state_dict()))
    b = keras_sim.fit(model, opt, data, 13, initial_epoch=10, gen=g1, lr_key="learning_rate")
    model2 = mlp([64, 128, 64, 10])
    model2.load_state_dict(ckpt[0])
    opt2 = torch.optim.Adam(model2.parameters(), lr=1e-3)
    opt2.load_state_dict(ckpt[1])
    g2 = torch.Generator().manual_seed(12)
    c = keras_sim.fit(model2, opt2, data, 25, initial_epoch=10, gen=g2, lr_key="learning_rate")
    keys = ["accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"]
    text = keras_csv(a + b, keys) + keras_csv(c, keys, header=False)
    write_text("steps/keras-resumed-initial-epoch.csv", text)
    vl = [r["val_loss"] for r in c]
    row("steps/keras-resumed-initial-epoch.csv",
        "Keras `fit` semantics (digits MLP, Adam 1e-3, batch 32) with `CSVLogger(append=True)` "
        "and a checkpoint after epoch index 9: the first process ran epochs 0-12 and died; the "
        "second loaded the checkpoint and ran `fit(initial_epoch=10, epochs=25)`, appending "
        "without a header",
        "one header; epochs 0..12 (lines 2-14), then 10..24 (lines 15-29): epochs 10, 11, 12 "
        "twice with different values (val_loss %s vs %s at epoch 10); healthy: val_loss %s -> %s, "
        "val_accuracy %s"
        % (fmt(b[0]["val_loss"]), fmt(c[0]["val_loss"]), fmt(a[0]["val_loss"]), fmt(vl[-1]),
           fmt(c[-1]["val_accuracy"], 3)),
        "axis: epoch; one run of 25 epochs (0..24): the fall to 10 > 0 is a continuation, the "
        "rows 10-12 of the first segment replaced by the newer ones, with a note; `learning_rate` "
        "lr; expected: clean")


# ============================================================================
# TensorBoard

HOST = "gen"


def torch_writer_file(events, start, pid=4242, uid=0):
    """Bytes of a torch.utils.tensorboard SummaryWriter file: first event
    file_version + source_metadata (tensorboard's EventFileWriter), then one
    Event per add_scalar (simple_value)."""
    out = [tfr.frame(tfr.event(start, file_version="brain.Event:2",
                               source_writer="tensorboard.summary.writer.event_file_writer"))]
    for ev in events:
        out.append(tfr.frame(ev))
    name = "events.out.tfevents.%010d.%s.%d.%d" % (int(start), HOST, pid, uid)
    return b"".join(out), name


def plain_torch_run(model, opt, data, epochs, clock, bs=32, seed=0):
    """A plain PyTorch script with SummaryWriter: Loss/train every step,
    Loss/val and Accuracy/val at the end of each epoch (global step)."""
    Xtr, ytr, Xva, yva = data
    g = torch.Generator().manual_seed(seed)
    n = len(Xtr)
    nb = math.ceil(n / bs)
    evs, pts = [], []
    step = 0
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=g)
        for b in range(nb):
            idx = perm[b * bs:(b + 1) * bs]
            loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            v = loss.item()
            evs.append(tfr.event(clock.tick(0.004), step, summary_values=[tfr.value_simple("Loss/train", v)]))
            pts.append(("Loss/train", step, v))
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = nn.functional.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        for tag, v in (("Loss/val", vl), ("Accuracy/val", va)):
            evs.append(tfr.event(clock.tick(0.001), step, summary_values=[tfr.value_simple(tag, v)]))
            pts.append((tag, step, v))
    return evs, pts


def keras_tensor_value(tag, x, metadata):
    t = tfr.tensor_proto(tfr.DT_FLOAT, content=struct.pack("<f", x))
    return tfr.value_tensor(tag, t, metadata)


def gen_tb():
    data = digits_split()

    # -- torch SummaryWriter, healthy, and its truncated / corrupted copies ---
    seed_all(4)
    clock = Clock(1709648407.25, 4)
    start = clock.t
    model = mlp([64, 128, 64, 10])
    evs, pts = plain_torch_run(model, torch.optim.Adam(model.parameters(), lr=1e-3), data, 15, clock)
    blob, name = torch_writer_file(evs, start, pid=31337)
    d = "tb/torch-healthy/runs/Mar05_14-20-07_gen/"
    write_bytes(d + name, blob)
    check(len(tfr.scalars(blob)) == len(pts), "torch file decodes")
    tl = [v for t, s, v in pts if t == "Loss/train"]
    vl = [v for t, s, v in pts if t == "Loss/val"]
    va = [v for t, s, v in pts if t == "Accuracy/val"]
    nrec = len(evs) + 1
    row(d + name,
        "plain PyTorch loop with `torch.utils.tensorboard.SummaryWriter` (default log dir "
        "runs/<date>_<host>): digits MLP, Adam 1e-3, batch 32, 15 epochs; `add_scalar('Loss/train', "
        "loss, global_step)` every step, `Loss/val` and `Accuracy/val` at each epoch end (same step "
        "counter); own encoder: file_version record + %d Event records, simple_value" % len(evs),
        "healthy: Loss/train %d points (steps 1..%d) %s -> %s; Loss/val %s -> %s; Accuracy/val %s -> %s"
        % (len(tl), len(tl), fmt(tl[0]), fmt(tl[-1]), fmt(vl[0]), fmt(vl[-1]), fmt(va[0], 3), fmt(va[-1], 3)),
        "one run (the log dir); axis step; `Loss/train` loss train (per step), `Loss/val` loss "
        "validation and `Accuracy/val` score validation (%d points each); all CRCs valid; expected: clean"
        % len(vl))
    # truncated: cut the file inside its last record
    recs = list(tfr.read_records(blob))
    last_off = recs[-1][0]
    cut = last_off + 12 + 5
    write_bytes("tb/torch-truncated/" + name, blob[:cut])
    row("tb/torch-truncated/" + name,
        "the torch-healthy file cut to %d bytes (of %d): the last record (offset %d) keeps its 12 "
        "header bytes and 5 of its payload bytes, as a file still being written"
        % (cut, len(blob), last_off),
        "%d complete records (file_version + %d scalars); the last Accuracy/val point (step %d) is "
        "missing" % (len(recs) - 1, len(recs) - 2, pts[-1][1]),
        "read up to offset %d with a note (partial last record); same series as torch-healthy minus "
        "that one point; expected: clean" % last_off)
    # bad CRC: flip one payload byte of record 100
    k = 100
    off = recs[k][0]
    b = bytearray(blob)
    b[off + 12 + 3] ^= 0x01
    write_bytes("tb/torch-badcrc/" + name, bytes(b))
    row("tb/torch-badcrc/" + name,
        "the torch-healthy file with one bit flipped in byte %d (payload byte 3 of record %d, "
        "which starts at offset %d)" % (off + 12 + 3, k, off),
        "the payload CRC of the record at offset %d no longer matches; the length CRC is intact"
        % off,
        "error naming byte offset %d (data CRC mismatch); never a silently shortened history" % off)

    # -- torch SummaryWriter, loss goes NaN -------------------------------------
    seed_all(6)
    clock = Clock(1709649011.5, 6)
    start = clock.t
    model = mlp([64, 128, 64, 10], act=nn.LeakyReLU)
    evs, pts = plain_torch_run(model, torch.optim.SGD(model.parameters(), lr=1.5), data, 10, clock, seed=6)
    blob, name = torch_writer_file(evs, start, pid=31338)
    d = "tb/torch-nan/runs/Mar05_14-30-11_gen/"
    write_bytes(d + name, blob)
    tl = [(s, v) for t, s, v in pts if t == "Loss/train"]
    firstnan = next(s for s, v in tl if not math.isfinite(v))
    vl = [(s, v) for t, s, v in pts if t == "Loss/val"]
    check(all(not math.isfinite(v) for s, v in tl[-50:]), "torch-nan ends NaN")
    finite = [v for s, v in tl if math.isfinite(v)]
    row(d + name,
        "the same script with a LeakyReLU MLP and SGD lr 1.5 (far too high), 10 epochs",
        "nan: Loss/train finite for steps 1..%d (%s, exploding to %s), NaN from step %d to the "
        "end (%d points, float32 NaN in simple_value); Loss/val %s, NaN from step %d"
        % (firstnan - 1, fmt(finite[0]), fmt(max(finite)), firstnan, len(tl),
           ", ".join(fmt(v) for s, v in vl if math.isfinite(v)),
           next(s for s, v in vl if not math.isfinite(v))),
        "axis step; Loss/train loss train, Loss/val loss validation, Accuracy/val score; "
        "expected: error NaN loss at step %d (training) and in Loss/val (exploding loss "
        "before it)" % firstnan)

    # -- Keras TensorBoard callback, v2: train/ and validation/ ------------------
    Xtr, ytr, Xva, yva = data
    n = 150
    y = ytr[:n].clone()
    g = torch.Generator().manual_seed(5)
    k = int(n * 0.2)
    idx = torch.randperm(n, generator=g)[:k]
    y[idx] = (y[idx] + 1 + torch.randint(0, 9, (k,), generator=g)) % 10
    seed_all(5)
    model = mlp([64, 256, 256, 10])
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    rows = keras_sim.fit(model, opt, (Xtr[:n], y, Xva, yva), 40, batch_size=16, seed=5,
                         lr_key="learning_rate")
    clock = Clock(1709648100.0, 5)
    t0 = clock.t
    md_first = tfr.summary_metadata("scalars", data_class=1)     # TB >= 2.3 style, first value only
    md_every = tfr.summary_metadata("scalars")                   # as in the real TF 2.x file
    graph_md = tfr.summary_metadata("graph_keras_model", content=b"1")
    keras_json = json.dumps({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "Dense", "config": {"units": 256}}, {"class_name": "Dense", "config": {"units": 256}},
        {"class_name": "Dense", "config": {"units": 10}}]}, "keras_version": "2.15.0", "backend": "tensorflow"})
    train = [tfr.frame(tfr.event(t0, file_version="brain.Event:2", source_writer="tensorflow.core.util.events_writer"))]
    train.append(tfr.frame(tfr.event(clock.tick(0.2), summary_values=[tfr.value_tensor(
        "keras", tfr.tensor_proto(tfr.DT_STRING, string_val=[keras_json.encode()]), graph_md)])))
    node = tfr.f_bytes(1, tfr.f_bytes(1, "x") + tfr.f_bytes(2, "Placeholder"))
    train.append(tfr.frame(tfr.event(clock.tick(0.1), graph_def=node)))
    val = [tfr.frame(tfr.event(t0 + 0.5, file_version="brain.Event:2", source_writer="tensorflow.core.util.events_writer"))]
    seen = set()
    w0 = model[0].weight.detach().numpy().astype(np.float64).ravel()
    for r in rows:
        e = r["epoch"]
        vt = clock.tick(0.3)
        for tag, v in (("evaluation_loss_vs_iterations", r["val_loss"]), ("evaluation_accuracy_vs_iterations", r["val_accuracy"])):
            val.append(tfr.frame(tfr.event(vt, r["iterations"], summary_values=[keras_tensor_value(tag, v, md_every)])))
        for tag, v in (("epoch_loss", r["val_loss"]), ("epoch_accuracy", r["val_accuracy"])):
            val.append(tfr.frame(tfr.event(vt, e, summary_values=[keras_tensor_value(tag, v, md_every)])))
        tt = clock.tick(0.05)
        for tag, v in (("epoch_loss", r["loss"]), ("epoch_accuracy", r["accuracy"]), ("epoch_learning_rate", r["learning_rate"])):
            md = md_first if tag not in seen else None
            seen.add(tag)
            train.append(tfr.frame(tfr.event(tt, e, summary_values=[keras_tensor_value(tag, v, md)])))
        # one weight histogram per epoch: a DT_DOUBLE [k, 3] tensor (left, right, count)
        hist, edges = np.histogram(w0 + 0.001 * e, bins=10)
        hrows = np.stack([edges[:-1], edges[1:], hist.astype(np.float64)], 1)
        ht = tfr.tensor_proto(tfr.DT_DOUBLE, content=hrows.astype("<f8").tobytes(), shape=(10, 3))
        train.append(tfr.frame(tfr.event(tt, e, summary_values=[tfr.value_tensor(
            "dense/kernel_0/histogram", ht, tfr.summary_metadata("histograms") if e == 0 else None)])))
    d = "tb/keras-overfit/logs/fit/20240305-141500/"
    tname = "events.out.tfevents.%d.%s.%d.0.v2" % (int(t0), HOST, 5151)
    vname = "events.out.tfevents.%d.%s.%d.1.v2" % (int(t0 + 0.5), HOST, 5151)
    write_bytes(d + "train/" + tname, b"".join(train))
    write_bytes(d + "validation/" + vname, b"".join(val))
    vls = [r["val_loss"] for r in rows]
    ib = int(np.argmin(vls))
    check(vls[-1] > 1.5 * min(vls), "keras tb overfit")
    row(d + "{train,validation}/events.out.tfevents.*.v2",
        "Keras `fit` semantics on 150 training samples, 30 of them with a wrong label (MLP "
        "64-256-256-10, Adam 3e-3, batch 16, 40 epochs) written as the Keras TensorBoard callback (TF 2.x) writes them: train/ file with "
        "the `keras` model-config record (DT_STRING tensor, plugin graph_keras_model), a graph_def "
        "record, `epoch_loss`/`epoch_accuracy`/`epoch_learning_rate` (DT_FLOAT rank-0 tensor, 4-byte "
        "tensor_content; `scalars` metadata with data_class 1 on each tag's FIRST value only) and a "
        "DT_DOUBLE [10,3] weight histogram per epoch; validation/ file with `epoch_loss`, "
        "`epoch_accuracy` (step = epoch) and `evaluation_loss_vs_iterations`, "
        "`evaluation_accuracy_vs_iterations` (step = iterations %d, %d, ...), metadata on EVERY "
        "value (as the real TF 2.x file in the corpus)" % (rows[0]["iterations"], rows[1]["iterations"]),
        "overfit: train epoch_loss %s -> %s, epoch_accuracy -> %s; validation epoch_loss min %s at "
        "epoch %d, then %s at epoch 39; validation epoch_accuracy max %s"
        % (fmt(rows[0]["loss"]), fmt(rows[-1]["loss"]), fmt(rows[-1]["accuracy"], 3), fmt(min(vls)), ib,
           fmt(vls[-1]), fmt(max(r["val_accuracy"] for r in rows), 3)),
        "one run = the log dir; axis epoch (step 0 is absent from the Event: proto3 default); the "
        "folder gives the split: train/epoch_loss = loss train, validation/epoch_loss = loss "
        "validation (same tag); epoch_accuracy score; epoch_learning_rate lr; the "
        "*_vs_iterations tags are the same validation values on the iteration axis; histogram, "
        "`keras` and graph_def records skipped; expected: overfitting (validation loss rising from "
        "epoch %d)" % ib)
    RUNS["keras-tb-rows"] = rows

    # -- scalar encodings: double_val, half_val, float_val, tensor_content f64 --
    seed_all(8)
    model = mlp([64, 128, 64, 10])
    rows = keras_sim.fit(model, torch.optim.Adam(model.parameters(), lr=1e-3), data, 12, seed=8)
    clock = Clock(1709650000.0, 8)
    t0 = clock.t
    out = [tfr.frame(tfr.event(t0, file_version="brain.Event:2",
                               source_writer="tensorboard.summary.writer.event_file_writer"))]
    md = tfr.summary_metadata("scalars")
    half_bits = []
    for r in rows:
        e = r["epoch"]
        t = clock.tick(0.5)
        hv = struct.unpack("<H", struct.pack("<e", r["val_loss"]))[0]
        half_bits.append(hv)
        vals = [
            tfr.value_tensor("loss", tfr.tensor_proto(tfr.DT_DOUBLE, double_val=[r["loss"]]), md if e == 0 else None),
            tfr.value_tensor("val_loss", tfr.tensor_proto(tfr.DT_HALF, half_val=[hv]), md if e == 0 else None),
            tfr.value_tensor("accuracy", tfr.tensor_proto(tfr.DT_FLOAT, float_val=[r["accuracy"]]), md),
            tfr.value_tensor("val_accuracy", tfr.tensor_proto(tfr.DT_DOUBLE, content=struct.pack("<d", r["val_accuracy"])), md if e == 0 else None),
        ]
        out.append(tfr.frame(tfr.event(t, e + 1, summary_values=vals)))
    blob = b"".join(out)
    name = "events.out.tfevents.%d.%s.%d.0" % (int(t0), HOST, 6262)
    write_bytes("tb/dtypes/" + name, blob)
    dec = tfr.scalars(blob)
    check(len(dec) == 4 * len(rows), "dtypes decode")
    vhalf = [v for s, w, t, v, enc, m in dec if t == "val_loss"]
    row("tb/dtypes/" + name,
        "Keras `fit` semantics, digits MLP, Adam 1e-3, 12 epochs, one Event per epoch (steps 1..12) "
        "holding four values, each scalar in another TensorProto encoding: `loss` DT_DOUBLE "
        "double_val (torch `add_scalar(new_style=True, double_precision=True)`), `val_loss` DT_HALF "
        "half_val (float16 bits in a packed int32), `accuracy` DT_FLOAT float_val (new_style), "
        "`val_accuracy` DT_DOUBLE 8-byte tensor_content; `scalars` metadata on the first value of "
        "each tag (on every value for `accuracy`)",
        "healthy: loss %s -> %s (float64), val_loss %s -> %s (float16: 0x%04x = %s at step 1), "
        "accuracy %s -> %s, val_accuracy %s -> %s"
        % (fmt(rows[0]["loss"]), fmt(rows[-1]["loss"]), fmt(rows[0]["val_loss"]), fmt(rows[-1]["val_loss"]),
           half_bits[0], repr(vhalf[0]), fmt(rows[0]["accuracy"], 3), fmt(rows[-1]["accuracy"], 3),
           fmt(rows[0]["val_accuracy"], 3), fmt(rows[-1]["val_accuracy"], 3)),
        "four series of 12 points on the step axis (loss train, loss validation, score train, "
        "score validation), decoded from all four encodings; expected: clean")

    # -- HF runs/<date>/ file of hf-healthy ---------------------------------------
    r = RUNS["hf-healthy"]
    start = r.clock_start
    out = [tfr.frame(tfr.event(start, file_version="brain.Event:2",
                               source_writer="tensorboard.summary.writer.event_file_writer"))]
    args_json = json.dumps({"output_dir": "hf-healthy", "eval_strategy": "epoch", "learning_rate": 0.003,
                            "per_device_train_batch_size": 16, "num_train_epochs": 3, "logging_steps": 5,
                            "save_strategy": "epoch", "metric_for_best_model": "loss", "fp16": False,
                            "max_grad_norm": 1.0, "seed": 42, "report_to": ["tensorboard"]}, indent=2)
    text_md = tfr.summary_metadata("text")
    out.append(tfr.frame(tfr.event(start + 0.01, summary_values=[tfr.value_tensor(
        "args/text_summary", tfr.tensor_proto(tfr.DT_STRING, string_val=[args_json.encode()], shape=(1,)), text_md)])))
    ntags = {}
    for entry, t in zip(r.state["log_history"], r.log_times):
        gs = entry["step"]
        for k, v in entry.items():
            if k == "step":
                continue
            tag = "eval/" + k[5:] if k.startswith("eval_") else "train/" + k
            out.append(tfr.frame(tfr.event(t, gs, summary_values=[tfr.value_simple(tag, float(v))])))
            ntags[tag] = ntags.get(tag, 0) + 1
    blob = b"".join(out)
    d = "tb/hf-runs/runs/Mar05_14-03-11_gen/"
    name = "events.out.tfevents.%d.%s.%d.0" % (int(start), HOST, 4242)
    write_bytes(d + name, blob)
    row(d + name,
        "the hf-healthy run as HF's TensorBoardCallback writes it (torch SummaryWriter): "
        "`args/text_summary` text record first, then every log_history entry through "
        "`rewrite_logs` (`eval_x` -> `eval/x`, others -> `train/x`), one Event per key at "
        "global_step, simple_value",
        "same numbers as steps/hf-healthy/trainer_state.json: %s; `train/epoch` repeats steps "
        "85, 170, 255 (a train, an eval and at 255 the summary entry share the step)"
        % ", ".join("%s=%d" % kv for kv in ntags.items()),
        "axis step; train/loss loss train (%d), train/grad_norm grad norm, train/learning_rate lr, "
        "train/epoch other (the epoch coordinate), eval/loss loss validation (3), eval/accuracy "
        "score validation, eval/runtime etc. other; the single-point train/train_* and "
        "train/total_flos are the summary; text record skipped; expected: clean" % ntags["train/loss"])


# ============================================================================
# YOLO results.csv

def yolo_v5_csv(rows, extra_keys=None):
    keys = ["train/box_loss", "train/obj_loss", "train/cls_loss", "metrics/precision", "metrics/recall",
            "metrics/mAP_0.5", "metrics/mAP_0.5:0.95", "val/box_loss", "val/obj_loss", "val/cls_loss",
            "x/lr0", "x/lr1", "x/lr2"]
    n = len(keys) + 1
    s = ("%20s," * n % tuple(["epoch"] + keys)).rstrip(",") + "\n"
    for r in rows:
        vals = r["train"] + [r["P"], r["R"], r["mAP50"], r["mAP50-95"]] + r["val"] + r["lr"]
        s += ("%20.5g," * n % tuple([r["epoch"]] + vals)).rstrip(",") + "\n"
    return s


def yolo_v8_csv(rows):
    keys = ["train/box_loss", "train/cls_loss", "train/dfl_loss", "metrics/precision(B)", "metrics/recall(B)",
            "metrics/mAP50(B)", "metrics/mAP50-95(B)", "val/box_loss", "val/cls_loss", "val/dfl_loss",
            "lr/pg0", "lr/pg1", "lr/pg2"]
    n = len(keys) + 2
    s = ("%s," * n % tuple(["epoch", "time"] + keys)).rstrip(",") + "\n"
    for r in rows:
        vals = r["train"] + [r["P"], r["R"], r["mAP50"], r["mAP50-95"]] + r["val"] + r["lr"]
        s += ("%.6g," * n % tuple([r["epoch"] + 1, r["time"]] + vals)).rstrip(",") + "\n"
    return s


def gen_yolo():
    yreader = "YOLO reading"
    rows = yolo_sim.train("v5", 60, n_train=250, lr0=0.02, batch_size=32, seed=0)
    write_text("yolo/v5-overfit/results.csv", yolo_v5_csv(rows))
    vc = [r["val"][2] for r in rows]
    tc = [r["train"][2] for r in rows]
    ib = int(np.argmin(vc))
    check(vc[-1] > 1.5 * min(vc) and tc[-1] < 0.01, "yolo v5 overfit")
    row("yolo/v5-overfit/results.csv",
        "a real single-object detector (yolo_sim.py: digits on a 16x16 canvas, MLP with "
        "BatchNorm, YOLOv5-style box/obj/cls losses and gains) trained on 250 images for 60 epochs, "
        "SGD lr0 0.02 nesterov, YOLOv5 warm-up and linear lr, batch 32; written with YOLOv5's "
        "`'%20s,'` header and `'%20.5g,'` rows, epoch 0-based",
        "overfit: train/cls_loss %s -> %s; val/cls_loss min %s at epoch %d -> %s at epoch 59; "
        "metrics/mAP_0.5 %s -> %s (max %s) while the validation loss rises; x/lr0 %s (warm-up bias "
        "lr) -> %s"
        % (fmt(tc[0]), fmt(tc[-1]), fmt(min(vc)), ib, fmt(vc[-1]), fmt(rows[0]["mAP50"], 3),
           fmt(rows[-1]["mAP50"], 3), fmt(max(r["mAP50"] for r in rows), 3), fmt(rows[0]["lr"][0], 3),
           fmt(rows[-1]["lr"][0], 3)),
        yreader + "; expected: overfitting: val/cls_loss rising from epoch %d while "
        "train/cls_loss falls (the scores still creep up, as in the DNABERT-2 corpus file)" % ib)

    rows = yolo_sim.train("v5", 10, lr0=2.0, batch_size=32, seed=0)
    write_text("yolo/v5-exploding/results.csv", yolo_v5_csv(rows))
    ob = [r["train"][1] for r in rows]
    check(max(ob) > 1e5, "yolo v5 exploding")
    row("yolo/v5-exploding/results.csv",
        "the same detector on all 1400 training images, 10 epochs, SGD lr0 2.0 (200x the default "
        "0.01), no gradient clipping (as YOLOv5)",
        "exploding: train/obj_loss %s (epoch 0), %s (epoch 1), then %s; val/obj_loss up to %s; "
        "mAP_0.5 <= %s at every epoch (failed run)"
        % (fmt(ob[0]), fmt(ob[1]), ", ".join(fmt(v) for v in ob[2:]), fmt(max(r["val"][1] for r in rows)),
           fmt(max(r["mAP50"] for r in rows), 2)),
        yreader + "; values such as `5.746e+06` (%20.5g); expected: exploding loss (error) and "
        "scores near zero")

    clock = Clock(1709651000.0, 9)
    rows = yolo_sim.train("v8", 25, optimizer="AdamW", lr0=0.002, momentum=0.9, batch_size=32,
                          seed=0, clock=clock)
    write_text("yolo/v8-healthy/results.csv", yolo_v8_csv(rows))
    m = [r["mAP50"] for r in rows]
    check(m[-1] > 5 * m[0], "yolo v8 healthy")
    row("yolo/v8-healthy/results.csv",
        "the detector with a YOLOv8-style head (4 sides x 8-bin DFL distributions, BCE classes, no "
        "objectness; box gain 7.5, cls 0.5, dfl 1.5) on 1400 images, AdamW lr0 0.002, 25 epochs, "
        "v8 warm-up; written as ultralytics' `save_metrics` (`%s,` header, `%.6g,` rows, epoch "
        "1-based, cumulative `time` seconds from the fake clock)",
        "healthy: train/box_loss %s -> %s, val/box_loss %s -> %s, val/cls_loss %s -> %s; "
        "metrics/mAP50(B) %s -> %s, mAP50-95(B) %s -> %s"
        % (fmt(rows[0]["train"][0]), fmt(rows[-1]["train"][0]), fmt(rows[0]["val"][0]), fmt(rows[-1]["val"][0]),
           fmt(rows[0]["val"][1]), fmt(rows[-1]["val"][1]), fmt(m[0], 3), fmt(m[-1], 3),
           fmt(rows[0]["mAP50-95"], 3), fmt(rows[-1]["mAP50-95"], 3)),
        yreader + "; expected: clean")


# ============================================================================
# MLflow

def yaml_meta(d):
    """yaml.safe_dump(d, default_flow_style=False) for the flat dicts MLflow writes."""
    out = []
    for k in sorted(d):
        v = d[k]
        if v is None:
            s = "null"
        elif isinstance(v, bool):
            s = "true" if v else "false"
        elif isinstance(v, int):
            s = str(v)
        elif isinstance(v, list):
            s = "[]"
        elif v == "" or v.isdigit():
            s = "'%s'" % v
        else:
            s = v
        out.append("%s: %s\n" % (k, s))
    return "".join(out)


def keras_runs_for_mlflow():
    data = digits_split()
    seed_all(9)
    m1 = mlp([64, 128, 64, 10])
    a = keras_sim.fit(m1, torch.optim.Adam(m1.parameters(), lr=1e-3), data, 20, seed=9, lr_key="lr")
    seed_all(6)
    m2 = mlp([64, 128, 64, 10], act=nn.LeakyReLU)
    b = keras_sim.fit(m2, torch.optim.SGD(m2.parameters(), lr=1.5), data, 20, seed=6, lr_key="lr")
    return a, b


def gen_mlflow():
    a, b = keras_runs_for_mlflow()
    rnd = random.Random(77)
    hexid = lambda: "%032x" % rnd.getrandbits(128)
    root = "/home/gen/digits/mlruns"
    exp_id = "%d" % (rnd.getrandbits(59) | (1 << 58))
    clock = Clock(1709652000.0, 10)
    ms = lambda: int(round(clock.t * 1000))
    write_text("mlflow/mlruns/0/meta.yaml", yaml_meta({
        "artifact_location": "file://%s/0" % root, "creation_time": ms(), "experiment_id": "0",
        "last_update_time": ms(), "lifecycle_stage": "active", "name": "Default"}))
    write_text("mlflow/mlruns/%s/meta.yaml" % exp_id, yaml_meta({
        "artifact_location": "file://%s/%s" % (root, exp_id), "creation_time": ms(),
        "experiment_id": exp_id, "last_update_time": ms(), "lifecycle_stage": "active",
        "name": "digits-mlp"}))
    names = {"loss": "train/loss", "accuracy": "train/accuracy", "val_loss": "val/loss",
             "val_accuracy": "val/accuracy", "lr": "lr"}
    runinfo = []
    for rows, run_name, opt, lr in ((a, "adam-1e-3", "Adam", 0.001), (b, "sgd-1.5", "SGD", 1.5)):
        rid = hexid()
        d = "mlflow/mlruns/%s/%s/" % (exp_id, rid)
        start = ms()
        lines = {}
        for r in rows:
            clock.tick(0.6)
            ts = ms()
            for k, key in names.items():
                lines.setdefault(key, []).append("%d %s %d\n" % (ts, repr(float(r[k])), r["epoch"]))
        for key, ls in lines.items():
            write_text(d + "metrics/" + key, "".join(ls))
        end = ms()
        for p, v in (("lr", str(lr)), ("batch_size", "32"), ("epochs", "20"), ("optimizer", opt)):
            write_text(d + "params/" + p, v)
        for t, v in (("mlflow.runName", run_name), ("mlflow.source.name", "train.py"),
                     ("mlflow.source.type", "LOCAL"), ("mlflow.user", "gen")):
            write_text(d + "tags/" + t, v)
        write_text(d + "meta.yaml", yaml_meta({
            "artifact_uri": "file://%s/%s/%s/artifacts" % (root, exp_id, rid), "end_time": end,
            "entry_point_name": "", "experiment_id": exp_id, "lifecycle_stage": "active",
            "run_id": rid, "run_name": run_name, "source_name": "", "source_type": 4,
            "source_version": "", "start_time": start, "status": 3, "tags": [], "user_id": "gen"}))
        runinfo.append((rid, run_name, rows))
    va = [r["val_loss"] for r in a]
    firstnan = next(r["epoch"] for r in b if not math.isfinite(r["loss"]))
    row("mlflow/mlruns/ (experiment %s, runs %s and %s)" % (exp_id, runinfo[0][0][:8], runinfo[1][0][:8]),
        "a PyTorch script logging with `mlflow.log_metrics({...}, step=epoch)` after each epoch "
        "(Keras `fit` semantics, digits MLP, 20 epochs) into a file store: run `adam-1e-3` (Adam "
        "1e-3) and run `sgd-1.5` (LeakyReLU MLP, SGD lr 1.5); keys `train/loss`, `train/accuracy`, "
        "`val/loss`, `val/accuracy` (nested folders) and `lr`; params, tags, meta.yaml "
        "(status 3 = FINISHED), experiment meta.yaml, and the empty Default experiment 0",
        "run adam-1e-3 healthy: val/loss %s -> %s, val/accuracy -> %s; run sgd-1.5: `nan` lines from "
        "epoch %d (step %d) in train/loss and val/loss, train/accuracy ~0.1 after"
        % (fmt(va[0]), fmt(va[-1]), fmt(a[-1]["val_accuracy"], 3), firstnan, firstnan),
        "two runs (names from meta.yaml run_name / tags mlflow.runName), axis step (= epoch "
        "here); series names are the paths under metrics/ (`train/loss` loss train, `val/loss` "
        "loss validation, `*/accuracy` score, `lr` lr); expected: adam-1e-3 clean; sgd-1.5 error "
        "NaN loss at step %d" % firstnan)

    # -- SQLite store with the same two runs, autolog-style key names ------------
    path = os.path.join(TESTDATA, "mlflow/mlflow.db")
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    con.executescript(MLFLOW_SCHEMA)
    con.execute("INSERT INTO alembic_version VALUES ('1bd49d398cd23')")
    clock = Clock(1709653000.0, 11)
    ms = lambda: int(round(clock.t * 1000))
    con.execute("INSERT INTO experiments VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', ?, ?)", (ms(), ms()))
    con.execute("INSERT INTO experiments VALUES (1, 'digits-keras', 'mlflow-artifacts:/1', 'active', ?, ?)", (ms(), ms()))
    sql_runs = []
    for rows, run_name, opt, lr in ((a, "gentle-owl-417", "Adam", 0.001), (b, "brisk-fox-602", "SGD", 1.5)):
        rid = hexid()
        start = ms()
        latest = {}
        nnan = 0
        for r in rows:
            clock.tick(0.6)
            ts = ms()
            for k in ("loss", "accuracy", "val_loss", "val_accuracy"):
                v = float(r[k])
                is_nan = math.isnan(v)
                nnan += is_nan
                sv = 0.0 if is_nan else (math.copysign(1.7976931348623157e308, v) if math.isinf(v) else v)
                con.execute("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?,?,?,?,?,?)",
                            (k, sv, ts, rid, r["epoch"], int(is_nan)))
                latest[k] = (k, sv, ts, r["epoch"], int(is_nan), rid)
        for v in latest.values():
            con.execute("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?,?,?,?,?,?)", v)
        con.execute("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, "
                    "start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (rid, run_name, "UNKNOWN", "", "", "gen", "FINISHED", start, ms(), "", "active",
                     "mlflow-artifacts:/1/%s/artifacts" % rid, 1, None))
        for p, v in (("lr", str(lr)), ("batch_size", "32"), ("epochs", "20"), ("optimizer", opt)):
            con.execute("INSERT INTO params VALUES (?,?,?)", (p, v, rid))
        for t, v in (("mlflow.runName", run_name), ("mlflow.user", "gen"), ("mlflow.source.name", "train.py"),
                     ("mlflow.source.type", "LOCAL")):
            con.execute("INSERT INTO tags VALUES (?,?,?)", (t, v, rid))
        sql_runs.append((rid, run_name, nnan))
    con.commit()
    con.execute("VACUUM")
    con.close()
    row("mlflow/mlflow.db",
        "the same two trainings logged to a SQLite tracking store (Python sqlite3; the CREATE "
        "TABLE statements of experiments, runs, metrics, latest_metrics, params, tags, "
        "experiment_tags, alembic_version copied from the real corpus mlflow.db, alembic "
        "1bd49d398cd23), autolog-style keys `loss`, `accuracy`, `val_loss`, `val_accuracy` per "
        "epoch step; NaN stored as value 0 with is_nan 1 (sqlalchemy_store)",
        "run %s (%s) healthy as above; run %s (%s): %d metric rows with is_nan = 1 (loss and "
        "val_loss from step %d)" % (sql_runs[0][1], sql_runs[0][0][:8], sql_runs[1][1], sql_runs[1][0][:8],
                                     sql_runs[1][2], firstnan),
        "opened read-only; two runs (names from runs.name), one series per metrics.key; "
        "is_nan = 1 read as NaN, never 0; expected: gentle-owl-417 clean, brisk-fox-602 error NaN "
        "loss at step %d" % firstnan)


MLFLOW_SCHEMA = """
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE experiments (
	experiment_id INTEGER NOT NULL, 
	name VARCHAR(256) NOT NULL, 
	artifact_location VARCHAR(256), 
	lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT, 
	CONSTRAINT experiment_pk PRIMARY KEY (experiment_id), 
	CONSTRAINT experiments_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')), 
	UNIQUE (name)
);
CREATE TABLE experiment_tags (
	"key" VARCHAR(250) NOT NULL, 
	value VARCHAR(5000), 
	experiment_id INTEGER NOT NULL, 
	CONSTRAINT experiment_tag_pk PRIMARY KEY ("key", experiment_id), 
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id)
);
CREATE TABLE "runs" (
	run_uuid VARCHAR(32) NOT NULL, 
	name VARCHAR(250), 
	source_type VARCHAR(20), 
	source_name VARCHAR(500), 
	entry_point_name VARCHAR(50), 
	user_id VARCHAR(256), 
	status VARCHAR(9), 
	start_time BIGINT, 
	end_time BIGINT, 
	source_version VARCHAR(50), 
	lifecycle_stage VARCHAR(20), 
	artifact_uri VARCHAR(200), 
	experiment_id INTEGER, deleted_time BIGINT, 
	CONSTRAINT run_pk PRIMARY KEY (run_uuid), 
	CONSTRAINT runs_lifecycle_stage CHECK (lifecycle_stage IN ('active', 'deleted')), 
	CONSTRAINT source_type CHECK (source_type IN ('NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT')), 
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id), 
	CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED'))
);
CREATE TABLE "latest_metrics" (
	"key" VARCHAR(250) NOT NULL, 
	value FLOAT NOT NULL, 
	timestamp BIGINT, 
	step BIGINT NOT NULL, 
	is_nan BOOLEAN NOT NULL, 
	run_uuid VARCHAR(32) NOT NULL, 
	CONSTRAINT latest_metric_pk PRIMARY KEY ("key", run_uuid), 
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid), 
	CHECK (is_nan IN (0, 1))
);
CREATE TABLE "metrics" (
	"key" VARCHAR(250) NOT NULL, 
	value FLOAT NOT NULL, 
	timestamp BIGINT NOT NULL, 
	run_uuid VARCHAR(32) NOT NULL, 
	step BIGINT DEFAULT '0' NOT NULL, 
	is_nan BOOLEAN DEFAULT '0' NOT NULL, 
	CONSTRAINT metric_pk PRIMARY KEY ("key", timestamp, step, run_uuid, value, is_nan), 
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid), 
	CHECK (is_nan IN (0, 1))
);
CREATE TABLE "params" (
	"key" VARCHAR(250) NOT NULL, 
	value VARCHAR(8000) NOT NULL, 
	run_uuid VARCHAR(32) NOT NULL, 
	CONSTRAINT param_pk PRIMARY KEY ("key", run_uuid), 
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
);
CREATE TABLE "tags" (
	"key" VARCHAR(250) NOT NULL, 
	value VARCHAR(8000), 
	run_uuid VARCHAR(32) NOT NULL, 
	CONSTRAINT tag_pk PRIMARY KEY ("key", run_uuid), 
	FOREIGN KEY(run_uuid) REFERENCES runs (run_uuid)
);
"""


# ============================================================================
# W&B

def gen_wandb():
    ra, rb = RUNS["hf-healthy"], RUNS["hf-fp16-isolated"]
    na, nb = "dashing-sun-3", "rosy-haze-4"
    sa = {e["step"]: e["loss"] for e in ra.state["log_history"] if "loss" in e}
    sb = {e["step"]: e["loss"] for e in rb.state["log_history"] if "loss" in e}
    steps = sorted(set(sa) | set(sb))
    cols = ["Step"]
    for n in (na, nb):
        cols += ["%s - train/loss" % n, "%s - train/loss__MIN" % n, "%s - train/loss__MAX" % n]
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(cols)
    for s in steps:
        cells = [s]
        for src in (sa, sb):
            v = src.get(s)
            cells += [v, v, v] if v is not None else ["", "", ""]
        w.writerow(cells)
    name = "wandb/wandb_export_2024-03-05T14_40_12.318+01_00.csv"
    write_text(name, buf.getvalue())
    row(name,
        "the W&B line-plot panel 'train/loss' exported with 'Export CSV' for two runs: "
        "`dashing-sun-3` = steps/hf-healthy (logged every 5 steps to 255) and `rosy-haze-4` = "
        "steps/hf-fp16-isolated (every step to 170); every cell quoted, empty `\"\"` where a run has "
        "no point at that step; __MIN/__MAX equal the value (no down-sampling)",
        "%d rows (union of the steps); dashing-sun-3 %s -> %s, rosy-haze-4 %s -> %s"
        % (len(steps), sa[5], sa[255], sb[1], sb[170]),
        "two runs (one per `<run> - ` prefix), axis step (`Step`), series `train/loss` (loss, "
        "train) of %d and %d points, __MIN/__MAX columns skipped; expected: both clean "
        "(rosy-haze-4's grad_norm is not in this export)" % (len(sa), len(sb)))
    # the offline run folder's summary of dashing-sun-3
    last_train = [e for e in ra.state["log_history"] if "loss" in e][-1]
    last_eval = [e for e in ra.state["log_history"] if "eval_loss" in e][-1]
    summ = ra.state["log_history"][-1]
    rt = ra.log_times[-1] - ra.clock_start
    s = {"train/loss": last_train["loss"], "train/grad_norm": last_train["grad_norm"],
         "train/learning_rate": last_train["learning_rate"], "train/epoch": summ["epoch"],
         "train/global_step": summ["step"], "eval/loss": last_eval["eval_loss"],
         "eval/accuracy": last_eval["eval_accuracy"], "eval/runtime": last_eval["eval_runtime"],
         "eval/samples_per_second": last_eval["eval_samples_per_second"],
         "eval/steps_per_second": last_eval["eval_steps_per_second"],
         "_timestamp": ra.log_times[-1], "_runtime": rt + 1.7, "_step": len(ra.state["log_history"]) - 1,
         "train_runtime": summ["train_runtime"], "train_samples_per_second": summ["train_samples_per_second"],
         "train_steps_per_second": summ["train_steps_per_second"], "total_flos": summ["total_flos"],
         "train_loss": summ["train_loss"], "_wandb": {"runtime": int(rt + 1.7)}}
    p = "wandb/wandb/run-20240305_140311-k3x9q2ab/files/wandb-summary.json"
    write_text(p, json.dumps(s))
    row(p,
        "the `wandb-summary.json` W&B writes into an offline run folder (one JSON line, last value "
        "of each key) for dashing-sun-3 = hf-healthy",
        "last values only: train/loss %s, eval/loss %s, _step %d" % (s["train/loss"], fmt(s["eval/loss"]), s["_step"]),
        "a summary, not a history: skipped in a folder audit (--verbose lists it); named "
        "explicitly: exit 2 saying what it is")


# ============================================================================
# broken-but-real files

def plain_epoch_run(epochs, seed, lr=1e-3, test_split=False, top_k=False, batch_size=32):
    data = digits_split()
    Xtr, ytr, Xva, yva = data
    if test_split:
        data = (Xtr, ytr, Xva[:225], yva[:225])
    seed_all(seed)
    m = mlp([64, 128, 64, 10])
    rows = keras_sim.fit(m, torch.optim.Adam(m.parameters(), lr=lr), data, epochs, seed=seed,
                         lr_key="lr", top_k=top_k, batch_size=batch_size)
    test_acc = None
    if test_split:
        with torch.no_grad():
            m.eval()
            test_acc = (m(Xva[225:]).argmax(1) == yva[225:]).float().mean().item()
    return rows, test_acc


def gen_broken():
    # one 20-epoch run (seed 21) feeds the CSV/console variants below
    base, _ = plain_epoch_run(20, 21, top_k=True)
    # quoted header (QUOTE_ALL) ---------------------------------------------
    rows = base
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for r in rows:
        w.writerow([r["epoch"] + 1, r["loss"], r["accuracy"], r["val_loss"], r["val_accuracy"]])
    write_text("formats-real/quoted-all.csv", buf.getvalue())
    vl = [r["val_loss"] for r in rows]
    row("formats-real/quoted-all.csv",
        "a PyTorch loop (Keras `fit` semantics, digits MLP, Adam 1e-3, 20 epochs) saved with "
        "`csv.writer(f, quoting=csv.QUOTE_ALL)`: every field quoted, numbers too, `\\r\\n`",
        "healthy: val_loss %s -> %s, val_acc %s -> %s; epochs 1..20" % (
            fmt(vl[0]), fmt(vl[-1]), fmt(rows[0]["val_accuracy"], 3), fmt(rows[-1]["val_accuracy"], 3)),
        "a CSV (not JSON); axis epoch 1-based; train_loss/val_loss loss, *_acc score; expected: clean")
    # R write.csv ------------------------------------------------------------
    s = '"","epoch","loss","acc","val_loss","val_acc"\n'
    for i, r in enumerate(rows):
        s += '"%d",%d,%s,%s,%s,%s\n' % (i + 1, r["epoch"] + 1, "%.15g" % r["loss"], "%.15g" % r["accuracy"],
                                         "%.15g" % r["val_loss"], "%.15g" % r["val_accuracy"])
    write_text("formats-real/r-write-csv.csv", s)
    row("formats-real/r-write-csv.csv",
        "the same history as R's `write.csv(df, 'history.csv')` writes it: quoted header with an "
        "empty first name (row names), quoted row names, unquoted numbers (15 significant digits)",
        "same numbers as quoted-all.csv",
        "first column = row index (skipped), `epoch` the axis; expected: clean")

    # UTF-16LE with BOM: Keras verbose=2 console captured with PowerShell '>' --
    rows = base
    lines = []
    for r in rows:
        lines.append("Epoch %d/20" % (r["epoch"] + 1))
        lines.append("43/43 - 0s - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f - "
                     "%dms/epoch - %dms/step" % (r["loss"], r["accuracy"], r["val_loss"], r["val_accuracy"],
                                                  180 + 7 * (r["epoch"] % 3), 4 + r["epoch"] % 2))
    text = "\r\n".join(lines) + "\r\n"
    write_bytes("formats-real/powershell-utf16.log", b"\xff\xfe" + text.encode("utf-16-le"))
    row("formats-real/powershell-utf16.log",
        "a Keras `fit(verbose=2)` console (tf.keras 2.x line format) of the quoted-all.csv run, "
        "captured by Windows PowerShell 5.1 `python train.py > train.log`: "
        "UTF-16LE with BOM FF FE, CRLF",
        "healthy: loss %.4f -> %.4f, val_loss %.4f -> %.4f, val_accuracy %.4f -> %.4f"
        % (rows[0]["loss"], rows[-1]["loss"], rows[0]["val_loss"], rows[-1]["val_loss"],
           rows[0]["val_accuracy"], rows[-1]["val_accuracy"]),
        "decoded from UTF-16 (not refused); console log, axis epoch 1..20; expected: clean")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["epoch", "loss", "accuracy", "val_loss", "val_accuracy"])
    for r in rows:
        w.writerow([r["epoch"], r["loss"], r["accuracy"], r["val_loss"], r["val_accuracy"]])
    write_bytes("formats-real/powershell-utf16.csv", b"\xff\xfe" + buf.getvalue().encode("utf-16-le"))
    row("formats-real/powershell-utf16.csv",
        "the same history printed as CSV by a script and redirected with PowerShell `>`: UTF-16LE "
        "with BOM, CRLF",
        "same numbers as powershell-utf16.log (epochs 0..19)",
        "decoded; a CSV with epoch 0-based; expected: clean")

    # Excel's sep=, hint line -------------------------------------------------
    rows = base
    s = "sep=,\r\nepoch,loss,accuracy,val_loss,val_accuracy\r\n"
    for r in rows:
        s += "%d,%s,%s,%s,%s\r\n" % (r["epoch"] + 1, "%.15g" % r["loss"], "%.15g" % r["accuracy"],
                                      "%.15g" % r["val_loss"], "%.15g" % r["val_accuracy"])
    write_text("formats-real/excel-sep-line.csv", s)
    row("formats-real/excel-sep-line.csv",
        "a history saved from Excel with the `sep=,` hint line that makes Excel split on commas, "
        "CRLF, 15-digit numbers (the quoted-all.csv run)",
        "healthy: val_loss %s -> %s" % (fmt(rows[0]["val_loss"]), fmt(rows[-1]["val_loss"])),
        "line 1 `sep=,` skipped with a note, header on line 2; axis epoch 1..20; expected: clean")

    # '@' and '=' in column names ---------------------------------------------
    rows = base
    s = "epoch,loss,lr,val_loss,val_Acc@1,val_Acc@5,val_recall@k=3\n"
    for r in rows:
        s += "%d,%s,%s,%s,%s,%s,%s\n" % (r["epoch"], repr(r["loss"]), repr(r["lr"]), repr(r["val_loss"]),
                                         repr(r["val_top1"]), repr(r["val_top5"]), repr(r["val_top3"]))
    write_text("formats-real/at-equals-names.csv", s)
    row("formats-real/at-equals-names.csv",
        "a PyTorch loop logging top-k accuracies under torchvision-reference names (`Acc@1`, "
        "`Acc@5`) and a `recall@k=3` column (the quoted-all.csv run)",
        "healthy: val_Acc@1 %s -> %s, val_Acc@5 %s -> %s"
        % (fmt(rows[0]["val_top1"], 3), fmt(rows[-1]["val_top1"], 3), fmt(rows[0]["val_top5"], 3),
           fmt(rows[-1]["val_top5"], 3)),
        "names with `@` and `=` are ordinary columns: val_Acc@1, val_Acc@5, val_recall@k=3 scores "
        "(validation), loss/val_loss loss, lr lr; expected: clean")

    # json.dump cut short by a crash -----------------------------------------------
    rows, _ = plain_epoch_run(80, 25, batch_size=128)
    h = keras_sim.history(rows, ["loss", "accuracy", "val_loss", "val_accuracy", "lr"])
    full = json.dumps(h, indent=4)
    cut = full[:8192]
    write_text("formats-real/history-cut.json", cut)
    nl = cut.count("\n") + 1
    last_line = cut.split("\n")[-1]
    complete = [k for k in h if full.index('"%s"' % k) < 8192 and
                full.index("]", full.index('"%s"' % k)) < 8192]
    partial = [k for k in h if k not in complete and full.index('"%s"' % k) < 8192]
    npartial = cut[cut.index('"%s"' % partial[0]):].count(",") if partial else 0
    row("formats-real/history-cut.json",
        "`json.dump(history.history, f, indent=4)` of an 80-epoch run (digits MLP, Adam 1e-3, batch 128) whose "
        "process was killed: the file holds the first 8192 bytes (one flushed buffer) of %d"
        % len(full),
        "ends on line %d inside the `%s` list (`%s`); complete lists: %s (80 values each); `%s` has "
        "%d complete values; %s absent"
        % (nl, partial[0], last_line.strip(), ", ".join(complete), partial[0], npartial,
           ", ".join(k for k in h if k not in complete and k not in partial) or "nothing"),
        "the complete lists read (80 epochs of %s) with a warning naming line %d; the cut list "
        "kept only if the reader documents it (its complete values); expected: healthy run, no "
        "other finding" % (", ".join(complete), nl))

    # history nested under one key ---------------------------------------------
    rows = base
    h = keras_sim.history(rows, ["loss", "accuracy", "val_loss", "val_accuracy"])
    write_text("formats-real/history-nested.json", json.dumps({"0": h}))
    row("formats-real/history-nested.json",
        "k-fold code that stores `histories[str(fold)] = history.history` and dumps the dict "
        "after the first (only) fold: `{\"0\": {\"loss\": [...], ...}}` (the quoted-all.csv run, 20 epochs)",
        "healthy: val_loss %s -> %s" % (fmt(h["val_loss"][0]), fmt(h["val_loss"][-1])),
        "the single member's lists read as the history (loss, accuracy, val_loss, val_accuracy, 20 "
        "epochs); expected: clean")

    # validation_freq=5 -----------------------------------------------------------
    seed_all(27)
    m = mlp([64, 128, 64, 10])
    rows = keras_sim.fit(m, torch.optim.Adam(m.parameters(), lr=1e-3), digits_split(), 20, seed=27,
                         validation_freq=5)
    h = keras_sim.history(rows, ["loss", "accuracy", "val_loss", "val_accuracy"])
    write_text("formats-real/history-validation-freq5.json", json.dumps(h))
    check(len(h["val_loss"]) == 4, "validation_freq lists")
    row("formats-real/history-validation-freq5.json",
        "`model.fit(..., epochs=20, validation_freq=5)` semantics, `json.dump(history.history)`: "
        "loss/accuracy 20 values, val_loss/val_accuracy 4 (validation after epochs 5, 10, 15, 20)",
        "val_loss %s at epochs 5, 10, 15, 20" % ", ".join(fmt(v) for v in h["val_loss"]),
        "val_* placed at epochs 5, 10, 15, 20 (1-based) with a note, never at 1-4; expected: clean")

    # console log with checkpoint lines and a final test accuracy -------------------
    rows, test_acc = plain_epoch_run(30, 28, lr=3e-3, test_split=True)
    lines = ["Using device: cpu", "Train samples: 1347, val samples: 225, test samples: 225"]
    best = float("inf")
    ck = []
    for r in rows:
        e = r["epoch"] + 1
        lines.append("Epoch %d/30 | train_loss: %.4f | train_acc: %.4f | val_loss: %.4f | val_acc: %.4f"
                     % (e, r["loss"], r["accuracy"], r["val_loss"], r["val_accuracy"]))
        if r["val_loss"] < best:
            best = r["val_loss"]
            lines.append("  -> saved best model (epoch=%d, val_loss=%.4f) to checkpoints/best.pt" % (e, r["val_loss"]))
            ck.append(e)
    lines.append("Loading best model from checkpoints/best.pt (epoch=%d, val_loss=%.4f)" % (ck[-1], best))
    lines.append("Test accuracy: %.4f" % test_acc)
    write_text("formats-real/console-checkpoints.log", "\n".join(lines) + "\n")
    row("formats-real/console-checkpoints.log",
        "stdout of a plain PyTorch script (digits MLP, Adam 3e-3, 30 epochs, 225 validation and "
        "225 held-out test samples): one `Epoch i/30 | ...` line per epoch, a `-> saved best model "
        "(epoch=N, val_loss=X)` line after each improvement, a reload line and a final `Test "
        "accuracy:` line",
        "%d checkpoint lines (last at epoch %d, val_loss %.4f); val_loss %.4f -> %.4f; test "
        "accuracy %.4f" % (len(ck), ck[-1], best, rows[0]["val_loss"], rows[-1]["val_loss"], test_acc),
        "30 epoch rows from the `Epoch i/30` lines only: the `(epoch=N, val_loss=X)` checkpoint and "
        "reload lines are not epoch rows (no duplicate epoch %d), `Test accuracy: %.4f` is not "
        "training accuracy; expected: clean" % (ck[-1], test_acc))


# ============================================================================
# README

README_HEAD = """# testdata/gen: step-axis and file-format test data

Everything under `testdata/steps/`, `testdata/tb/`, `testdata/yolo/`,
`testdata/mlflow/`, `testdata/wandb/` and `testdata/formats-real/` is written by

    /usr/bin/python3 testdata/gen/make_testdata.py

(about a minute of CPU; this README is rewritten by the same run, its numbers are
measured on the files just written). The numbers come from real PyTorch training
loops on scikit-learn's bundled `load_digits` (8x8 digits, 10 classes; 1347
train / 450 validation, stratified, `random_state=0`, pixels / 16), CPU,
one thread, fixed seeds; the on-disk layouts are those of the real writers
(Hugging Face Trainer, Lightning CSVLogger, TensorBoard writers, Ultralytics,
MLflow, W&B, Keras CSVLogger/History, PowerShell, Excel, R), reproduced from
their source code: `FORMATS.md` lists the facts and where each was read. Only
timing fields (wall_time, timestamps, `*_runtime`, `*_per_second`, YOLO `time`)
come from a deterministic fake clock. Reruns give byte-identical files.

Files of the generator: `make_testdata.py` (all writers, the checks, this
README), `hf_sim.py` (the Trainer loop: logging, NaN filter, fp16 loss scaling,
evaluation, checkpoints), `lightning_sim.py`, `keras_sim.py`, `yolo_sim.py`
(the detector), `tfrecord.py` (TFRecord framing, masked CRC-32C, protobuf
encoder and a decoder used for the self-check), `common.py`.

Kinds in the last column are those of issue 10 (loss, score, error, lr,
gradient norm, other) with their split (train, validation); "expected" is the
finding class a correct reader + rules must produce ("clean" = rules ran, no
warning or error). Steps are optimizer steps as the log gives them.

## Reading rules the last column refers to

- **HF reading** (`trainer_state.json`): axis = `step` (optimizer steps) with the
  fractional `epoch` as a second coordinate. `log_history` entries with `loss` are
  training points: `loss` (loss, train), `grad_norm` (gradient norm), `learning_rate`
  (lr), one per logging step. Entries with `eval_*` keys are evaluation points:
  `eval_loss` (loss, validation), `eval_accuracy` (score, validation),
  `eval_runtime`, `eval_samples_per_second`, `eval_steps_per_second` (other), one
  point per evaluation, reported as "evaluation k (step s, epoch e)". The entry
  with `train_runtime`/`train_loss`/`total_flos` is the end-of-training summary:
  skipped (its `train_loss` is the mean over the whole run, not a point). Bare
  `NaN`/`Infinity` are the JSON tokens Python writes.
- **Lightning reading** (`metrics.csv`): axis = `step`, `epoch` a second
  coordinate. Row kinds: LearningRateMonitor rows (empty `epoch`, only `lr-Adam`
  and `step`: the lr series on steps, not an error); step rows (`*_step` columns,
  or a plain `train_loss` logged with the default on_step=True: step points);
  validation rows (`val_loss` loss, `val_acc` score, validation, one per epoch,
  `step` = the epoch's last batch index); epoch rows (`*_epoch`, and `train_acc`
  logged on_epoch only: train, one per epoch, same step as that epoch's validation
  row, written after it).
- **YOLO reading** (`results.csv`): axis = `epoch` (0-based in v5, 1-based in v8);
  `train/*_loss`, `val/*_loss` losses (box, obj, cls, dfl...; every one judged),
  `metrics/*` precision, recall, mAP scores (validation), `x/lr0..2` / `lr/pg0..2`
  lr, `time` other; v5 header names and values are space-padded (trim them);
  snippet framework yolo.

| file | how it was made | what it shows (measured) | a correct reader produces |
|---|---|---|---|
"""


def write_readme():
    out = [README_HEAD]
    for p, how, shows, reader in ROWS:
        cell = lambda s: s.replace("|", "\\|").replace("\n", " ")
        out.append("| `%s` | %s | %s | %s |\n" % (cell(p), cell(how), cell(shows), cell(reader)))
    out.append("\n## Sizes\n\n")
    total = 0
    for d in OUT_DIRS:
        n = 0
        cnt = 0
        for base, _, files in os.walk(os.path.join(TESTDATA, d)):
            for f in files:
                n += os.path.getsize(os.path.join(base, f))
                cnt += 1
        total += n
        out.append("- `testdata/%s/`: %d files, %d bytes\n" % (d, cnt, n))
    out.append("- total: %d bytes\n" % total)
    write_text("gen/README.md", "".join(out))
    return total


# ============================================================================

def self_check():
    """Read every written file back the way a reader would."""
    for base, _, files in os.walk(os.path.join(TESTDATA, "tb")):
        for f in files:
            data = open(os.path.join(base, f), "rb").read()
            try:
                sc = tfr.scalars(data)
            except ValueError as e:
                check("badcrc" in base, "unexpected CRC error in %s: %s" % (f, e))
                continue
            check(sc or "truncated" in base, "no scalars in %s" % f)
    for base, _, files in os.walk(os.path.join(TESTDATA, "steps")):
        for f in files:
            p = os.path.join(base, f)
            if f.endswith(".json"):
                json.load(open(p))
            elif f.endswith(".csv"):
                list(csv.reader(open(p, newline="")))


def main():
    t = time.time()
    for d in OUT_DIRS:
        shutil.rmtree(os.path.join(TESTDATA, d), ignore_errors=True)
    for part in (gen_hf, gen_lightning, gen_keras, gen_tb, gen_yolo, gen_mlflow, gen_wandb, gen_broken):
        t1, c1 = time.time(), time.process_time()
        part()
        print("%-15s %5.1f s (cpu %5.1f s)" % (part.__name__, time.time() - t1, time.process_time() - c1),
              flush=True)
    self_check()
    total = write_readme()
    check(total < 2_000_000, "test data must stay under 2 MB (%d)" % total)
    print("done in %.1f s (cpu %.1f s), %d bytes" % (time.time() - t, time.process_time(), total))


if __name__ == "__main__":
    main()
