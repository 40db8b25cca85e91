# constant-loss stays quiet: a healthy loss that moves in its fourth digit down to 0.02.
"$SC" --format json testdata/rules/constant-loss.quiet.csv |
	python3 tests/cli/rules/finding.py constant-loss
