# initial-loss fires: the first loss is 9.8 with 10 classes, over 3 ln 10, and the
# second (7.6) is still over it and falling: a bad start, not a blow-up in epoch 1.
"$SC" --format json --classes 10 testdata/rules/initial-loss.fires.csv |
	python3 tests/cli/rules/finding.py initial-loss first expected ratio
