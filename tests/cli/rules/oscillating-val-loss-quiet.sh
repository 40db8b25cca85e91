# oscillating-val-loss stays quiet: a healthy real run (iris, 30 validation samples) whose val_loss wobbles x1.7 (0.05 <-> 0.09) as one sample flips: a tenth of its fall of 0.38, not the fifth that counts.
"$SC" --format json testdata/rules/oscillating-val-loss.quiet.csv |
	python3 tests/cli/rules/finding.py oscillating-val-loss
