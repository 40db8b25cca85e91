"""A PyTorch loop that logs the way PyTorch Lightning 2.x does into
`CSVLogger` (`lightning_logs/version_N/metrics.csv`, `hparams.yaml`).

What Lightning does, and this loop copies (see FORMATS.md for sources):

* `self.log(name, v)` in `training_step` defaults to on_step=True,
  on_epoch=False: a step value `name` only.  With on_step=True and
  on_epoch=True the names become `name_step` and `name_epoch`.  In
  `validation_step` the default is on_step=False, on_epoch=True: `name` once
  per validation run.
* Step values are written every `log_every_n_steps` batches: for the global
  batch index i (0-based, `_batches_that_stepped` before the increment) when
  (i + 1) % log_every_n_steps == 0, with `step` = i and `epoch` = the epoch.
* `LearningRateMonitor(logging_interval="step")` logs `lr-<OptimizerClass>`
  (here `lr-Adam`) from `on_train_batch_start` on the same batches, through
  `logger.log_metrics(..., step=i)` directly: no `epoch` key, so the row's epoch
  cell is empty; it comes before the training row of the same step.
* At the end of each epoch: the validation row (`epoch`, `step` = index of the
  epoch's last batch, val_*), then the `*_epoch` row at the same step.  Epoch
  values are batch-size-weighted means (ResultCollection).
* `_ExperimentWriter.save`: `csv.DictWriter` (dialect excel: `,`, `\\r\\n`),
  header = all keys seen so far, sorted (Lightning >= 2.2 sorts; 2.0/2.1 kept
  first-seen order), missing cells empty, values `Tensor.item()` (float32
  shown as the Python float repr) or the Python float of the lr.
"""

import csv
import io
import math
import os

import torch
import torch.nn as nn

from common import f32, write_text


class LightningRun:
    def __init__(self, model, data, *, lr=1e-3, epochs=10, batch_size=32,
                 log_every_n_steps=50, style="step_epoch", lr_monitor=True,
                 scheduler=None, seed=7, hparams=None):
        self.model = model
        self.Xtr, self.ytr, self.Xva, self.yva = data
        self.lr, self.epochs, self.bs = lr, epochs, batch_size
        self.every = log_every_n_steps
        self.style = style          # "step_epoch" (on_step+on_epoch) or "default"
        self.lr_monitor = lr_monitor
        self.scheduler = scheduler  # callable(opt, total_steps) -> LR scheduler stepped per batch
        self.seed = seed
        self.rows = []              # list of dicts, in log order
        self.hparams = hparams or {}

    def train(self):
        torch.manual_seed(self.seed)
        model = self.model
        opt = torch.optim.Adam(model.parameters(), lr=self.lr)
        n = len(self.Xtr)
        nb = math.ceil(n / self.bs)
        sched = self.scheduler(opt, nb * self.epochs) if self.scheduler else None
        g = torch.Generator().manual_seed(self.seed)
        i = 0  # _batches_that_stepped
        self.batches_per_epoch = nb
        for epoch in range(self.epochs):
            model.train()
            perm = torch.randperm(n, generator=g)
            s_loss = torch.tensor(0.0)
            s_corr = torch.tensor(0.0)
            s_n = 0
            for b in range(nb):
                idx = perm[b * self.bs:(b + 1) * self.bs]
                should_log = (i + 1) % self.every == 0
                if should_log and self.lr_monitor:
                    self.rows.append({"lr-Adam": opt.param_groups[0]["lr"], "step": i})
                xb, yb = self.Xtr[idx], self.ytr[idx]
                out = model(xb)
                loss = nn.functional.cross_entropy(out, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if sched is not None:
                    sched.step()
                with torch.no_grad():
                    acc = (out.argmax(1) == yb).float().mean()
                s_loss += loss.detach() * len(idx)
                s_corr += acc * len(idx)
                s_n += len(idx)
                if should_log:
                    key = "train_loss_step" if self.style == "step_epoch" else "train_loss"
                    self.rows.append({key: loss.item(), "epoch": epoch, "step": i})
                i += 1
            last = i - 1
            model.eval()
            with torch.no_grad():
                vl, vc, vn = torch.tensor(0.0), torch.tensor(0.0), 0
                for j in range(0, len(self.Xva), self.bs):
                    xb, yb = self.Xva[j:j + self.bs], self.yva[j:j + self.bs]
                    out = model(xb)
                    vl += nn.functional.cross_entropy(out, yb) * len(yb)
                    vc += (out.argmax(1) == yb).float().mean() * len(yb)
                    vn += len(yb)
            self.rows.append({"val_loss": (vl / vn).item(), "val_acc": (vc / vn).item(),
                              "epoch": epoch, "step": last})
            if self.style == "step_epoch":
                self.rows.append({"train_loss_epoch": (s_loss / s_n).item(),
                                  "train_acc": (s_corr / s_n).item(),
                                  "epoch": epoch, "step": last})
        return self

    def csv_text(self):
        keys = sorted(set().union(*self.rows))
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=keys)   # excel dialect: \r\n
        w.writeheader()
        w.writerows(self.rows)
        return buf.getvalue()

    def write(self, rel_dir):
        files = [write_text(os.path.join(rel_dir, "metrics.csv"), self.csv_text())]
        hp = "".join("%s: %s\n" % (k, v) for k, v in self.hparams.items()) or "{}\n"
        files.append(write_text(os.path.join(rel_dir, "hparams.yaml"), hp))
        return files
