# nan-loss on a loss that is NaN at epoch 4 only (a skipped fp16 step, a loss
# scaler that backed off): reported as seen and recovered (persists=no), not
# "NaN from epoch 4 on"; the rule is sticky, so the gate still fails (exit 1).
"$SC" --format json --fail-on warning testdata/rules/nan-loss.recovered.csv |
	python3 tests/cli/rules/finding.py nan-loss epoch value last_finite
"$SC" -q --fail-on warning testdata/rules/nan-loss.recovered.csv >/dev/null
echo "exit $?"
