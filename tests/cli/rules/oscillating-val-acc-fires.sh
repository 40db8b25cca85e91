# oscillating-val-acc fires: val_acc jumps 0.08 up and down every epoch, well beyond the sampling noise of its 500-sample grid.
"$SC" --format json testdata/rules/oscillating-val-acc.fires.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc count n needed swing
