# diverging-loss at the run's last epoch: a loss back above its first value,
# twice its minimum and the highest since it, ended in a blow-up however short
# the streak (the shape of a public regression, 3.88 down to 1.89, then 3.97).
# A run that swings and ends on a peak lower than an earlier swing does not.
"$SC" --format json testdata/rules/diverging-loss.ended.csv |
	python3 tests/cli/rules/finding.py diverging-loss variant end_epoch since_epoch min min_epoch first now
"$SC" --format json testdata/rules/diverging-loss.ends-on-peak.csv |
	python3 tests/cli/rules/finding.py diverging-loss
"$SC" --format json --set diverging-loss.ended=0 testdata/rules/diverging-loss.ended.csv |
	python3 tests/cli/rules/finding.py diverging-loss
exit 0
