"""scram-check in a Hugging Face Trainer: stop on an error-level finding.

NOT RUN HERE: transformers is not installed on the machines this repository
is developed on; this adapter is kept to a few lines over scram_live.py,
which is tested with a real PyTorch run. It records each evaluation with the
last training loss logged before it (set eval_strategy and logging_steps).

    trainer = Trainer(..., callbacks=[ScramCallback("scram/history.csv")])
"""
from transformers import TrainerCallback

from scram_live import ScramLive


class ScramCallback(TrainerCallback):
    def __init__(self, path, **kwargs):
        self.live = ScramLive(path, **kwargs)
        self.loss = None
        self.evals = 0

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            self.loss = logs["loss"]

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        m = {k.replace("eval_", "val_"): v for k, v in (metrics or {}).items()
             if isinstance(v, (int, float)) and not k.endswith(("_runtime", "_per_second"))}
        if self.loss is not None:
            m["loss"] = self.loss
        if self.live.step(self.evals, **m):
            control.should_training_stop = True
        self.evals += 1
