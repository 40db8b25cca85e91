# Calibration on the shared corpus of real histories (../shared/corpus):
# runs labelled healthy in public/SOURCES.tsv get no warning or error from the
# epoch-history rules, except the few counted here; the oscillating runs of
# autotrainer-ol fire oscillating-val-acc and the healthy control none. By
# default a swing counts only after the first 20% of the epochs and beyond
# the sampling noise, so of case_50epoch1's 100 runs (which mostly swing in
# their first ten epochs) about a third fire; --profile thesis gives the
# thesis's literal test and its counts (87 here; 785 of 954 in all).
C=../shared/corpus
if [ ! -d "$C/public" ]; then
	echo "SKIP: $C not present" >&2
	exit 77
fi
"$SC" --format json "$C"/public/* 2>/dev/null | python3 -c '
import csv, json, sys
labels = {}
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f, delimiter="\t"):
        labels[row["file"]] = row["note"]
doc = json.load(sys.stdin)
runs = [r for r in doc["runs"] if labels.get(r["path"].split("/")[-1]) == "healthy"]
print("healthy runs:", len(runs))
count = {}
for r in runs:
    for x in {(f["rule"], f["severity"]) for f in r["findings"]}:
        count[x] = count.get(x, 0) + 1
for (rule, sev), n in sorted(count.items()):
    print("%s %s %d" % (rule, sev, n))
' "$C/public/SOURCES.tsv"
for d in case_50epoch1 case_rawData_50epoch; do
	[ -d "$C/autotrainer-ol/$d" ] || continue
	"$SC" --format json -r "$C/autotrainer-ol/$d" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
n = sum(any(f["rule"] == "oscillating-val-acc" for f in r["findings"]) for r in doc["runs"])
print("%s: oscillating-val-acc on %d of %d runs" % (sys.argv[1], n, len(doc["runs"])))
' "$d"
done
exit 0
