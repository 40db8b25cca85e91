# oscillating-val-loss fires: a real run (moons, Adam at lr 0.3, 50 validation samples) whose val_loss jumps 0.2 -> 3.4 -> 0.56 -> 3.75 -> 0.37 -> 1.5: moves by x1.5 and more than a fifth of the loss's fall, four of them by epoch 14.
"$SC" --format json testdata/rules/oscillating-val-loss.fires.csv |
	python3 tests/cli/rules/finding.py oscillating-val-loss count n needed swing ratio min_fall_swing
