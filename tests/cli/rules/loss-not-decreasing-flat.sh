# loss-not-decreasing finds a loss that does not move at all (0.487434 for all
# 5 epochs of a public LSTM) from its third value, long before after = 10.
"$SC" --format json testdata/rules/loss-not-decreasing.flat.csv |
	python3 tests/cli/rules/finding.py loss-not-decreasing first min max variant
