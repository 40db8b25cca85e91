# zero-learning-rate stays quiet: a cosine decay that reaches exactly 0 at the last epoch.
"$SC" --format json testdata/rules/zero-learning-rate.quiet.csv |
	python3 tests/cli/rules/finding.py zero-learning-rate
