# A digits MLP trained with Adam at lr 0.4 (a real run, testdata/real): its
# losses swing from epoch 3 on and the last val_loss blows up to 1850. The
# oscillation is the finding to fix first; the explosion is its consequence
# (scram-check(1), CAUSES: the same learning rate at its worst), not a second
# problem listed beside it.
"$SC" --format json testdata/real/digits-oscillating-explodes.csv | python3 -c '
import json, sys
for run in json.load(sys.stdin)["runs"]:
    for f in run["findings"]:
        print(f["rule"], f["severity"], f["detected_epoch"], "caused_by=%s" % f.get("caused_by"))
'
