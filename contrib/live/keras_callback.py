"""scram-check in Keras' training loop: stop on an error-level finding.

NOT RUN HERE: TensorFlow cannot be installed on the machines this repository
is developed on; this adapter is kept to a few lines over scram_live.py,
which is tested with a real PyTorch run.

    model.fit(..., callbacks=[ScramCallback("history.csv", classes=10)])
"""
import tensorflow as tf

from scram_live import ScramLive


class ScramCallback(tf.keras.callbacks.Callback):
    def __init__(self, path, **kwargs):
        super().__init__()
        self.live = ScramLive(path, **kwargs)

    def on_epoch_end(self, epoch, logs=None):
        if self.live.step(epoch, **(logs or {})):
            self.model.stop_training = True
