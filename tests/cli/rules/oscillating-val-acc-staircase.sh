# oscillating-val-acc stays quiet on a staircase: a healthy real run (iris, 45 validation samples) whose val_acc climbs 0.80, 0.80, 0.82, 0.87, 0.87, 0.98 and then sits at 0.98 with one-sample dips. Literally (noise = 0) a flat point is both a peak and a trough, so the steps of the climb pair up as swings and it fires; by default a plateau is one point and the first 20% of the epochs are learning.
"$SC" --format json testdata/rules/oscillating-val-acc.staircase.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc count swing
echo "literal:"
"$SC" --set oscillating-val-acc.noise=0 --format json testdata/rules/oscillating-val-acc.staircase.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc count swing
