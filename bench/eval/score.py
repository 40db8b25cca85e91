#!/usr/bin/python3
"""Score scram-check against the labeled corpus (issue 11, item 1).

    SCRAM_CHECK=./scram-check /usr/bin/python3 bench/eval/score.py [--out bench/eval/RESULTS.md]

Runs `scram-check --format json` on every run of the development corpus
(bench/eval/corpus/labels.tsv, made by gen.py) under each check schedule, and on
the public corpus (../shared/corpus/public, labels from the first word of the
note column of its SOURCES.tsv), maps every rule id to a fault class (RULE_CLASS
below; an unknown rule id is 'other'), and prints a markdown report:

  * per fault class: recall (runs on which the class is required -- the primary
    class, or a measured class that is not a consequence of the primary one --
    and a warning or error of the class fired), precision (runs flagged with the class that are
    labeled with it or where it is an allowed consequence), the share of the
    class's runs carrying a wrong diagnosis, and the median detection delay
    (detected epoch - labeled onset, over the detected runs);
  * the share of healthy runs flagged (any warning or error) and the share
    failing the gate (exit status 1 with `--fail-on warning`);
  * the share of faulty runs with a wrong diagnosis: a warning or error of a
    class the run is not labeled with, is not gray for, and that is not an
    allowed consequence of its class ("lenient"); "strict" also counts an
    allowed consequence unless the finding names its cause (`caused_by`);
  * per check schedule: checks spent (the JSON's checks_run) and detection delay;
  * the false alarms and misses, by rule and file, to tune against.
Only warnings and errors count; info findings never do.
"""
import argparse
import collections
import concurrent.futures
import csv
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from labelrules import CONSEQUENCES  # noqa: E402

# rule id -> fault class.  Keep in step with rules/*.rule; ids not listed fall to
# RULE_PREFIX, then to 'other' (always a wrong diagnosis on a faulty run).
RULE_CLASS = {
    "nan-loss": "nan",
    "nan-gradient": "nan",
    "negative-loss": "other",
    "exploding-loss": "divergence",
    "diverging-loss": "divergence",
    "overfitting": "overfit",
    "overfitting-loss": "overfit",
    "overfitting-acc": "overfit",
    "overfitting-val-loss": "overfit",
    "oscillating-loss": "oscillation",
    "oscillating-val-acc": "oscillation",
    "oscillating-val-loss": "oscillation",
    "improper-normalization": "unnormalized",
    "slow-convergence": "slow",
    "slow-descent": "slow",
    "not-converging": "slow",
    "loss-not-decreasing": "slow",
    "stuck-at-chance": "slow",
    "constant-loss": "slow",
    "stalled": "slow",
    "plateau": "slow",
    "vanishing-gradient": "vanishing",
    "exploding-gradient": "exploding",
    "grad-norm-spike": "exploding",
    "dying-relu": "dying",
    "zero-learning-rate": "zero-lr",
    "nonfinite-grad-norm": "grad-nonfinite",
    "initial-loss": "init",
    "early-stopping": "early-stop",
    "update-ratio": "update-ratio",
    "val-better-than-train": "other",
    "worse-than-baseline": "other",
}
RULE_PREFIX = [("overfit", "overfit"), ("oscillat", "oscillation"), ("diverg", "divergence"),
               ("nan-", "nan"), ("nonfinite-grad", "grad-nonfinite"), ("nonfinite-loss", "nan"),
               ("vanishing", "vanishing"), ("exploding-grad", "exploding"), ("grad-norm", "exploding"),
               ("dying", "dying"), ("zero-learning", "zero-lr"), ("zero-lr", "zero-lr"),
               ("stuck", "slow"), ("slow", "slow"), ("stall", "slow"), ("constant-loss", "slow"),
               ("not-converg", "slow"), ("loss-not-decreas", "slow")]

# SOURCES.tsv note word -> class
PUBLIC_CLASS = {"healthy": "healthy", "overfit": "overfit", "overfitting": "overfit", "plateau": "slow",
                "stalled": "slow", "slow": "slow", "oscillate": "oscillation", "oscillating": "oscillation",
                "oscillation": "oscillation", "diverge": "divergence", "diverging": "divergence",
                "divergence": "divergence", "nan": "nan", "exploding": "divergence"}

FAULTS = ["nan", "divergence", "oscillation", "overfit", "slow", "unnormalized", "vanishing", "exploding",
          "dying", "zero-lr", "grad-nonfinite", "init"]
SCHEDULES = ["every", "interval:3", "adaptive", "final"]
COUNTED = ("warning", "error")


def rule_class(rule):
    if rule in RULE_CLASS:
        return RULE_CLASS[rule]
    for p, c in RULE_PREFIX:
        if rule.startswith(p):
            return c
    return "other"


def run_check(binary, rules, path, schedule, classes):
    cmd = [binary, "--format", "json", "--fail-on", "warning", "--color=never", "--schedule", schedule]
    if rules:
        cmd += ["--rules", rules]
    if classes:
        cmd += ["--classes", str(classes)]
    cmd.append(path)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return dict(exit=p.returncode, error=(p.stderr.strip() or "no JSON output")[:200], findings=[], checks=0,
                    epochs=0, batch_stats=None)
    findings, checks, epochs, err, bstats = [], 0, 0, None, None
    for r in doc.get("runs", []):
        if r.get("error"):
            err = r["error"]
        checks += r.get("checks_run") or 0
        epochs += r.get("epochs") or 0
        bstats = bstats or r.get("batch_stats")
        for f in r.get("findings", []):
            findings.append(f)
    return dict(exit=p.returncode, error=err, findings=findings, checks=checks, epochs=epochs,
                batch_stats=bstats, stderr=p.stderr.strip()[:200])


def cause_rules(f):
    """Rule ids a finding names as its cause (caused_by: id, list, object or index)."""
    c = f.get("caused_by")
    if c is None or c is False:
        return []
    items = c if isinstance(c, list) else [c]
    out = []
    for it in items:
        if isinstance(it, str):
            out.append(it)
        elif isinstance(it, dict):
            out.append(it.get("rule") or it.get("id") or "?")
        else:
            out.append("?")  # an index: linked to something
    return out


def judge(lab, res):
    """Compare one run's findings with its labels."""
    flagged = [f for f in res["findings"] if f.get("severity") in COUNTED]
    labels = set(lab["labels"])
    gray = set(lab["gray"])
    conseq = set(lab["consequences"])
    found = collections.defaultdict(list)  # class -> findings
    for f in flagged:
        found[rule_class(f["rule"])].append(f)
    detected, delays = {}, {}
    for c in labels:
        if c in found:
            det = min(f.get("detected_epoch") or 0 for f in found[c])
            detected[c] = det
            on = lab["onsets"].get(c)
            if on:
                delays[c] = det - on
    wrong, wrong_strict = [], []
    if lab["primary"] not in ("healthy", "unclear"):
        for f in flagged:
            c = rule_class(f["rule"])
            if c in labels or c in gray:
                continue
            if c in conseq:
                causes = cause_rules(f)
                linked = any(x == "?" or rule_class(x) in labels for x in causes)
                if not linked:
                    wrong_strict.append(f["rule"])
                continue
            wrong.append(f["rule"])
            wrong_strict.append(f["rule"])
    return dict(flagged=flagged, found=found, detected=detected, delays=delays, wrong=wrong,
                wrong_strict=wrong_strict)


def pct(a, b):
    return "%.0f%% (%d/%d)" % (100.0 * a / b, a, b) if b else "-"


def ratio(a, b):
    return "%.2f (%d/%d)" % (a / b, a, b) if b else "-"


def med(xs):
    return ("%g" % statistics.median(xs)) if xs else "-"


def load_labels(corpus):
    rows = []
    with open(os.path.join(corpus, "labels.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            sp = lambda s: [] if s in ("-", "") else s.split(",")  # noqa: E731
            onsets = {}
            for kv in sp(r["onsets"]):
                c, e = kv.rsplit(":", 1)
                onsets[c] = int(e) if e not in ("None", "") else None
            rows.append(dict(file=r["file"], path=os.path.join(corpus, r["file"]), primary=r["class"],
                             labels=sp(r["labels"]), gray=sp(r["gray"]), consequences=sp(r["consequences"]),
                             onsets=onsets, classes=int(r["classes"] or 0), n_val=r["n_val"],
                             injected=r["injected"], setup=r["setup"]))
    return rows


def load_public(pub):
    rows = []
    with open(os.path.join(pub, "SOURCES.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            word = (r.get("note") or "").strip().split(" ")[0].strip(",;:.").lower()
            cls = PUBLIC_CLASS.get(word)
            if cls is None:
                continue
            rows.append(dict(file=r["file"], path=os.path.join(pub, r["file"]), primary=cls,
                             labels=[] if cls == "healthy" else [cls], gray=[],
                             consequences=[] if cls == "healthy" else list(CONSEQUENCES.get(cls, [])),
                             onsets={}, classes=0, injected=word, setup=r.get("repository", "")))
    return rows


def required(r):
    """Classes a detector must find on a run: its primary class and every other
    measured class that is not a consequence of the primary one."""
    if r["primary"] in ("healthy", "unclear"):
        return set()
    allowed = set(CONSEQUENCES.get(r["primary"], []))
    return {r["primary"]} | {c for c in r["labels"] if c not in allowed}


def evaluate(rows, results):
    """Aggregate judged runs: per class lines, healthy and wrong-diagnosis shares."""
    J = {r["file"]: judge(r, results[r["file"]]) for r in rows}
    healthy = [r for r in rows if r["primary"] == "healthy"]
    faulty = [r for r in rows if r["primary"] not in ("healthy", "unclear")]
    out = dict(J=J, healthy=healthy, faulty=faulty,
               unclear=[r for r in rows if r["primary"] == "unclear"])
    out["h_flag"] = [r for r in healthy if J[r["file"]]["flagged"]]
    out["h_gate"] = [r for r in healthy if results[r["file"]]["exit"] == 1]
    out["f_wrong"] = [r for r in faulty if J[r["file"]]["wrong"]]
    out["f_wrong_strict"] = [r for r in faulty if J[r["file"]]["wrong_strict"]]
    out["unreadable"] = [r for r in rows if results[r["file"]]["exit"] == 2 or results[r["file"]]["error"]]
    per = {}
    classes = [c for c in FAULTS if any(c in r["labels"] for r in rows) or
               any(c in J[r["file"]]["found"] for r in rows)]
    for c in classes:
        lab = [r for r in rows if c in required(r)]
        det = [r for r in lab if c in J[r["file"]]["detected"]]
        flag = [r for r in rows if r["primary"] != "unclear" and c in J[r["file"]]["found"]]
        ok = [r for r in flag if c in r["labels"] or c in r["gray"] or c in r["consequences"]]
        prim = [r for r in faulty if r["primary"] == c]
        wrong = [r for r in prim if J[r["file"]]["wrong"]]
        wrong_s = [r for r in prim if J[r["file"]]["wrong_strict"]]
        delays = [J[r["file"]]["delays"][c] for r in det if c in J[r["file"]]["delays"]]
        per[c] = dict(n=len(lab), det=len(det), flag=len(flag), ok=len(ok), prim=len(prim), wrong=len(wrong),
                      wrong_s=len(wrong_s), delays=delays,
                      h_flag=sum(1 for r in healthy if c in J[r["file"]]["found"]))
    out["per"] = per
    return out


def class_table(E, title, with_delay=True):
    L = ["### " + title, ""]
    L.append("| class | runs requiring it | recall | precision | wrong diagnosis (lenient) | wrong (strict) | median delay | healthy runs flagged with it |")
    L.append("|---|---|---|---|---|---|---|---|")
    for c, p in E["per"].items():
        L.append("| %s | %d | %s | %s | %s | %s | %s | %d |" % (
            c, p["n"], ratio(p["det"], p["n"]), ratio(p["ok"], p["flag"]), pct(p["wrong"], p["prim"]),
            pct(p["wrong_s"], p["prim"]), med(p["delays"]) if with_delay else "-", p["h_flag"]))
    L.append("")
    nh, nf = len(E["healthy"]), len(E["faulty"])
    L.append("| overall | value |")
    L.append("|---|---|")
    L.append("| healthy runs flagged (a warning or error) | %s |" % pct(len(E["h_flag"]), nh))
    L.append("| healthy runs failing `--fail-on warning` (exit 1) | %s |" % pct(len(E["h_gate"]), nh))
    L.append("| faulty runs with a wrong diagnosis (lenient) | %s |" % pct(len(E["f_wrong"]), nf))
    L.append("| faulty runs with a wrong diagnosis (strict: unlinked consequences count) | %s |" % pct(len(E["f_wrong_strict"]), nf))
    det_any = sum(1 for r in E["faulty"] if all(c in E["J"][r["file"]]["detected"] for c in required(r)))
    prim_det = sum(1 for r in E["faulty"] if r["primary"] in E["J"][r["file"]]["detected"])
    L.append("| faulty runs whose primary class was found | %s |" % pct(prim_det, nf))
    L.append("| faulty runs with all their required classes found | %s |" % pct(det_any, nf))
    if E["unclear"]:
        L.append("| runs labeled unclear (gray zone only; not scored) | %d |" % len(E["unclear"]))
    if E["unreadable"]:
        L.append("| runs scram-check could not read | %d: %s |" % (
            len(E["unreadable"]), ", ".join(r["file"] for r in E["unreadable"][:5])))
    L.append("")
    return L


def examples(rs, k=10):
    names = [os.path.basename(os.path.dirname(r["file"])) if r["file"].endswith("/history.csv") else os.path.basename(r["file"])
             for r in rs]
    return ", ".join("`%s`" % n for n in names[:k]) + (" ..." if len(names) > k else "")


def problems(E, results, title):
    L = ["### " + title, ""]
    J = E["J"]
    fa = collections.defaultdict(list)
    for r in E["h_flag"]:
        for rule in sorted({f["rule"] for f in J[r["file"]]["flagged"]}):
            fa[rule].append(r)
    L.append("False alarms on healthy runs, by rule:")
    L.append("")
    if not fa:
        L.append("- none")
    for rule, rs in sorted(fa.items(), key=lambda kv: -len(kv[1])):
        L.append("- `%s` (%s): %d: %s" % (rule, rule_class(rule), len(rs), examples(rs)))
    L.append("")
    wr = collections.defaultdict(list)
    for r in E["faulty"]:
        for rule in sorted(set(J[r["file"]]["wrong"])):
            wr[(rule, r["primary"])].append(r)
    L.append("Wrong diagnoses on faulty runs (rule on runs of class), lenient:")
    L.append("")
    if not wr:
        L.append("- none")
    for (rule, c), rs in sorted(wr.items(), key=lambda kv: -len(kv[1])):
        L.append("- `%s` on %s: %d: %s" % (rule, c, len(rs), examples(rs)))
    L.append("")
    ws = collections.defaultdict(list)
    for r in E["faulty"]:
        for rule in sorted(set(J[r["file"]]["wrong_strict"]) - set(J[r["file"]]["wrong"])):
            ws[(rule, r["primary"])].append(r)
    if ws:
        L.append("Consequences reported without `caused_by` (counted by the strict figure only):")
        L.append("")
        for (rule, c), rs in sorted(ws.items(), key=lambda kv: -len(kv[1])):
            L.append("- `%s` on %s: %d: %s" % (rule, c, len(rs), examples(rs)))
        L.append("")
    miss = collections.defaultdict(list)
    for r in E["faulty"]:
        for c in sorted(required(r)):
            if c not in J[r["file"]]["detected"]:
                miss[c].append(r)
    L.append("Missed (labeled class, no warning or error of it):")
    L.append("")
    if not miss:
        L.append("- none")
    for c, rs in sorted(miss.items(), key=lambda kv: -len(kv[1])):
        prim = [r for r in rs if r["primary"] == c]
        L.append("- %s: %d (%d as primary class): %s" % (c, len(rs), len(prim), examples(prim or rs, 10)))
    L.append("")
    return L


def main():
    ap = argparse.ArgumentParser(description="Score scram-check on the labeled corpora.")
    ap.add_argument("--bin", default=os.environ.get("SCRAM_CHECK", "./scram-check"),
                    help="the scram-check binary (default: $SCRAM_CHECK, else ./scram-check)")
    ap.add_argument("--rules", default=os.environ.get("SCRAM_CHECK_RULES"),
                    help="rule folder to pass as --rules (default: the binary's own)")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--public", default=os.path.join(os.path.dirname(REPO), "shared", "corpus", "public"))
    ap.add_argument("--no-classes", action="store_true", help="do not pass --classes C to scram-check")
    ap.add_argument("--schedules", default=",".join(SCHEDULES))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", help="also write the report to this file")
    ap.add_argument("--details", help="write one line per dev run and schedule 'every' (TSV)")
    a = ap.parse_args()
    binary = a.bin
    if os.sep not in binary:
        binary = "./" + binary if os.path.exists(binary) else binary
    if not (os.path.exists(binary) or subprocess.run(["sh", "-c", "command -v " + binary],
                                                    stdout=subprocess.DEVNULL).returncode == 0):
        sys.exit("score.py: no scram-check at '%s' (set SCRAM_CHECK or --bin)" % binary)
    version = subprocess.run([binary, "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
    rows = load_labels(a.corpus)
    scheds = [s for s in a.schedules.split(",") if s]
    pub_rows = []
    pub_note = None
    if os.path.exists(os.path.join(a.public, "SOURCES.tsv")):
        pub_rows = load_public(a.public)
    else:
        pub_note = "public corpus not scored: %s/SOURCES.tsv is absent" % a.public
    jobs = []
    for r in rows:
        for s in scheds:
            jobs.append(("dev", r, s))
    for r in pub_rows:
        jobs.append(("pub", r, "every"))
    res = {}
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        futs = {ex.submit(run_check, binary, a.rules, r["path"], s,
                          0 if (a.no_classes or kind == "pub") else r["classes"]): (kind, r["file"], s)
                for kind, r, s in jobs}
        for fu in concurrent.futures.as_completed(futs):
            res[futs[fu]] = fu.result()

    L = ["# scram-check evaluation", ""]
    L.append("`%s` (%s), rules %s. Made by `bench/eval/score.py` (`make eval`); labels: `bench/eval/LABELS.md`." % (
        binary, version or "?", a.rules or "beside the binary"))
    genlog = os.path.join(a.corpus, "generation.log")
    if os.path.exists(genlog):
        with open(genlog) as f:
            g = [x.strip() for x in f if x.startswith("generation:")]
        if g:
            L.append("Corpus " + g[-1] + ".")
    L.append("Counted: warning and error findings (info never). `--classes C` is passed for the development corpus%s." % (
        " (not: --no-classes)" if a.no_classes else ""))
    L.append("")
    from collections import Counter
    cnt = Counter(r["primary"] for r in rows)
    L.append("## Development corpus (`bench/eval/corpus`, %d runs)" % len(rows))
    L.append("")
    L.append("Primary classes: " + ", ".join("%s %d" % kv for kv in sorted(cnt.items())) + ".")
    L.append("")
    dev_every = {r["file"]: res[("dev", r["file"], "every")] for r in rows} if "every" in scheds else None
    if dev_every:
        # was the batch-statistics file paired?
        nostats = [r["file"] for r in rows if r["file"].startswith("stats/") and not dev_every[r["file"]]["batch_stats"]]
        if nostats:
            L.append("Warning: batch statistics not paired for %d runs (%s)." % (len(nostats), ", ".join(nostats[:3])))
            L.append("")
        E = evaluate(rows, dev_every)
        L += class_table(E, "Per class, schedule `every`")
    # schedules
    L.append("### Check schedules")
    L.append("")
    L.append("| schedule | checks spent | checks per run | recall (required classes) | median delay | healthy flagged |")
    L.append("|---|---|---|---|---|---|")
    for s in scheds:
        rs = {r["file"]: res[("dev", r["file"], s)] for r in rows}
        Es = evaluate(rows, rs)
        checks = sum(v["checks"] for v in rs.values())
        nlab = sum(len(required(r)) for r in Es["faulty"])
        ndet = sum(1 for r in Es["faulty"] for c in required(r) if c in Es["J"][r["file"]]["detected"])
        delays = [d for r in Es["faulty"] for c, d in Es["J"][r["file"]]["delays"].items() if c in required(r)]
        L.append("| `%s` | %d | %.1f | %s | %s | %s |" % (s, checks, checks / max(1, len(rows)), ratio(ndet, nlab),
                                                       med(delays), pct(len(Es["h_flag"]), len(Es["healthy"]))))
    epochs = sum(v["epochs"] for v in (dev_every or {}).values())
    if epochs:
        L.append("")
        L.append("(%d epochs in all; delays in epochs, or in evaluation-closed groups for trainer_state.json runs.)" % epochs)
    L.append("")
    # public
    L.append("## Public corpus (`%s`)" % a.public)
    L.append("")
    if pub_note:
        L.append(pub_note + ".")
        L.append("")
        print(pub_note, file=sys.stderr)
        Ep = None
    else:
        pres = {r["file"]: res[("pub", r["file"], "every")] for r in pub_rows}
        pc = Counter(r["primary"] for r in pub_rows)
        L.append("%d runs with a usable note (`unknown` skipped): %s. `plateau` is scored as class `slow`; no onsets, so no delays." % (
            len(pub_rows), ", ".join("%s %d" % kv for kv in sorted(pc.items()))))
        L.append("")
        Ep = evaluate(pub_rows, pres)
        L += class_table(Ep, "Per class, public corpus, schedule `every`", with_delay=False)
    # problems
    L.append("## What to tune against")
    L.append("")
    if dev_every:
        L += problems(E, dev_every, "Development corpus")
    if Ep:
        L += problems(Ep, None, "Public corpus")
    text = "\n".join(L).rstrip() + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    if a.details and dev_every:
        with open(a.details, "w") as f:
            f.write("file\tclass\tlabels\tgray\tconsequences\tinjected\texit\tfindings\twrong\tmissed\n")
            for r in rows:
                j = E["J"][r["file"]]
                fs = ",".join("%s@%s:%s" % (x["rule"], x.get("detected_epoch"), x["severity"][0])
                              for x in dev_every[r["file"]]["findings"])
                f.write("\t".join([r["file"], r["primary"], ",".join(r["labels"]) or "-", ",".join(r["gray"]) or "-",
                                   ",".join(r["consequences"]) or "-", r["injected"],
                                   str(dev_every[r["file"]]["exit"]), fs or "-", ",".join(j["wrong"]) or "-",
                                   ",".join(c for c in r["labels"] if c not in j["detected"]) or "-"]) + "\n")


if __name__ == "__main__":
    main()
