# slow-convergence stays quiet when, without a training accuracy, the training
# loss fell by more than half: eval accuracy flat at its ceiling (0.88) is not
# slow optimization (a fine-tune told to raise its learning rate 3-10x).
# fit_loss=0 (the source's test) still fires on the same file.
"$SC" --format json testdata/rules/slow-convergence.fitted.csv |
	python3 tests/cli/rules/finding.py slow-convergence
echo "--- fit_loss=0:"
"$SC" --set slow-convergence.fit_loss=0 --format json testdata/rules/slow-convergence.fitted.csv |
	python3 tests/cli/rules/finding.py slow-convergence
