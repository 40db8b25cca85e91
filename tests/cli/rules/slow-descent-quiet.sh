# slow-descent stays quiet: a healthy real run (breast_cancer, Adam) whose loss falls from 0.65 to 0.09 in three epochs and then levels off.
"$SC" --format json testdata/rules/slow-descent.quiet.csv |
	python3 tests/cli/rules/finding.py slow-descent
