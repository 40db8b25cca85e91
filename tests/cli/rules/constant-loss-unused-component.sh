# constant-loss stays quiet on a loss component that is 0 at every epoch (YOLO's
# cls_loss with one class): a component the task does not use, not a stopped run.
"$SC" --format json testdata/rules/constant-loss.unused-component.csv |
	python3 tests/cli/rules/finding.py constant-loss
