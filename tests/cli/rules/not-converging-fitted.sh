# not-converging with no training accuracy judges val_accuracy alone, and the
# training loss stands in for the training side: a run whose loss fell from
# 2.35 to 0.10 fitted its training data, so a val_accuracy stuck near 0.6 is
# overfitting's finding, not not-converging's (fit_loss = 0 gives the finding
# back); a loss that barely moved (2.30 to 2.08) with val_accuracy at 0.46
# still fires.
echo "fitted:"
"$SC" --format json testdata/rules/not-converging.fitted.csv |
	python3 tests/cli/rules/finding.py not-converging
"$SC" --format json testdata/rules/not-converging.fitted.csv |
	python3 tests/cli/rules/finding.py overfitting best_epoch
echo "fitted, fit_loss=0:"
"$SC" --format json --set not-converging.fit_loss=0 testdata/rules/not-converging.fitted.csv |
	python3 tests/cli/rules/finding.py not-converging best
echo "unfitted:"
"$SC" --format json testdata/rules/not-converging.unfitted.csv |
	python3 tests/cli/rules/finding.py not-converging best best_epoch
