"""scram-check in a Lightning Trainer: stop on an error-level finding.

NOT RUN HERE: Lightning is not installed on the machines this repository is
developed on; this adapter is kept to a few lines over scram_live.py, which
is tested with a real PyTorch run. Log per epoch (self.log(..., on_epoch=True))
so that callback_metrics holds the epoch's values.

    trainer = L.Trainer(callbacks=[ScramCallback("scram/history.csv")])
"""
import lightning as L

from scram_live import ScramLive


class ScramCallback(L.Callback):
    def __init__(self, path, **kwargs):
        self.live = ScramLive(path, **kwargs)

    def on_validation_epoch_end(self, trainer, pl_module):
        if trainer.sanity_checking:
            return
        metrics = {k: float(v) for k, v in trainer.callback_metrics.items() if v.numel() == 1}
        if self.live.step(trainer.current_epoch, **metrics):
            trainer.should_stop = True
