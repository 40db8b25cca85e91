# negative-loss leaves a loss negative from its first value (a Poisson
# likelihood without its constant, as in a public PtychoPINN history): that is
# a loss negative by design. --profile autotrainer (started_negative = 1)
# gives AUTOTRAINER's check_abnormal_value, which fires.
"$SC" --format json testdata/rules/negative-loss.by-design.csv |
	python3 tests/cli/rules/finding.py negative-loss value
echo "--"
"$SC" --format json --profile autotrainer testdata/rules/negative-loss.by-design.csv |
	python3 tests/cli/rules/finding.py negative-loss value
