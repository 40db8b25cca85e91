# A classifier's loss is a cross-entropy: never negative and near ln C at the
# start, so negative-loss's started_negative and exploding-loss's growth (which
# spare likelihoods and regressions in big units) do not apply to it. A
# one-epoch run with an accuracy at chance and a loss of -1.96e13 and 3.3e13
# (the shape of a public MLflow run) gets both; a loss negative by design (no
# accuracy) and a regression whose first loss is 52,000 get neither. The first
# loss of a network whose initial weights explode is huge: exploding-gradient
# (batch statistics) is its cause.
for f in negative-loss.cross-entropy negative-loss.by-design exploding-loss.regression-units; do
	echo "== $f"
	"$SC" -q --fail-on none "testdata/rules/$f.csv"
done
echo "== exploding-init"
"$SC" --format json --batch-stats testdata/stats/exploding-init/stats.jsonl \
	testdata/stats/exploding-init/history.csv | python3 -c '
import json, sys
for f in json.load(sys.stdin)["runs"][0]["findings"]:
    if f["severity"] != "info":
        print(f["rule"], f["detected_epoch"], "caused_by=%s" % f["caused_by"], f["values"].get("variant"))
'
exit 0
