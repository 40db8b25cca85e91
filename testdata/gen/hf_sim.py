"""A PyTorch training loop that logs exactly as Hugging Face `Trainer` does and
writes its files exactly as Trainer writes them (transformers 4.4x-era
`src/transformers/trainer.py`, `trainer_callback.py`, `trainer_pt_utils.py`,
`trainer_utils.py`; see FORMATS.md):

* `_inner_training_loop`: per optimizer step `tr_loss += loss` (or, with
  `logging_nan_inf_filter` on and a NaN/inf step loss,
  `tr_loss += tr_loss / (1 + global_step - _globalstep_last_logged)`),
  gradient clipping `clip_grad_norm_(max_grad_norm=1.0)` whose return value is
  `grad_norm`, `learning_rate = _get_learning_rate()` read before
  `lr_scheduler.step()`, the scheduler not stepped when the (fp16) optimizer
  step was skipped, `state.epoch = epoch + (step + 1) / steps_in_epoch`;
* `DefaultFlowCallback`: log when `global_step % logging_steps == 0`, evaluate
  every `eval_steps` (eval_strategy "steps") or at the end of each epoch
  ("epoch"), save likewise;
* `_maybe_log_save_evaluate`: log -> evaluate -> save;
  `logs["loss"] = round(tr_loss / steps_since_last_log, 4)`, `grad_norm` of the
  last step only, then `log()` adds `epoch` and appends `{**logs, "step": ...}`;
* `evaluate`: `eval_loss` = mean over all evaluated samples (float32),
  compute_metrics keys prefixed `eval_`, then `eval_runtime`,
  `eval_samples_per_second`, `eval_steps_per_second` (speed_metrics, rounded
  4/3/3 digits);
* end of training: one summary entry `train_runtime`,
  `train_samples_per_second`, `train_steps_per_second`, `total_flos`,
  `train_loss` (= total loss / global_step);
* `TrainerState.save_to_json`: `json.dumps(asdict(state), indent=2,
  sort_keys=True) + "\\n"` (so NaN/inf are bare `NaN`/`Infinity`);
  `checkpoint-<global_step>/trainer_state.json` at every save;
  `save_metrics`: `json.dump(metrics, indent=4, sort_keys=True)` into
  `<split>_results.json` and `all_results.json`.

fp16 is emulated on the CPU (torch 1.13 has no CPU half matmul and no CPU
GradScaler): activations and their gradients pass through float16
(`x.half().float()`), and a GradScaler-style dynamic loss scale (init 2**16,
backoff 0.5, growth 2 after `growth_interval` good steps) skips the optimizer
step when an unscaled gradient is not finite, as torch.cuda.amp.GradScaler
does.  Runtimes and throughputs come from a fake clock (deterministic).
"""

import copy
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn

from common import Clock, TESTDATA, f32, write_text


class ToHalf(torch.autograd.Function):
    """float16 storage of an activation and of its gradient."""

    @staticmethod
    def forward(ctx, x):
        return x.half().float()

    @staticmethod
    def backward(ctx, g):
        return g.half().float()


class HalfMLP(nn.Module):
    """An MLP whose activations live in float16 (fp16 mixed precision)."""

    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        for p in self.parameters():
            # the weight gradient of an fp16 matmul is an fp16 tensor too
            p.register_hook(lambda g: g.half().float())

    def forward(self, x):
        x = ToHalf.apply(x)
        for i, l in enumerate(self.layers):
            x = ToHalf.apply(l(x))
            if i < len(self.layers) - 1:
                x = ToHalf.apply(torch.relu(x))
        return x


def linear_schedule(warmup, total):
    def f(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        return max(0.0, float(total - step) / float(max(1, total - warmup)))
    return f


def fp16_softmax_ce(logits, y):
    """A hand-written softmax cross-entropy computed in float16 (exp overflows
    to inf above 11.09, inf/inf = NaN): the classic fp16 custom-loss bug."""
    h = lambda t: t.half().float()          # float16 storage of each result
    e = h(torch.exp(h(logits)))
    p = h(e / h(e.sum(1, keepdim=True)))
    return -torch.log(p.gather(1, y.view(-1, 1))).mean()


class HFRun:
    def __init__(self, name, model, data, *, lr=1e-3, epochs=3, batch_size=16,
                 eval_batch_size=8, logging_steps=5, eval_strategy="epoch",
                 eval_steps=None, save_strategy="epoch", save_steps=500,
                 max_grad_norm=1.0, weight_decay=0.0, warmup_steps=0,
                 lr_lambda=None, fp16=False, growth_interval=2000,
                 loss_fn=None, metric_for_best_model="loss", seed=42,
                 clock_start=1709647391.0, output_dir=None, max_steps=None):
        self.name = name
        self.model = model
        self.Xtr, self.ytr, self.Xva, self.yva = data
        self.lr, self.epochs, self.bs, self.ebs = lr, epochs, batch_size, eval_batch_size
        self.logging_steps, self.eval_strategy = logging_steps, eval_strategy
        self.eval_steps_arg = eval_steps
        self.save_strategy, self.save_steps = save_strategy, save_steps
        self.max_grad_norm, self.wd, self.warmup = max_grad_norm, weight_decay, warmup_steps
        self.lr_lambda, self.fp16, self.growth_interval = lr_lambda, fp16, growth_interval
        self.loss_fn = loss_fn or nn.functional.cross_entropy
        self.metric_for_best_model = metric_for_best_model
        self.seed = seed
        self.clock = Clock(clock_start, seed)
        self.clock_start = clock_start
        self.output_dir = output_dir or name
        self.max_steps_arg = max_steps
        self.checkpoints = {}      # global_step -> state json text
        self.stats = {"skipped_steps": [], "nan_loss_steps": []}
        self.log_times = []
        self.kill_at = None        # global step at which the process "dies"

    # -- state ---------------------------------------------------------------
    def new_state(self):
        n = len(self.Xtr)
        self.steps_in_epoch = math.ceil(n / self.bs)
        self.max_steps = self.steps_in_epoch * self.epochs
        if self.max_steps_arg:
            self.max_steps = self.max_steps_arg
        self.state = {
            "best_global_step": None,
            "best_metric": None,
            "best_model_checkpoint": None,
            "epoch": 0,
            # TrainerState defaults are 500; compute_steps overwrites only the
            # kinds whose TrainingArguments value is set (eval_steps=None with
            # eval_strategy "epoch" leaves 500 in the file).
            "eval_steps": self.eval_steps_arg if self.eval_steps_arg else 500,
            "global_step": 0,
            "is_hyper_param_search": False,
            "is_local_process_zero": True,
            "is_world_process_zero": True,
            "log_history": [],
            "logging_steps": self.logging_steps,
            "max_steps": self.max_steps,
            "num_input_tokens_seen": 0,
            "num_train_epochs": self.epochs,
            "save_steps": self.save_steps,
            "stateful_callbacks": {"TrainerControl": {"args": {
                "should_epoch_stop": False, "should_evaluate": False, "should_log": False,
                "should_save": False, "should_training_stop": False}, "attributes": {}}},
            "total_flos": 0.0,
            "train_batch_size": self.bs,
            "trial_name": None,
            "trial_params": None,
        }

    def state_json(self):
        return json.dumps(self.state, indent=2, sort_keys=True) + "\n"

    # -- pieces of Trainer -----------------------------------------------------
    def log(self, logs):
        logs["epoch"] = self.state["epoch"]
        output = {**logs, **{"step": self.state["global_step"]}}
        self.state["log_history"].append(output)
        self.log_times.append(self.clock.t)   # for the TensorBoard/W&B copies

    def evaluate(self):
        self.model.eval()
        losses, correct = [], 0
        nsteps = 0
        with torch.no_grad():
            for i in range(0, len(self.Xva), self.ebs):
                xb, yb = self.Xva[i:i + self.ebs], self.yva[i:i + self.ebs]
                out = self.model(xb)
                loss = self.loss_fn(out, yb)
                losses.append(np.repeat(np.float32(loss.item()), len(yb)))
                correct += int((out.argmax(1) == yb).sum())
                nsteps += 1
        self.model.train()
        n = len(self.Xva)
        metrics = {"accuracy": float(correct / n)}          # compute_metrics
        metrics["eval_loss"] = np.concatenate(losses).mean().item()
        metrics = {("eval_" + k if not k.startswith("eval_") else k): v for k, v in
                   [("eval_loss", metrics["eval_loss"]), ("accuracy", metrics["accuracy"])]}
        t0 = self.clock.t
        runtime = self.clock.tick(0.0009 * n) - t0
        metrics["eval_runtime"] = round(runtime, 4)
        metrics["eval_samples_per_second"] = round(n / runtime, 3)
        metrics["eval_steps_per_second"] = round(nsteps / runtime, 3)
        self.log(metrics)
        return metrics

    def determine_best(self, metrics):
        key = "eval_" + self.metric_for_best_model
        v = metrics[key]
        if self.state["best_metric"] is None:
            self.state["best_metric"] = float("inf")
        if v < self.state["best_metric"]:
            self.state["best_metric"] = v
            if self.save_strategy in ("steps", "epoch"):
                self.state["best_global_step"] = self.state["global_step"]

    def save_checkpoint(self, control):
        gs = self.state["global_step"]
        self.state["total_flos"] = float(self.total_flos)
        self.checkpoints[gs] = None
        b = self.state["best_global_step"]
        if b and b in self.checkpoints:
            self.state["best_model_checkpoint"] = "%s/checkpoint-%d" % (self.output_dir, b)
        self.state["stateful_callbacks"]["TrainerControl"]["args"] = dict(control)
        self.checkpoints[gs] = self.state_json()

    # -- the loop --------------------------------------------------------------
    def train(self):
        torch.manual_seed(self.seed)
        self.new_state()
        model = self.model
        params = [p for p in model.parameters()]
        opt = torch.optim.AdamW(params, lr=self.lr, weight_decay=self.wd)
        lam = self.lr_lambda or linear_schedule(self.warmup, self.max_steps)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
        n_params = sum(p.numel() for p in params)
        self.total_flos = 0.0
        scale, tracker = 65536.0, 0
        g = torch.Generator().manual_seed(self.seed)
        tr_loss = torch.tensor(0.0)
        total_loss_scalar = 0.0
        last_logged = 0
        start = self.clock.t
        n = len(self.Xtr)
        model.train()
        done = False
        for epoch in range(self.epochs):
            perm = torch.randperm(n, generator=g)
            for step in range(self.steps_in_epoch):
                control = {"should_epoch_stop": False, "should_evaluate": False,
                           "should_log": False, "should_save": False,
                           "should_training_stop": False}
                idx = perm[step * self.bs:(step + 1) * self.bs]
                xb, yb = self.Xtr[idx], self.ytr[idx]
                out = model(xb)
                loss = self.loss_fn(out, yb)
                opt.zero_grad()
                if self.fp16:
                    (loss * scale).backward()
                    for p in params:
                        if p.grad is not None:
                            p.grad.div_(scale)
                else:
                    loss.backward()
                tr_loss_step = loss.detach()
                gs_now = self.state["global_step"]
                if torch.isnan(tr_loss_step) or torch.isinf(tr_loss_step):
                    # logging_nan_inf_filter (default True)
                    tr_loss = tr_loss + tr_loss / (1 + gs_now - last_logged)
                    self.stats["nan_loss_steps"].append(gs_now + 1)
                else:
                    tr_loss = tr_loss + tr_loss_step
                self.total_flos += 6.0 * n_params * len(idx) * 64
                grad_norm = torch.nn.utils.clip_grad_norm_(params, self.max_grad_norm)
                skipped = False
                if self.fp16:
                    found_inf = any((~torch.isfinite(p.grad)).any().item() for p in params
                                    if p.grad is not None)
                    if found_inf:
                        skipped = True
                        scale *= 0.5
                        tracker = 0
                    else:
                        opt.step()
                        tracker += 1
                        if tracker == self.growth_interval:
                            scale *= 2.0
                            tracker = 0
                else:
                    opt.step()
                learning_rate = sched.get_last_lr()[0]
                if not skipped:
                    sched.step()
                else:
                    self.stats["skipped_steps"].append(gs_now + 1)
                self.state["global_step"] += 1
                gs = self.state["global_step"]
                self.state["epoch"] = epoch + (step + 1) / self.steps_in_epoch
                self.clock.tick(0.012)
                # DefaultFlowCallback.on_step_end
                if gs % self.logging_steps == 0:
                    control["should_log"] = True
                if self.eval_strategy == "steps" and gs % self.state["eval_steps"] == 0:
                    control["should_evaluate"] = True
                if self.save_strategy == "steps" and gs % self.save_steps == 0:
                    control["should_save"] = True
                if gs >= self.max_steps:
                    control["should_training_stop"] = True
                    if self.save_strategy == "steps":
                        control["should_save"] = True
                last_logged, tr_loss, total_loss_scalar = self.maybe_log_save_evaluate(
                    control, tr_loss, grad_norm, learning_rate, last_logged, total_loss_scalar)
                if control["should_training_stop"]:
                    done = True
                    break
                if self.kill_at and gs >= self.kill_at:
                    return self            # killed: no epoch end, no summary
            # on_epoch_end
            control = {"should_epoch_stop": False, "should_evaluate": self.eval_strategy == "epoch",
                       "should_log": False, "should_save": self.save_strategy == "epoch",
                       "should_training_stop": done}
            last_logged, tr_loss, total_loss_scalar = self.maybe_log_save_evaluate(
                control, tr_loss, grad_norm, learning_rate, last_logged, total_loss_scalar)
            if done:
                break
        total_loss_scalar += tr_loss.item()
        train_loss = total_loss_scalar / max(self.state["global_step"], 0.001)
        runtime = self.clock.t - start
        num_train_samples = n * self.epochs
        metrics = {"train_runtime": round(runtime, 4),
                   "train_samples_per_second": round(num_train_samples / runtime, 3),
                   "train_steps_per_second": round(self.max_steps / runtime, 3)}
        self.state["total_flos"] = float(self.total_flos)
        metrics["total_flos"] = self.state["total_flos"]
        metrics["train_loss"] = train_loss
        self.log(metrics)
        self.train_metrics = metrics
        return self

    def maybe_log_save_evaluate(self, control, tr_loss, grad_norm, learning_rate,
                                last_logged, total_loss_scalar):
        gs = self.state["global_step"]
        if control["should_log"] and gs > last_logged:
            tr_loss_scalar = tr_loss.item()
            tr_loss = tr_loss - tr_loss
            logs = {"loss": round(tr_loss_scalar / (gs - last_logged), 4)}
            if grad_norm is not None:
                logs["grad_norm"] = grad_norm.item() if isinstance(grad_norm, torch.Tensor) else grad_norm
            logs["learning_rate"] = learning_rate
            total_loss_scalar += tr_loss_scalar
            last_logged = gs
            self.state["total_flos"] = float(self.total_flos)
            self.log(logs)
            control["should_log"] = False      # on_log
        if control["should_evaluate"]:
            metrics = self.evaluate()
            control["should_evaluate"] = False  # on_evaluate
            self.determine_best(metrics)
        if control["should_save"]:
            self.save_checkpoint(control)
            control["should_save"] = False
        return last_logged, tr_loss, total_loss_scalar

    # -- files -------------------------------------------------------------------
    def final_eval_metrics(self):
        """trainer.evaluate() after training (examples' do_eval): not in the
        saved trainer_state.json (save_state() ran before it)."""
        saved = copy.deepcopy(self.state)
        m = self.evaluate()
        self.state = saved
        return m

    def write(self, rel_dir, checkpoints=True, results=True):
        """Output dir: trainer_state.json (trainer.save_state()), the
        checkpoint-*/trainer_state.json snapshots, *_results.json."""
        files = []
        files.append(write_text(os.path.join(rel_dir, "trainer_state.json"), self.state_json()))
        if checkpoints:
            for gs, text in sorted(self.checkpoints.items()):
                files.append(write_text(os.path.join(rel_dir, "checkpoint-%d" % gs,
                                                     "trainer_state.json"), text))
        if results:
            tm = dict(self.train_metrics)
            tm["train_samples"] = len(self.Xtr)
            em = dict(self.final_eval_metrics())
            em["eval_samples"] = len(self.Xva)
            allm = {}
            for split, m in (("train", tm), ("eval", em)):
                files.append(write_text(os.path.join(rel_dir, split + "_results.json"),
                                        json.dumps(m, indent=4, sort_keys=True)))
                allm.update(m)
            files.append(write_text(os.path.join(rel_dir, "all_results.json"),
                                    json.dumps(allm, indent=4, sort_keys=True)))
        return files

    # -- measurements for the README -----------------------------------------------
    def series(self, key, kind="train"):
        out = []
        for e in self.state["log_history"]:
            if key in e:
                out.append((e["step"], e.get("epoch"), e[key]))
        return out
