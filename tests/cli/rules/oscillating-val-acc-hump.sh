# oscillating-val-acc stays quiet on one dip that recovers (val_acc on 500
# samples: 0.90, 0.898, 0.84, 0.87, 0.89 in an 8-epoch run): rate x n asks for a
# single swing below 10 epochs, and the rule's min_count = 2 asks for swinging
# back and forth. min_count=0, and --profile thesis (the literal test), fire.
"$SC" --format json testdata/rules/oscillating-val-acc.hump.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc
echo "min_count=0:"
"$SC" --format json --set oscillating-val-acc.min_count=0 testdata/rules/oscillating-val-acc.hump.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc count n
echo "--profile thesis:"
"$SC" --format json --profile thesis testdata/rules/oscillating-val-acc.hump.csv |
	python3 tests/cli/rules/finding.py oscillating-val-acc count n
