# diverging-loss stays quiet on a loss that swings to 15 x its minimum for an
# epoch or two and comes back (Adam at lr 0.05 on circles, from bench/eval's
# generator): oscillation, not divergence. The first version (factor 2,
# sustain 2, giveback 0.25, no noise) fired on it.
"$SC" --format json testdata/rules/diverging-loss.swings.csv |
	python3 tests/cli/rules/finding.py diverging-loss ratio
echo "--"
"$SC" --format json --set diverging-loss.noise=0 --set diverging-loss.giveback=0.25 \
	--set diverging-loss.factor=2 --set diverging-loss.sustain=2 \
	testdata/rules/diverging-loss.swings.csv |
	python3 tests/cli/rules/finding.py diverging-loss ratio
