# overfitting-scram stays quiet on a run whose validation accuracy never falls two epochs in a row while training accuracy rises.
"$SC" --format json --enable overfitting-scram testdata/rules/overfitting-scram.quiet.csv |
	python3 tests/cli/rules/finding.py overfitting-scram
