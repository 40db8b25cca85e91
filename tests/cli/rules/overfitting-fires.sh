# overfitting fires: val_loss climbs from its best at epoch 5 (0.41) beyond noise for three epochs while the training loss keeps falling.
"$SC" --format json testdata/rules/overfitting.fires.csv |
	python3 tests/cli/rules/finding.py overfitting best_epoch best val_now change_pct saved
