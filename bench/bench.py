#!/usr/bin/python3
"""make bench: scram-check against references measured side by side, in one run.

Every ratio compares two programs timed on the same file in the same run, so
a busy machine slows both. Times are CPU seconds (user + system, the best of
a few runs) unless the row says wall; memory is the peak RSS the kernel
reports. Generated files are cached in $BENCH_DIR (default /tmp/scram_bench).

    /usr/bin/python3 bench/bench.py        (from the top of the tree, after make)

Environment: SC (the binary, default ./scram-check), BENCH_EPOCHS (default
1,000,000), BENCH_FILES (default 10,000), BENCH_BIG (default 10,000,000).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

SC = os.path.abspath(os.environ.get("SC", "./scram-check"))
WORK = os.environ.get("BENCH_DIR", "/tmp/scram_bench")
PY = "/usr/bin/python3"
N = int(os.environ.get("BENCH_EPOCHS", "1000000"))
N_FILES = int(os.environ.get("BENCH_FILES", "10000"))
N_BIG = int(os.environ.get("BENCH_BIG", "10000000"))
# A build that still refuses large histories is measured at the largest size
# it takes (CSV histories have no cap since the streaming reader).
CAP = 64 << 20
CORPUS = os.path.abspath("../shared/corpus/autotrainer-ol")
os.environ.setdefault("SCRAM_CHECK_RULES", os.path.abspath("rules"))
rows = []


def measure(cmd, reps=1, may_fail=False):
    """Run cmd reps times; the run with the least CPU time. A scram-check
    that fails (exit 2) ends the benchmark unless may_fail: its time would
    be the time to print an error."""
    best = None
    for _ in range(reps):
        with tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            msg = err.read().decode(errors="replace").strip()
        r = {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss * 1024,
             "rc": p.returncode, "err": msg}
        if best is None or r["cpu"] < best["cpu"]:
            best = r
    if cmd[0] == SC and best["rc"] not in (0, 1) and not may_fail:
        sys.exit("bench: %s failed (exit %d): %s" % (" ".join(cmd), best["rc"], best["err"]))
    return best


def wall_best(cmd, reps=3):
    return min(measure(cmd)["wall"] for _ in range(reps))


def row(what, value, reference="", ratio="", target=""):
    rows.append((what, value, reference, ratio, target))
    print("  %s: %s %s %s" % (what, value, reference, ratio), file=sys.stderr, flush=True)


def ratio_text(r):
    return "%.1fx faster" % r if r >= 1 else "%.1fx slower" % (1 / r)


def gen(kind, n):
    ext = "csv" if kind == "keras-csv" else "json"
    path = os.path.join(WORK, "%s-%d.%s" % (kind, n, ext))
    if not os.path.exists(path):
        print("generating %s (%d epochs)" % (path, n), file=sys.stderr, flush=True)
        subprocess.run([PY, "bench/gen_histories.py", kind, str(n), path + ".tmp"], check=True)
        os.rename(path + ".tmp", path)
    return path


def mb(path):
    return os.path.getsize(path) / 1e6


def histories(strtod):
    refs = {"keras-csv": ("pandas.read_csv", "import pandas,sys; pandas.read_csv(sys.argv[1])"),
            "history-json": ("json.load", "import json,sys; json.load(open(sys.argv[1]))"),
            "hf-trainer-state": ("json.load", "import json,sys; json.load(open(sys.argv[1]))")}
    csv_ratio = None
    fitted = []
    for kind in ("keras-csv", "history-json", "hf-trainer-state"):
        n = N
        path = gen(kind, n)
        r = measure([SC, "--fail-on", "none", "-q", path], may_fail=True)
        if r["rc"] == 2:
            row("%s, %d epochs (%.0f MB)" % (kind, n, mb(path)), "refused",
                r["err"].replace("\n", " ")[:90], "", "read (no size cap)")
            n = int(n * CAP * 0.95 / os.path.getsize(path)) // 1000 * 1000
            path = gen(kind, n)
        fitted.append(path)
        small = gen(kind, 100)
        sc = measure([SC, "--fail-on", "none", "-q", path], 3)
        base = measure([SC, "--fail-on", "none", "-q", small], 3)
        loop = measure([strtod, path], 3)
        name, code = refs[kind]
        ref = measure([PY, "-c", code, path], 2)
        label = "%s, %d epochs (%.0f MB), whole analysis" % (kind, n, mb(path))
        ratio = sc["cpu"] / loop["cpu"]
        row(label + " vs a strtod loop", "%.2f s" % sc["cpu"], "%.2f s" % loop["cpu"],
            "%.2fx" % ratio, "<= 1.0x" if kind == "keras-csv" else "<= 2x the CSV's")
        if kind == "keras-csv":
            csv_ratio = ratio
        else:
            row("  %s: ratio to the CSV's ratio" % kind, "%.2fx" % (ratio / csv_ratio), "", "",
                "<= 2x")
        row(label + " vs %s alone" % name, "%.2f s" % sc["cpu"], "%.2f s" % ref["cpu"],
            ratio_text(ref["cpu"] / sc["cpu"]), ">= 3x faster" if kind == "keras-csv" else "")
        row("  %s: peak RSS per epoch" % kind,
            "%.0f bytes" % ((sc["rss"] - base["rss"]) / n), "", "", "<= 64 bytes")
        alone = measure([SC, "--disable", "all", "--fail-on", "none", "-q", path], 2)
        row("  %s: peak RSS per epoch, reading alone (--disable all)" % kind,
            "%.0f bytes" % ((alone["rss"] - base["rss"]) / n), "%.2f s" % alone["cpu"],
            "%.2fx the strtod loop" % (alone["cpu"] / loop["cpu"]), "")
    return fitted


def hostile():
    """Issue 14, item 8: memory follows the data on degenerate CSVs."""
    ones = os.path.join(WORK, "ones-60MiB.csv")
    commas = os.path.join(WORK, "commas-63MiB.csv")
    if not os.path.exists(ones):
        with open(ones + ".tmp", "w") as f:
            f.write("loss\n")
            f.write("1\n" * (30 << 20))
        os.rename(ones + ".tmp", ones)
    if not os.path.exists(commas):
        with open(commas + ".tmp", "w") as f:
            f.write("," * (63 << 20))
        os.rename(commas + ".tmp", commas)
    for path, what in ((ones, "60 MiB of one-byte rows (31M epochs)"),
                       (commas, "63 MiB of commas on one line")):
        r = measure([SC, "--fail-on", "none", "-q", path], may_fail=True)
        row("%s: peak RSS, CPU" % what, "%.0f MB" % (r["rss"] / 1e6), "%.1f s" % r["cpu"],
            "%.1fx the file" % (r["rss"] / os.path.getsize(path)), "proportional to the data")


def numbers(files):
    """util/number.c alone against strtod on the same fields."""
    binary = os.path.join(WORK, "number_bench")
    subprocess.run(["cc", "-std=c11", "-O2", "-D_POSIX_C_SOURCE=200809L", "-Isrc", "-o", binary,
                    "bench/number_bench.c", "build/src/util/number.o"], check=True)
    for path in files:
        out = subprocess.run([binary, path], capture_output=True, text=True).stdout.strip()
        row("parse_number vs strtod, every field of %s (wall)" % os.path.basename(path),
            out.split(": ", 1)[-1], "", "", "bit-identical")


def replay_alone(csv):
    """The replay without the reader: bench/replay_time.c over the objects
    of build/ (every rule, schedule every), per point, and the bytes a
    replay holds once a run was stepped, against the strtod loop's time per
    epoch on the same file."""
    binary = os.path.join(WORK, "replay_time")
    objs = sorted(os.path.join(d, f) for d, _, fs in os.walk("build/src") for f in fs
                  if f.endswith(".o") and "/cli" not in d and "/render" not in d)
    cflags = subprocess.run(["pkg-config", "--cflags", "libcjson"], capture_output=True,
                            text=True).stdout.split()
    subprocess.run(["cc", "-std=c11", "-O2", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE",
                    "-Isrc"] + cflags + ["-o", binary, "bench/replay_time.c"] + objs +
                   ["-lcsv", "-lcjson", "-linih", "-lsqlite3", "-lm", "-lpthread"], check=True)
    out = subprocess.run([binary, os.environ["SCRAM_CHECK_RULES"], "3", csv], capture_output=True,
                         text=True).stdout
    held = out.split("\n")[0]
    ns = float(out.split(" ns/point")[0].rsplit(", ", 1)[-1])
    n = int(os.path.basename(csv).split("-")[2].split(".")[0])
    loop = measure([os.path.join(WORK, "strtod_loop"), csv], 3)
    loop_ns = loop["cpu"] * 1e9 / n
    row("replay alone (no reader), %s: CPU per epoch vs the strtod loop's" % os.path.basename(csv),
        "%.0f ns" % ns, "%.0f ns" % loop_ns, "%.2fx" % (ns / loop_ns), "a small fraction")
    row("  replay: what it holds after stepping every epoch", held.split("(")[-1].rstrip(")"),
        "", "", "a few bytes/epoch")
    if os.path.isdir(CORPUS):
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(CORPUS) for f in fs
                       if f.endswith(".csv"))
        out = subprocess.run([binary, os.environ["SCRAM_CHECK_RULES"], "5"] + files,
                             capture_output=True, text=True).stdout
        last = out.strip().split("\n")[-1]
        row("replay alone, thesis corpus (every rule, every epoch)",
            last.split(": ", 1)[-1].split("CPU, ")[-1], "", "", "")


def big():
    path = os.path.join(WORK, "keras-csv-%d-short.csv" % N_BIG)
    if not os.path.exists(path):
        print("generating %s" % path, file=sys.stderr, flush=True)
        with open(path + ".tmp", "w") as f:
            f.write("epoch,accuracy,loss,lr,val_accuracy,val_loss\n")
            step = 100000
            for k in range(0, N_BIG, step):
                f.writelines("%d,0.%04d,1.%04d,0.001,0.%04d,1.%04d\n" % (i, i % 9973, i % 7919,
                             i % 9967, i % 7907) for i in range(k, min(k + step, N_BIG)))
        os.rename(path + ".tmp", path)
    r = measure([SC, "--fail-on", "none", "-q", path], may_fail=True)
    if r["rc"] == 2:
        row("keras-csv, %d epochs (%.0f MB)" % (N_BIG, mb(path)), "refused",
            r["err"].replace("\n", " ")[:90], "", "read")
    else:
        row("keras-csv, %d epochs (%.0f MB)" % (N_BIG, mb(path)), "%.1f s" % r["cpu"],
            "peak RSS %.0f MB" % (r["rss"] / 1e6), "%.0f bytes/epoch" % (r["rss"] / N_BIG), "read")


def thesis():
    if not os.path.isdir(CORPUS):
        row("thesis corpus", "skipped: %s not present" % CORPUS)
        return
    sc = measure([SC, "-r", "--fail-on", "none", "-q", CORPUS], 3)
    ref = measure([PY, "bench/ol_judge_ref.py", CORPUS], 2)
    row("thesis corpus (1,054 runs), every rule at every epoch vs Python ol_judge "
        "recomputed at each check", "%.2f s" % sc["cpu"], "%.2f s" % ref["cpu"],
        ratio_text(ref["cpu"] / sc["cpu"]), ">= 15x faster")
    # Like for like: only the test the reference runs, and the same verdicts
    # (runs flagged), counted from each program's own output.
    one = [SC, "-r", "--fail-on", "none", "-q", "--disable", "all", "--enable",
           "oscillating-val-acc", "--profile", "thesis", CORPUS]
    alone = measure(one, 3)
    out = subprocess.run(one, capture_output=True, text=True).stdout
    sc_flagged = len({line.split(":", 1)[0] for line in out.splitlines()
                      if line.endswith("[oscillating-val-acc]")})
    out = subprocess.run([PY, "bench/ol_judge_ref.py", CORPUS], capture_output=True,
                         text=True).stdout.strip()
    ref_flagged = int(out.rsplit(", ", 1)[-1].split()[0]) if "flagged" in out else -1
    row("thesis corpus, only oscillating-val-acc (--profile thesis) vs the same "
        "Python ol_judge; runs flagged %d vs %d" % (sc_flagged, ref_flagged),
        "%.3f s" % alone["cpu"], "%.2f s" % ref["cpu"], ratio_text(ref["cpu"] / alone["cpu"]),
        ">= 15x faster, same runs flagged")
    html = os.path.join(WORK, "thesis.html")
    with open(html, "w") as f:
        t0 = time.perf_counter()
        subprocess.run([SC, "-r", "--fail-on", "none", "--format", "html", CORPUS], stdout=f)
        t = time.perf_counter() - t0
    row("thesis corpus as HTML: size, time to write (wall)", "%.1f MB" % (mb(html)),
        "%.2f s" % t, "", "<= 3 MB")
    chrome = shutil.which("chromium") or shutil.which("chromium-browser")
    if chrome:
        w = wall_best([chrome, "--headless", "--disable-gpu", "--dump-dom", "file://" + html], 2)
        row("  rendered in headless Chromium (wall)", "%.2f s" % w, "", "", "< 2 s")
    else:
        row("  rendered in headless Chromium", "not measured: no Chromium on this machine",
            "", "", "< 2 s")


def folders():
    src = None
    if os.path.isdir(CORPUS):
        for root, _, files in os.walk(CORPUS):
            for name in sorted(files):
                if name.endswith(".csv"):
                    src = os.path.join(root, name)
                    break
            if src:
                break
    if not src:
        src = "testdata/real/digits-overfit.csv"
    flat = os.path.join(WORK, "flat-%d" % N_FILES)
    nested = os.path.join(WORK, "nested-%d" % N_FILES)
    if not os.path.isdir(flat):
        data = open(src).read()
        os.makedirs(flat + ".tmp")
        for i in range(N_FILES):
            d = os.path.join(nested + ".tmp", "d%03d" % (i // 100))
            os.makedirs(d, exist_ok=True)
            for p in (os.path.join(flat + ".tmp", "r%05d.csv" % i), os.path.join(d, "r%05d.csv" % i)):
                with open(p, "w") as f:
                    f.write(data)
        os.rename(nested + ".tmp", nested)
        os.rename(flat + ".tmp", flat)
    a = measure([SC, "-r", "--fail-on", "none", "-q", flat], 2)
    b = measure([SC, "-r", "--fail-on", "none", "-q", nested], 2)
    row("%d files, one folder vs 100 folders of 100" % N_FILES, "%.2f s" % a["cpu"],
        "%.2f s" % b["cpu"], "%.2fx" % (a["cpu"] / b["cpu"]), "<= 1.5x")
    t1 = wall_best([SC, "-r", "-j", "1", "--fail-on", "none", "-q", nested], 3)
    t2 = wall_best([SC, "-r", "-j", "2", "--fail-on", "none", "-q", nested], 3)
    serial = max(0.0, 2 * t2 / t1 - 1)
    row("%d files nested, -j 2 vs -j 1 (wall); serial share by Amdahl" % N_FILES, "%.2f s" % t2,
        "%.2f s" % t1, "%.2fx, serial %.0f%%" % (t1 / t2, 100 * serial), "serial <= 5%")
    # Wall-clock Amdahl needs two idle cores; on a shared machine -j 2 can
    # be slower than -j 1 whatever the program does. The CPU seconds of the
    # stages that do not run in parallel (SCRAM_CHECK_PHASES) are not blurred.
    for name, path in (("nested", nested), ("thesis corpus", CORPUS)):
        if not os.path.isdir(path):
            continue
        shares = []
        for _ in range(3):
            p = subprocess.run([SC, "-r", "-j", "2", "--fail-on", "none", "-q", path],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, SCRAM_CHECK_PHASES="1"))
            for line in p.stderr.splitlines():
                if "serial share" in line:
                    shares.append(float(line.rsplit("serial share", 1)[1].strip().rstrip("%")))
        if shares:
            row("%s, serial share of the CPU time (SCRAM_CHECK_PHASES, -j 2, best of 3)" % name,
                "%.1f%%" % min(shares), "", "", "serial <= 5%")


def main():
    if not os.access(SC, os.X_OK):
        sys.exit("bench: %s not built (run make)" % SC)
    os.makedirs(WORK, exist_ok=True)
    strtod = os.path.join(WORK, "strtod_loop")
    subprocess.run(["cc", "-O2", "-o", strtod, "bench/strtod_loop.c"], check=True)
    print("machine: %d cores; %s" % (os.cpu_count(), time.strftime("%Y-%m-%d %H:%M UTC",
                                                                   time.gmtime())))
    fitted = histories(strtod)
    numbers(fitted)
    replay_alone(fitted[0])
    big()
    hostile()
    thesis()
    folders()
    print()
    print("| measured | scram-check | reference | ratio | goal (issue 13) |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| %s |" % " | ".join(str(x).replace("|", "/") for x in r))


main()
