# A fine-tune whose step loss falls from 2.5 to 1.1 and then climbs to about 4
# (a learning rate too high for the later steps): diverging-step-loss is the
# finding to fix first, and the run ending worse than it began (stalled-loss)
# is its consequence, not a second problem with its own advice. The run ends
# at its highest epoch mean, above where it started: diverging-loss sees the
# same climb on the epochs, and the earlier step finding explains it.
"$SC" --format json testdata/steps/hf-diverge-late/trainer_state.json | python3 -c '
import json, sys
for run in json.load(sys.stdin)["runs"]:
    for f in run["findings"]:
        print(f["rule"], f["severity"], "caused_by=%s" % f.get("caused_by"))
'
