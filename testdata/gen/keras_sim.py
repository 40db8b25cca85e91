"""A PyTorch loop with Keras' `model.fit` semantics (as testdata/real/):
`loss`/`accuracy` are sample-weighted means over the epoch's training batches
(train mode, weights changing), `val_*` are computed after the epoch in eval
mode, only on epochs where (epoch + 1) % validation_freq == 0.  Values are
float32 shown as Python floats.  Also records what the Keras TensorBoard
callback and a plain PyTorch script would print or log per step.
"""

import math

import torch
import torch.nn as nn

from common import f32


def fit(model, opt, data, epochs, batch_size=32, *, initial_epoch=0, seed=0,
        validation_freq=1, sched=None, per_step=None, lr_key=None, gen=None,
        top_k=False):
    """Returns a list of per-epoch dicts {"epoch": e, "loss": ..., ...} for
    epochs initial_epoch..epochs-1 (Keras numbering, 0-based).  per_step, if
    a list, receives (global_iteration, loss) for every batch."""
    Xtr, ytr, Xva, yva = data
    g = gen if gen is not None else torch.Generator().manual_seed(seed)
    n = len(Xtr)
    nb = math.ceil(n / batch_size)
    rows = []
    for epoch in range(initial_epoch, epochs):
        lr_now = opt.param_groups[0]["lr"]
        model.train()
        perm = torch.randperm(n, generator=g)
        tot_loss, tot_correct = 0.0, 0.0
        for b in range(nb):
            idx = perm[b * batch_size:(b + 1) * batch_size]
            xb, yb = Xtr[idx], ytr[idx]
            out = model(xb)
            loss = nn.functional.cross_entropy(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot_loss += loss.item() * len(idx)
            tot_correct += (out.argmax(1) == yb).float().sum().item()
            if per_step is not None:
                per_step.append((epoch * nb + b + 1, loss.item()))
        row = {"epoch": epoch, "loss": f32(tot_loss / n), "accuracy": f32(tot_correct / n)}
        if (epoch + 1) % validation_freq == 0:
            model.eval()
            with torch.no_grad():
                out = model(Xva)
                row["val_loss"] = f32(nn.functional.cross_entropy(out, yva).item())
                row["val_accuracy"] = f32((out.argmax(1) == yva).float().mean().item())
                if top_k:
                    tk = out.topk(5, 1).indices
                    for k in (1, 3, 5):
                        row["val_top%d" % k] = f32((tk[:, :k] == yva.view(-1, 1)).any(1).float().mean().item())
        if lr_key:
            row[lr_key] = f32(lr_now)
        row["iterations"] = (epoch + 1) * nb
        rows.append(row)
        if sched is not None:
            sched.step()
    return rows


def history(rows, keys):
    """history.history: one list per key, only the epochs that have it."""
    return {k: [r[k] for r in rows if k in r] for k in keys}
