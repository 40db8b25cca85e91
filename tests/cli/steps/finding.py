"""Print the findings of one rule from scram-check's JSON on stdin, one line
each, with where they were found; exit 77 (skip) when no run of the input
has logged steps (a build whose readers do not hand steps over yet).

    "$SC" --format json FILE | python3 tests/cli/steps/finding.py RULE [KEY...]
"""
import json
import sys


def show(x):
    if isinstance(x, float):
        return "%.6g" % x
    return str(x)


rule, keys = sys.argv[1], sys.argv[2:]
doc = json.load(sys.stdin)
if not any(run.get("steps") for run in doc["runs"]):
    sys.stderr.write("no logged steps read from the input\n")
    sys.exit(77)
for run in doc["runs"]:
    for f in run["findings"]:
        if f["rule"] != rule:
            continue
        extra = "".join(" %s=%s" % (k, show(f["values"].get(k))) for k in keys)
        print("%s %s at %s (%s, line %s)%s: %s" % (
            f["rule"], f["severity"], f["where"], f["axis"], f["line"], extra, f["title"]))
