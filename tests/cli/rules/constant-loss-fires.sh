# constant-loss fires: every label masked, the loss 0.0 at every epoch.
"$SC" --format json testdata/rules/constant-loss.fires.csv |
	python3 tests/cli/rules/finding.py constant-loss value points since
