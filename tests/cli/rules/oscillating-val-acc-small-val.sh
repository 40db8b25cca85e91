# oscillating-val-acc stays quiet on a real iris run with 38 validation samples: its val_acc moves by one sample (2.6 points), which the literal 0.02 threshold takes for oscillation (--profile thesis shows it) and the noise-aware default does not.
"$SC" --format json testdata/rules/oscillating-val-acc.small-val.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc
echo "--profile thesis:"
"$SC" --format json --profile thesis testdata/rules/oscillating-val-acc.small-val.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc count n
