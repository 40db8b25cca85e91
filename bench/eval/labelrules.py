"""The label rules of the evaluation corpus (bench/eval/LABELS.md says the same in words).

A run's labels are MEASURED from its numbers, never taken from the fault that was
injected: the injected fault only breaks ties (it becomes the primary class when it
was measured).  Every rule returns a state: 'yes' (clearly beyond noise), 'gray'
(between noise and clear: the run is neither counted for nor against a detector for
that class) or 'no', with the onset epoch and the evidence numbers.

Epochs are 1-based, as scram-check reports them.  Pure Python + numpy, so that
`gen.py --relabel` recomputes labels.tsv from corpus/measures.json in a second.
"""
import math

import numpy as np

# fault classes, in order of precedence when the injected fault was not measured
# (root causes first, their usual consequences after)
PRECEDENCE = ["nan", "exploding", "vanishing", "dying", "unnormalized", "zero-lr",
              "grad-nonfinite", "divergence", "oscillation", "overfit", "slow", "init"]

# Consequence classes: findings of these classes are not a wrong diagnosis on a run
# whose primary class is the key (a fault clearly causes them).  'early-stop' and
# 'update-ratio' are scram-check's info-level rules; they are listed so that a
# future warning-level version is not counted as wrong on a faulty run.
SLOWISH = ["slow"]          # not-converging, slow-convergence, loss-not-decreasing, stuck-at-chance...
COMMON = ["early-stop", "update-ratio"]
CONSEQUENCES = {
    "nan": SLOWISH + ["divergence", "exploding"] + COMMON,      # weights are NaN after it
    "divergence": SLOWISH + ["exploding"] + COMMON,             # a diverged net ends near chance
    # huge updates push ReLU units below zero for every input for good (cs231n's
    # "a large gradient flowing through a ReLU neuron"): dead units follow
    "exploding": SLOWISH + ["divergence", "nan", "init", "dying"] + COMMON,
    "vanishing": SLOWISH + COMMON,
    "dying": SLOWISH + COMMON,
    "unnormalized": SLOWISH + ["init", "dying"] + COMMON,       # raw inputs: huge first loss, huge updates
    "zero-lr": SLOWISH + COMMON,
    "grad-nonfinite": ["exploding"] + COMMON,                   # skipped fp16 steps
    # a learning rate too high (scram-check(1), CAUSES 3): an oscillating run
    # does not converge, its peaks can read as a climb, and its swings can end
    # in a blow-up, as divergence's do
    "oscillation": SLOWISH + ["divergence", "exploding"] + COMMON,
    "overfit": COMMON,
    "slow": COMMON,
    "init": SLOWISH + COMMON,
    "healthy": [],
    "unclear": [],
}

# thresholds (LABELS.md)
K_NOISE = 4.0            # "clearly beyond noise": 4 standard errors
GRAY_NOISE = 2.0         # 2..4 standard errors: gray
OVERFIT_REL = 0.10       # and val_loss at least 10% above its minimum
OVERFIT_REL_GRAY = 0.05
OVERFIT_TRAIN_FALL = 0.10  # train loss at least 10% below its value at the best epoch
DIVERGE_GIVEBACK = 0.5   # the loss gave back half of its fall
DIVERGE_GIVEBACK_GRAY = 0.25
DIVERGE_MIN_RATIO = 1.2  # and is 20% above its minimum
EARLY_BLOWUP = 100.0    # a first epoch's mean loss this many times the untrained model's: gray
OSC_MIN_SWING = 0.02     # accuracy swings: at least 2 points and
K_SWING = 3.0            # 3 standard errors of an epoch-to-epoch change
OSC_LOSS_RATIO = 1.5     # loss swings (no accuracy): x1.5 and
OSC_LOSS_FALL = 0.10     # 10% of the loss's fall from its initial value
OSC_ALTERNATIONS = 3
SLOW_GAP = 0.10          # 10 points below the healthy reference (and 4 SE)
SLOW_GAP_GRAY = 0.05
SLOW_LOSS_PROGRESS = 0.5  # regression / no accuracy: less than half the reference's loss fall
SLOW_LOSS_PROGRESS_GRAY = 0.75
UNNORM_STD = 3.0         # inputs: overall std or |mean| above 3
VANISH_RATIO = 1e-2      # median |g_first| / |g_last| over the run's batches
VANISH_RATIO_GRAY = 3e-2
EXPLODE_RATIO = 50.0
EXPLODE_RATIO_GRAY = 20.0
DEAD_FRAC = 0.5          # share of hidden ReLU units that output 0 on every training input
DEAD_FRAC_GRAY = 0.3
INIT_HIGH = 3.0          # loss before training above 3 ln C
GRADNF_SHARE = 0.2       # non-finite grad norms: a fault when a fifth of the logged ones,
GRADNF_MIN_LOGS = 20     # (of at least 20 logged)
GRADNF_STREAK = 10       # or 10 logged in a row (isolated ones: the fp16 scaler probing)


def finite(x):
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def finite_prefix(xs):
    out = []
    for x in xs:
        if not finite(x):
            break
        out.append(float(x))
    return out


def robust_noise(xs):
    """Noise of a series: 1.4826 x median |x_i - (x_{i-1} + x_{i+1}) / 2| / sqrt(1.5).

    The second-difference residual ignores a smooth trend; for independent noise of
    standard deviation s it has standard deviation s * sqrt(1.5)."""
    x = np.asarray([v for v in xs if finite(v)], dtype=float)
    if len(x) < 3:
        return 0.0
    r = x[1:-1] - (x[:-2] + x[2:]) / 2.0
    return float(1.4826 * np.median(np.abs(r)) / math.sqrt(1.5))


def binom_se(p, n):
    """Standard error of an accuracy p measured on n samples (floor: half a sample)."""
    if not n:
        return 0.0
    v = max(p * (1.0 - p), 0.25 / n)
    return math.sqrt(v / n)


def r4(x):
    return float("%.4g" % x) if finite(x) else x


# ----------------------------------------------------------------------------
# epoch-level rules; h has loss, val_loss and, for classifiers, acc and val_acc

def rule_nan(h):
    for key in ("loss", "val_loss"):
        for i, v in enumerate(h.get(key) or []):
            if not finite(v):
                return "yes", i + 1, {"nan_epoch": i + 1, "nan_series": key}
    return "no", None, {}


def rule_divergence(h):
    """A sustained climb at the end: the last epochs (at least 3 in a row, up to the
    end) are all above level = max(min + half of the fall from the earlier maximum,
    1.2 x min, min + 5 noise), min being the lowest loss before that stretch.  A
    spike the run recovered from is not a divergence; onset: the epoch of that
    minimum (where the climb starts)."""
    L = finite_prefix(h["loss"])
    n = len(L)
    if n < 5:
        return "no", None, {}
    sig = robust_noise(L)

    def stretch(giveback):
        # grow the final stretch backwards while its values stay above the level
        # computed from the epochs before it
        best = None
        for t in range(n - 3, 0, -1):  # stretch = L[t:]
            before = L[:t]
            m = min(range(t), key=lambda i: before[i])
            hi = max(before[:m + 1])
            level = max(L[m] + giveback * (hi - L[m]), DIVERGE_MIN_RATIO * L[m], L[m] + 5 * sig)
            if all(x > level for x in L[t:]):
                best = (t, m, level)
            elif best is not None:
                break
        return best
    ev = {"div_noise": r4(sig)}
    got = stretch(DIVERGE_GIVEBACK)
    if got:
        t, m, level = got
        ev.update({"div_min": r4(L[m]), "div_min_epoch": m + 1, "div_from_epoch": t + 1,
                   "div_end": r4(L[-1]), "div_level": r4(level)})
        return "yes", m + 1, ev
    if stretch(DIVERGE_GIVEBACK_GRAY):
        return "gray", None, ev
    return "no", None, ev


def _alternations(xs, thr_of):
    """Big moves (|x_i - x_{i-1}| > thr_of(i)) and how often they change direction.
    Returns (changes of direction, 0-based index of the big move that began the
    first change, number of big moves)."""
    signs, idx, alt, first = [], [], 0, None
    for i in range(1, len(xs)):
        d = xs[i] - xs[i - 1]
        if abs(d) > thr_of(i):
            s = 1 if d > 0 else -1
            if signs and s != signs[-1]:
                alt += 1
                if first is None:
                    first = idx[-1]
            signs.append(s)
            idx.append(i)
    return alt, first, len(signs)


def rule_oscillation(h, n_train, n_val, init_loss=None, until=None):
    """A series swinging up and down: at least 3 changes of direction between big
    moves, counted after the first 20% of the epochs (the fast initial rise and its
    transients are not oscillation).  A big move of an accuracy (train or
    validation): more than 3 binomial standard errors of an epoch-to-epoch change
    and 2 points; of a loss (train or validation): by x1.5 and by 10% of its fall
    from the initial loss.  until: count only epochs before it (the onset of a
    divergence)."""
    best = (0, None, "", 0)
    L = finite_prefix(h["loss"])
    n_ep = len(L)
    start = max(1, math.ceil(0.2 * n_ep))  # 0-based index of the first counted epoch
    stop = (until - 1) if until else None  # exclusive 0-based end

    def window(xs):
        return xs[start - 1:stop] if len(xs) > start else []
    cands = []
    if h.get("acc"):
        cands.append(("acc", finite_prefix(h["acc"]), n_train))
    if h.get("val_acc"):
        cands.append(("val_acc", finite_prefix(h["val_acc"]), n_val))
    for name, a, n in cands:
        a = window(a)
        if len(a) < 4:
            continue

        def thr(i, a=a, n=n):
            se = math.sqrt(binom_se(a[i], n) ** 2 + binom_se(a[i - 1], n) ** 2)
            return max(OSC_MIN_SWING, K_SWING * se)
        alt, first, nbig = _alternations(a, thr)
        if alt > best[0]:
            best = (alt, first + start if first is not None else None, name, nbig)
    # losses (training and validation): moves by x1.5 and by 10% of the loss's fall
    # from its initial value (so that wobbles of a loss near 0 do not count)
    l0 = init_loss if finite(init_loss) else (L[0] if L else None)
    for name in ("loss", "val_loss"):
        w0 = finite_prefix(h.get(name) or [])
        if len(w0) < 4 or l0 is None:
            continue
        fall = max(l0 - min(w0), 0.0)
        w = window(w0)
        if len(w) < 4:
            continue
        signs, idx, alt, first = [], [], 0, None
        for i in range(1, len(w)):
            lo, hi = sorted((w[i - 1], w[i]))
            if hi > lo * OSC_LOSS_RATIO and hi - lo > OSC_LOSS_FALL * fall:
                sg = 1 if w[i] > w[i - 1] else -1
                if signs and sg != signs[-1]:
                    alt += 1
                    if first is None:
                        first = idx[-1]
                signs.append(sg)
                idx.append(i)
        if alt > best[0]:
            best = (alt, first + start if first is not None else None, name, len(signs))
    alt, e2, name, nbig = best
    ev = {"osc_alternations": alt, "osc_series": name} if alt else {}
    if alt >= OSC_ALTERNATIONS:
        return "yes", e2, ev
    if alt == OSC_ALTERNATIONS - 1:
        return "gray", None, ev
    return "no", None, ev


def rule_overfit(h, n_val):
    V = finite_prefix(h.get("val_loss") or [])
    L = finite_prefix(h["loss"])
    n = min(len(V), len(L))
    states = []
    ev = {}
    if n >= 5:
        V, L2 = V[:n], L[:n]
        m = int(np.argmin(V))
        k = max(3, math.ceil(0.1 * n))
        if n - (m + 1) >= 3:
            sig = robust_noise(V)
            tail = V[-k:] if n - (m + 1) >= k else V[m + 1:]
            rise = min(tail) - V[m]
            train_fell = L2[-1] < (1 - OVERFIT_TRAIN_FALL) * L2[m]
            gap_widened = (V[-1] - L2[-1]) > (V[m] - L2[m])
            ev.update({"vl_best": r4(V[m]), "vl_best_epoch": m + 1, "vl_end": r4(V[-1]),
                       "vl_rise_sustained": r4(rise), "vl_noise": r4(sig),
                       "train_loss_at_best": r4(L2[m]), "train_loss_end": r4(L2[-1])})
            if train_fell and gap_widened:
                if rise > max(K_NOISE * sig, OVERFIT_REL * abs(V[m])):
                    states.append(("yes", m + 1))
                elif rise > max(GRAY_NOISE * sig, OVERFIT_REL_GRAY * abs(V[m])):
                    states.append(("gray", None))
    VA = finite_prefix(h.get("val_acc") or [])
    A = finite_prefix(h.get("acc") or [])
    n = min(len(VA), len(A)) if A else 0
    if n >= 5 and n_val:
        VA, A = VA[:n], A[:n]
        m = int(np.argmax(VA))
        k = max(3, math.ceil(0.1 * n))
        if n - (m + 1) >= 3:
            tail = VA[-k:] if n - (m + 1) >= k else VA[m + 1:]
            se = math.sqrt(2) * binom_se(VA[m], n_val)
            drop = VA[m] - max(tail)
            train_rose = A[-1] > A[m]
            ev.update({"va_best": r4(VA[m]), "va_best_epoch": m + 1, "va_drop_sustained": r4(drop),
                       "va_se": r4(se)})
            if train_rose:
                if drop > max(K_NOISE * se, OSC_MIN_SWING):
                    states.append(("yes", m + 1))
                elif drop > max(GRAY_NOISE * se, OSC_MIN_SWING / 2):
                    states.append(("gray", None))
    yes = [o for s, o in states if s == "yes"]
    if yes:
        return "yes", yes[0], ev
    if states:
        return "gray", None, ev
    return "no", None, ev


def _best_so_far(xs, mode):
    out, b = [], None
    for x in xs:
        if finite(x):
            b = x if b is None else (max(b, x) if mode == "max" else min(b, x))
        out.append(b)
    return out


def rule_slow(h, ref, n_train, n_val):
    """Far behind the healthy reference run of the same data set after as many epochs."""
    if not ref:
        return "no", None, {}
    n = len(h["loss"])
    N = min(n, len(ref["loss"]))
    if h.get("acc") and ref.get("acc") and h.get("val_acc"):
        bA, rA = _best_so_far(h["acc"], "max"), _best_so_far(ref["acc"], "max")
        bV, rV = _best_so_far(h["val_acc"], "max"), _best_so_far(ref["val_acc"], "max")
        tA = max(SLOW_GAP, K_NOISE * binom_se(rA[N - 1], n_train))
        tV = max(SLOW_GAP, K_NOISE * binom_se(rV[N - 1], n_val))

        def gap(e):
            a = (rA[e] - bA[e]) if bA[e] is not None else 1.0
            v = (rV[e] - bV[e]) if bV[e] is not None else 1.0
            return a, v
        ga, gv = gap(N - 1)
        ev = {"slow_acc_gap": r4(ga), "slow_val_acc_gap": r4(gv), "ref_best_val_acc": r4(rV[N - 1])}
        if ga > tA and gv > tV:
            onset = next((e + 1 for e in range(N) if gap(e)[0] > tA and gap(e)[1] > tV), 1)
            return "yes", onset, ev
        if ga > SLOW_GAP_GRAY and gv > SLOW_GAP_GRAY:
            return "gray", None, ev
        return "no", None, ev
    # losses only (regression; HF runs without train accuracy): share of the
    # reference's loss fall achieved
    L0 = h.get("init_loss") if finite(h.get("init_loss")) else (h["loss"][0] if finite(h["loss"][0]) else None)
    R0 = ref.get("init_loss") if finite(ref.get("init_loss")) else ref["loss"][0]
    if L0 is None:
        return "no", None, {}
    bL, rL = _best_so_far(h["loss"], "min"), _best_so_far(ref["loss"], "min")
    if bL[N - 1] is None:
        return "no", None, {}

    def progress(e):
        rf = R0 - rL[e]
        return (L0 - bL[e]) / rf if rf > 0 and bL[e] is not None else 1.0
    p = progress(N - 1)
    ev = {"slow_loss_progress": r4(p), "ref_min_loss": r4(rL[N - 1]), "min_loss": r4(bL[N - 1])}
    if h.get("val_acc") and ref.get("val_acc"):
        bV, rV = _best_so_far(h["val_acc"], "max"), _best_so_far(ref["val_acc"], "max")
        NV = min(len(bV), len(rV))
        gv = rV[NV - 1] - (bV[NV - 1] or 0.0)
        tV = max(SLOW_GAP, K_NOISE * binom_se(rV[NV - 1], n_val))
        ev["slow_val_acc_gap"] = r4(gv)
        if p < SLOW_LOSS_PROGRESS and gv > tV:
            return "yes", 1, ev
        if p < SLOW_LOSS_PROGRESS_GRAY and gv > SLOW_GAP_GRAY:
            return "gray", None, ev
        return "no", None, ev
    if p < SLOW_LOSS_PROGRESS:
        onset = next((e + 1 for e in range(N) if progress(e) < SLOW_LOSS_PROGRESS and e >= 1), 1)
        return "yes", onset, ev
    if p < SLOW_LOSS_PROGRESS_GRAY:
        return "gray", None, ev
    return "no", None, ev


def rule_init(meta):
    C, l0 = meta.get("classes") or 0, meta.get("init_loss")
    if C < 2 or not finite(l0):
        return "no", None, {}
    ratio = l0 / math.log(C)
    ev = {"init_loss": r4(l0), "init_ratio_lnC": r4(ratio)}
    return ("yes", 1, ev) if ratio > INIT_HIGH else ("no", None, ev)


# ----------------------------------------------------------------------------
# batch-level rules, from the generator's own per-batch measures (every batch),
# labels only where the run's batch statistics are in the corpus

def rule_unnormalized(meta):
    s, mu = meta.get("x_std"), meta.get("x_mean")
    ev = {"x_std": r4(s), "x_mean": r4(mu)}
    if s is None:
        return "no", None, {}
    return ("yes", 1, ev) if (s > UNNORM_STD or abs(mu) > UNNORM_STD) else ("no", None, ev)


def rule_vanishing(meta):
    r = meta.get("grad_ratio_median")
    if not finite(r):
        return "no", None, {}
    ev = {"grad_ratio_median": r4(r)}
    if r < VANISH_RATIO:
        return "yes", 1, ev
    return ("gray", None, ev) if r < VANISH_RATIO_GRAY else ("no", None, ev)


def rule_exploding(meta):
    r = meta.get("grad_ratio_median")
    nf = meta.get("nonfinite_grad_epoch")  # first epoch with a non-finite gradient while the loss was finite
    ev = {"grad_ratio_median": r4(r)} if finite(r) else {}
    if nf:
        ev["nonfinite_grad_epoch"] = nf
        return "yes", nf, ev
    if not finite(r):
        return "no", None, ev
    if r > EXPLODE_RATIO:
        return "yes", 1, ev
    return ("gray", None, ev) if r > EXPLODE_RATIO_GRAY else ("no", None, ev)


def rule_dying(meta):
    d = meta.get("dead_frac")  # per epoch, end of epoch
    if not d:
        return "no", None, {}
    fin = [x for x in d if finite(x)]
    if not fin:
        return "no", None, {}
    last = fin[-1]
    ev = {"dead_frac_end": r4(last), "dead_frac_max": r4(max(fin))}
    if last >= DEAD_FRAC:
        onset = next(i + 1 for i, x in enumerate(d) if finite(x) and x >= DEAD_FRAC)
        return "yes", onset, ev
    return ("gray", None, ev) if last >= DEAD_FRAC_GRAY else ("no", None, ev)


# ----------------------------------------------------------------------------
# step-level rules (HF trainer_state.json); steps are mapped to scram-check's
# evaluation-closed groups by meta["step_group"]

def rule_zero_lr(meta):
    lrs = meta.get("step_lr") or []
    if lrs and max(lrs) == 0.0:
        return "yes", 1, {"max_learning_rate": 0.0}
    return "no", None, {}


def rule_grad_nonfinite(meta):
    """Non-finite gradient norms logged while the loss was finite are a fault only
    when they persist.  A dynamic fp16 loss scaler skips the step whose gradients
    overflowed, halves its scale and doubles it again every growth_interval steps:
    an overflow now and then is how it probes for the largest usable scale, it
    costs one step in growth_interval and the run trains normally.  They are a
    fault when the scaler cannot find a working scale: at least GRADNF_SHARE of the
    logged gradient norms (once GRADNF_MIN_LOGS are logged) or GRADNF_STREAK logged
    in a row are non-finite (a fifth of the updates lost), or the loss becomes
    non-finite after the first one (then `nan` is measured too).  Isolated ones
    are 'no', their count kept in the evidence."""
    g, L = meta.get("step_grad_norm") or [], meta.get("step_loss") or []
    bad = [i for i, (gn, lo) in enumerate(zip(g, L)) if not finite(gn) and finite(lo)]
    if not bad:
        return "no", None, {}
    ev = {"nonfinite_grad_norm_logs": len(bad), "grad_norm_logs": len(g),
          "first_nonfinite_step": meta["step_step"][bad[0]]}
    longest, run_, prev = 0, 0, None
    for i in bad:
        run_ = run_ + 1 if prev is not None and i == prev + 1 else 1
        longest = max(longest, run_)
        prev = i
    loss_bad = any(not finite(lo) for lo in L[bad[0]:])
    if loss_bad or longest >= GRADNF_STREAK or (len(g) >= GRADNF_MIN_LOGS and len(bad) >= GRADNF_SHARE * len(g)):
        return "yes", meta["step_group"][bad[0]], ev
    return "no", None, ev


def rule_step_divergence(meta):
    """Divergence on the logged training-loss steps (finer than the groups)."""
    L = meta.get("step_loss") or []
    s, onset, ev = rule_divergence({"loss": L})
    if s == "yes":
        idx = onset - 1
        ev = dict(ev, div_onset_step=meta["step_step"][idx])
        return s, meta["step_group"][idx], ev
    return s, None, ev


# ----------------------------------------------------------------------------

def label(h, meta, ref):
    """h: the history as scram-check reads it (epoch units); meta: the generator's
    measures; ref: the healthy reference history of the same data set or None.
    Returns a dict: primary, labels (every class measured 'yes'), gray, consequences
    (the primary's consequence classes not measured), onset, onsets, evidence."""
    n_train, n_val = meta.get("n_train"), meta.get("n_val")
    res = {}
    res["nan"] = rule_nan(h)
    if meta.get("format") == "hf":
        s1 = rule_divergence(h)
        s2 = rule_step_divergence(meta)
        res["divergence"] = s2 if s2[0] == "yes" else (s1 if s1[0] != "no" else s2)
        res["zero-lr"] = rule_zero_lr(meta)
        res["grad-nonfinite"] = rule_grad_nonfinite(meta)
    else:
        res["divergence"] = rule_divergence(h)
    # A blow-up inside the first epoch: its mean training loss 100 times the
    # untrained model's (measured at init), a climb over before any epoch
    # ended, which rule_divergence cannot see. Gray: neither required nor wrong.
    l0, L = meta.get("init_loss"), finite_prefix(h["loss"])
    if res["divergence"][0] == "no" and finite(l0) and l0 > 0 and L and L[0] >= EARLY_BLOWUP * l0:
        res["divergence"] = ("gray", None, dict(res["divergence"][2], first_loss_x_init=r4(L[0] / l0)))
    div_on = res["divergence"][1] if res["divergence"][0] == "yes" else None
    res["oscillation"] = rule_oscillation(h, n_train, n_val, meta.get("init_loss"), until=div_on)
    if div_on and res["oscillation"][0] == "no":
        # swings while the loss climbs: neither required nor wrong
        after = rule_oscillation(h, n_train, n_val, meta.get("init_loss"))
        if after[0] != "no":
            res["oscillation"] = ("gray", None, after[2])
    res["overfit"] = rule_overfit(h, n_val)
    hh = dict(h, init_loss=meta.get("init_loss"))
    rr = dict(ref, init_loss=ref.get("init_loss")) if ref else None
    res["slow"] = rule_slow(hh, rr, n_train, n_val)
    res["init"] = rule_init(meta)
    if meta.get("stats"):
        res["unnormalized"] = rule_unnormalized(meta)
        res["vanishing"] = rule_vanishing(meta)
        res["exploding"] = rule_exploding(meta)
        res["dying"] = rule_dying(meta)
    ev = {}
    for c in PRECEDENCE:
        if c in res:
            ev.update(res[c][2])
    yes = [c for c in PRECEDENCE if c in res and res[c][0] == "yes"]
    gray = [c for c in PRECEDENCE if c in res and res[c][0] == "gray"]
    inj = meta.get("injected")
    if inj in yes:
        primary = inj
    elif yes:
        primary = yes[0]
    elif gray:
        primary = "unclear"
    else:
        primary = "healthy"
    onset = res[primary][1] if primary in res else None
    conseq = sorted(set(CONSEQUENCES.get(primary, [])) - set(yes) - set(gray))
    return dict(primary=primary, labels=yes, gray=gray, consequences=conseq, onset=onset,
                onsets={c: res[c][1] for c in yes}, evidence=ev)
