# Every TensorBoard file and log folder, MLflow run and store, W&B run folder
# and HF output folder of ../shared/corpus/formats: how it reads (format,
# axis, points, steps, series kinds) and what is found, or why it is not read.
C=../shared/corpus/formats
if [ ! -d "$C/tfevents" ]; then
	echo "SKIP: $C not present" >&2
	exit 77
fi
"$SC" --format json -r "$C/tfevents" "$C/mlflow" "$C/wandb" \
	"$C/hf/keanuspies__lyric-generator-llm/outputs" 2>/dev/null | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for r in sorted(doc["runs"], key=lambda r: r["label"]):
    label = r["label"].replace(sys.argv[1] + "/", "")
    if r.get("error"):
        print("%s\n    unread: %s" % (label, r["error"]))
        continue
    kinds = {}
    for m in r.get("metrics", []):
        k = m["kind"] if m["kind"] in ("other", "lr") else "%s/%s" % (m["kind"], m["split"])
        kinds.setdefault(m["axis"], set()).add(k)
    ks = "; ".join("%s: %s" % (a, ",".join(sorted(v))) for a, v in sorted(kinds.items()))
    rules = sorted({f["rule"] for f in r["findings"]})
    print("%s\n    %s %s, %d points, %d steps, %s\n    findings: %s" % (label, r["format"],
          r["axis"], r["epochs"], r["steps"], ks, ",".join(rules) or "-"))
' "$C"
