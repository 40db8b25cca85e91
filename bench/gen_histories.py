"""Write large training histories for bench/bench.py, as the tools write them.

    python3 bench/gen_histories.py KIND EPOCHS PATH

KIND is keras-csv (CSVLogger: epoch and five series, float32 values written
with repr as Keras does), history-json (json.dump(history.history)) or
hf-trainer-state (Hugging Face trainer_state.json: a log_history entry per
step with loss, grad_norm, learning_rate, an evaluation every 1,000 steps;
indent=2 and sorted keys as the Trainer writes it). Fixed seed.
"""
import json
import sys

import numpy as np

kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(0)
t = np.arange(n, dtype=np.float64)
scale = max(n / 5.0, 1.0)


def f32(a):
    """float32 values as Python floats: Keras logs float32 metrics."""
    return a.astype(np.float32).astype(np.float64).tolist()


loss = f32(0.05 + 2.2 * np.exp(-t / scale) + 0.02 * rng.random(n))
val_loss = f32(0.08 + 2.2 * np.exp(-t / scale) + 0.03 * rng.random(n))
acc = f32(np.clip(1 - 0.9 * np.exp(-t / scale) - 0.02 * rng.random(n), 0, 1))
val_acc = f32(np.clip(1 - 0.9 * np.exp(-t / scale) - 0.03 * rng.random(n), 0, 1))
lr = f32(np.full(n, 1e-3))

if kind == "keras-csv":
    with open(path, "w") as f:
        f.write("epoch,accuracy,loss,lr,val_accuracy,val_loss\n")
        f.writelines("%d,%r,%r,%r,%r,%r\n" % r
                     for r in zip(range(n), acc, loss, lr, val_acc, val_loss))
elif kind == "history-json":
    with open(path, "w") as f:
        json.dump({"accuracy": acc, "loss": loss, "lr": lr,
                   "val_accuracy": val_acc, "val_loss": val_loss}, f)
elif kind == "hf-trainer-state":
    epochs = 100
    per_epoch = max(n // epochs, 1)
    log = []
    grad = f32(0.5 + rng.random(n))
    for i in range(n):
        step = i + 1
        log.append({"epoch": round(step / per_epoch, 4), "grad_norm": grad[i],
                    "learning_rate": lr[i], "loss": round(loss[i], 4), "step": step})
        if step % 1000 == 0:
            log.append({"epoch": round(step / per_epoch, 4), "eval_loss": val_loss[i],
                        "eval_accuracy": val_acc[i], "eval_runtime": 1.5,
                        "eval_samples_per_second": 600.0, "step": step})
    state = {"best_metric": None, "best_model_checkpoint": None,
             "epoch": float(epochs), "eval_steps": 1000, "global_step": n,
             "is_hyper_param_search": False, "is_local_process_zero": True,
             "is_world_process_zero": True, "log_history": log,
             "logging_steps": 1, "max_steps": n, "num_train_epochs": epochs,
             "save_steps": 1000, "total_flos": 0, "train_batch_size": 32}
    with open(path, "w") as f:
        f.write(json.dumps(state, indent=2, sort_keys=True) + "\n")
else:
    sys.exit("unknown kind " + kind)
