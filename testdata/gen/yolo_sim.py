"""A tiny single-object detector trained for real, whose epoch numbers are
written the way Ultralytics writes `results.csv`.

Task: each sample is a 16x16 canvas holding one 8x8 `load_digits` image at a
random offset (ground truth: the tight box around its ink, class = the digit),
or (20 %) only faint noise (no object).  Model: MLP 256-128-64 with
BatchNorm1d + ReLU, then a head:

* "v5" head: 4 box values (sigmoid cx, cy, w, h), 1 objectness, 10 classes.
  Losses as YOLOv5 scales them: box = 0.05 * mean(1 - IoU) over objects,
  obj = 1.0 * BCE(objectness, IoU-free 0/1 target), cls = 0.5 * BCE(one-hot)
  over objects.
* "v8" head: the 4 box sides as distances from the canvas centre, each a
  distribution over 8 bins (DFL, reg_max 8), plus 10 class logits (no
  objectness).  Losses: box = 7.5 * mean(1 - IoU), cls = 0.5 * BCE summed over
  classes, averaged over samples, dfl = 1.5 * distribution focal loss (CE to
  the two bins around the target distance, linearly weighted).

Validation metrics as Ultralytics computes them for one prediction per image
(max_det 1): per class AP from the confidence-sorted predictions with COCO
101-point interpolation, mAP50 and mAP50-95 (IoU 0.50:0.05:0.95) averaged over
classes present; precision and recall of each class at the confidence that
maximizes the class-mean F1 (no smoothing), averaged over classes.

Optimizer and learning rates as the trainers build them: three parameter
groups pg0 = biases, pg1 = weights (weight decay 5e-4), pg2 = BatchNorm
weights (no decay); linear lr lambda lf(e) = (1 - e/epochs)(1 - lrf) + lrf with
lrf 0.01, warm-up over max(3 epochs, 100) iterations with the bias lr falling
from warmup_bias_lr 0.1 and the others rising from 0; the logged lr of each
group is its value after the epoch's last batch (before scheduler.step()).
"""

import math

import numpy as np
import torch
import torch.nn as nn

from common import digits_images


def make_data(seed=0):
    imgs, tgt = digits_images()
    rng = np.random.RandomState(seed)
    n = len(imgs)
    X = np.zeros((n, 16, 16), np.float32)
    boxes = np.zeros((n, 4), np.float32)     # x1 y1 x2 y2 in [0,1]
    cls = np.full(n, -1, np.int64)
    for i in range(n):
        X[i] = rng.rand(16, 16).astype(np.float32) * 0.05
        if rng.rand() < 0.2:
            continue
        ox, oy = rng.randint(0, 9), rng.randint(0, 9)
        im = imgs[i]
        X[i, oy:oy + 8, ox:ox + 8] = np.maximum(X[i, oy:oy + 8, ox:ox + 8], im)
        ys, xs = np.nonzero(im > 0.1)
        boxes[i] = [(ox + xs.min()) / 16, (oy + ys.min()) / 16,
                    (ox + xs.max() + 1) / 16, (oy + ys.max() + 1) / 16]
        cls[i] = tgt[i]
    perm = rng.permutation(n)
    X, boxes, cls = X[perm], boxes[perm], cls[perm]
    t = lambda a: torch.as_tensor(a)
    return (t(X[:1400].reshape(-1, 256)), t(boxes[:1400]), t(cls[:1400]),
            t(X[1400:].reshape(-1, 256)), t(boxes[1400:]), t(cls[1400:]))


def box_iou(a, b, eps=1e-7):
    ix1, iy1 = torch.max(a[:, 0], b[:, 0]), torch.max(a[:, 1], b[:, 1])
    ix2, iy2 = torch.min(a[:, 2], b[:, 2]), torch.min(a[:, 3], b[:, 3])
    inter = (ix2 - ix1).clamp(0) * (iy2 - iy1).clamp(0)
    area = lambda t: (t[:, 2] - t[:, 0]).clamp(0) * (t[:, 3] - t[:, 1]).clamp(0)
    return inter / (area(a) + area(b) - inter + eps)


REG = 8


class Detector(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.body = nn.Sequential(nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(),
                                  nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU())
        self.head = nn.Linear(64, 4 + 1 + 10 if kind == "v5" else 4 * REG + 10)

    def forward(self, x):
        return self.head(self.body(x))

    def decode(self, out):
        """-> boxes (x1y1x2y2 in [0,1]), class logits, objectness logit or None,
        side distributions (v8) or None."""
        if self.kind == "v5":
            b = torch.sigmoid(out[:, :4])
            cx, cy, w, h = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
            boxes = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1)
            return boxes, out[:, 5:], out[:, 4], None
        d = out[:, :4 * REG].view(-1, 4, REG)
        dist = (d.softmax(2) * torch.arange(REG, dtype=out.dtype)).sum(2) / 16.0
        c = 0.5
        boxes = torch.stack([c - dist[:, 0], c - dist[:, 1], c + dist[:, 2], c + dist[:, 3]], 1)
        return boxes, out[:, 4 * REG:], None, d


def losses(model, out, gbox, gcls):
    boxes, cl, obj, d = model.decode(out)
    pos = gcls >= 0
    npos = max(int(pos.sum()), 1)
    onehot = torch.zeros_like(cl)
    onehot[pos, gcls[pos]] = 1.0
    iou = box_iou(boxes[pos], gbox[pos])
    if model.kind == "v5":
        lbox = (1.0 - iou).sum() / npos * 0.05
        lobj = nn.functional.binary_cross_entropy_with_logits(obj, pos.float()) * 1.0
        lcls = nn.functional.binary_cross_entropy_with_logits(cl[pos], onehot[pos]) * 0.5
        return lbox + lobj + lcls, (lbox, lobj, lcls)
    lbox = (1.0 - iou).sum() / npos * 7.5
    lcls = nn.functional.binary_cross_entropy_with_logits(cl, onehot, reduction="sum") / len(cl) * 0.5
    # DFL: target distances (in pixels, 0..REG-1) of the 4 sides from the centre
    g = gbox[pos]
    tgt = torch.stack([0.5 - g[:, 0], 0.5 - g[:, 1], g[:, 2] - 0.5, g[:, 3] - 0.5], 1) * 16.0
    tgt = tgt.clamp(0, REG - 1 - 0.01)
    tl = tgt.floor().long()
    wl = tl.float() + 1 - tgt
    dp = d[pos].reshape(-1, REG)
    ldfl = (nn.functional.cross_entropy(dp, tl.view(-1), reduction="none") * wl.view(-1)
            + nn.functional.cross_entropy(dp, (tl + 1).view(-1), reduction="none") * (1 - wl).view(-1))
    ldfl = ldfl.view(-1, 4).mean(1).sum() / npos * 1.5
    return lbox + lcls + ldfl, (lbox, lcls, ldfl)


def compute_ap(recall, precision):
    mrec = np.concatenate(([0.0], recall, [1.0]))
    mpre = np.concatenate(([1.0], precision, [0.0]))
    mpre = np.flip(np.maximum.accumulate(np.flip(mpre)))
    x = np.linspace(0, 1, 101)
    return np.trapz(np.interp(x, mrec, mpre), x)


def det_metrics(model, X, gbox, gcls):
    """precision, recall, mAP50, mAP50-95 of one prediction per image."""
    model.eval()
    with torch.no_grad():
        out = model(X)
        boxes, cl, obj, _ = model.decode(out)
        pc = torch.sigmoid(cl)
        conf, pcls = pc.max(1)
        if obj is not None:
            conf = conf * torch.sigmoid(obj)
        iou = box_iou(boxes, gbox.clamp(0, 1))
    conf, pcls, iou = conf.numpy(), pcls.numpy(), iou.numpy()
    gcls = gcls.numpy()
    thr = np.linspace(0.5, 0.95, 10)
    classes = [c for c in range(10) if (gcls == c).any()]
    px = np.linspace(0, 1, 1000)
    aps, pcurves, rcurves = [], [], []
    for c in classes:
        sel = np.where(pcls == c)[0]
        order = sel[np.argsort(-conf[sel], kind="stable")]
        npos = int((gcls == c).sum())
        tp = (gcls[order] == c)[:, None] & (iou[order][:, None] >= thr[None, :])
        tpc = np.cumsum(tp, 0)
        fpc = np.cumsum(1 - tp, 0)
        rec = tpc / (npos + 1e-16)
        prec = tpc / (tpc + fpc + 1e-16)
        if len(order) == 0:
            aps.append(np.zeros(10))
            pcurves.append(np.zeros(1000))
            rcurves.append(np.zeros(1000))
            continue
        aps.append(np.array([compute_ap(rec[:, j], prec[:, j]) for j in range(10)]))
        cf = conf[order]
        rcurves.append(np.interp(-px, -cf, rec[:, 0], left=0))
        pcurves.append(np.interp(-px, -cf, prec[:, 0], left=1))
    aps = np.array(aps)
    p, r = np.array(pcurves), np.array(rcurves)
    f1 = 2 * p * r / (p + r + 1e-16)
    i = int(f1.mean(0).argmax())
    model.train()
    return float(p[:, i].mean()), float(r[:, i].mean()), float(aps[:, 0].mean()), float(aps.mean())


def train(kind, epochs, *, n_train=None, lr0=0.01, optimizer="SGD", momentum=0.937,
          batch_size=16, seed=0, clock=None):
    """Returns one dict per epoch with the raw numbers (losses are the epoch
    means of the per-batch loss items; val losses over the validation set)."""
    torch.manual_seed(seed)
    Xtr, Btr, Ctr, Xva, Bva, Cva = make_data()
    if n_train:
        Xtr, Btr, Ctr = Xtr[:n_train], Btr[:n_train], Ctr[:n_train]
    model = Detector(kind)
    g_bias, g_w, g_bn = [], [], []
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            g_bn.append(m.weight)
            g_bias.append(m.bias)
        elif isinstance(m, nn.Linear):
            g_w.append(m.weight)
            g_bias.append(m.bias)
    if optimizer == "SGD":
        opt = torch.optim.SGD(g_bias, lr=lr0, momentum=momentum, nesterov=True)
    else:
        opt = torch.optim.AdamW(g_bias, lr=lr0, betas=(momentum, 0.999), weight_decay=0.0)
    opt.add_param_group({"params": g_w, "weight_decay": 5e-4})
    opt.add_param_group({"params": g_bn, "weight_decay": 0.0})
    lrf = 0.01
    lf = lambda e: (1 - e / epochs) * (1.0 - lrf) + lrf
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lf)
    for x in opt.param_groups:
        x.setdefault("initial_lr", lr0)
    n = len(Xtr)
    nb = math.ceil(n / batch_size)
    nw = max(round(3 * nb), 100)
    gen = torch.Generator().manual_seed(seed)
    t0 = clock.t if clock else 0.0
    rows = []
    ni = 0
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=gen)
        mloss = torch.zeros(3)
        for b in range(nb):
            if ni <= nw:
                xi = [0, nw]
                for j, x in enumerate(opt.param_groups):
                    x["lr"] = float(np.interp(ni, xi, [0.1 if j == 0 else 0.0, x["initial_lr"] * lf(epoch)]))
                    if "momentum" in x:
                        x["momentum"] = float(np.interp(ni, xi, [0.8, momentum]))
            idx = perm[b * batch_size:(b + 1) * batch_size]
            out = model(Xtr[idx])
            loss, items = losses(model, out, Btr[idx], Ctr[idx])
            opt.zero_grad()
            (loss * len(idx)).backward()   # YOLO: loss * batch_size
            if kind == "v8":   # v8 clips at 10.0; YOLOv5 does not clip
                torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
            opt.step()
            li = torch.stack([t.detach() for t in items])
            mloss = (mloss * b + li) / (b + 1)
            ni += 1
        lrs = [x["lr"] for x in opt.param_groups]
        model.eval()
        with torch.no_grad():
            _, vitems = losses(model, model(Xva), Bva, Cva)
        P, R, m50, m5095 = det_metrics(model, Xva, Bva, Cva)
        if not all(math.isfinite(float(v)) for v in list(mloss) + list(vitems)):
            P = R = m50 = m5095 = 0.0
        rows.append({"epoch": epoch, "train": [float(v) for v in mloss],
                     "val": [float(v) for v in vitems], "P": P, "R": R,
                     "mAP50": m50, "mAP50-95": m5095, "lr": lrs,
                     "time": (clock.tick(1.9) - t0) if clock else 0.0})
        sched.step()
    return rows

