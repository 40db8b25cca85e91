# zero-learning-rate fires: a LearningRateScheduler that returns 0 at every epoch.
"$SC" --format json testdata/rules/zero-learning-rate.fires.csv |
	python3 tests/cli/rules/finding.py zero-learning-rate zeros points first_zero
