# early-stopping on a run that stalled twice: val_loss was best at epoch 3 and
# patience ran out after 8 (the first detection), then improved to its best at
# epoch 12 and stalled again. The finding is told with the run's best (12,
# would have stopped after 17) and shown where that stretch began, epoch 18 on
# line 19, not at the first detection, so that its head and its title agree;
# detected_epoch stays 9. The snippets compare in the monitor's direction.
"$SC" --format json testdata/rules/early-stopping.twice.csv | python3 -c '
import json, sys
f = [f for f in json.load(sys.stdin)["runs"][0]["findings"] if f["rule"] == "early-stopping"][0]
print(f["detected_epoch"], f["where"], f["line"], f["values"]["best_epoch"], f["values"]["stop_epoch"])
print([l for l in f["snippets"]["pytorch"].splitlines() if "improved =" in l][0].strip())
print([l for l in f["snippets"]["lightning"].splitlines() if "EarlyStopping(" in l][0].strip())
print([l for l in f["snippets"]["transformers"].splitlines() if "metric_for" in l][0].strip())
'
"$SC" -q --fail-on none testdata/rules/early-stopping.twice.csv
