# slow-descent fires: a real run (breast_cancer, SGD at lr 0.001) whose loss falls 0.0014 per epoch from 0.690, as fast at epoch 20 as at epoch 1: 3.8% of the way by the middle of the run.
"$SC" --format json testdata/rules/slow-descent.fires.csv |
	python3 tests/cli/rules/finding.py slow-descent first now fell_pct pace_first pace_last
