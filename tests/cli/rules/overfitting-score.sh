# overfitting on a validation score (mAP, F1, SSIM, a Spearman correlation:
# any validation series of kind score outside the roles, bound as val_acc with
# the run's training loss as the training side): val_mAP50 falls 16% from its
# best at epoch 9 while the loss keeps falling and val_loss hardly moves; val_f1
# falls too, later (alone it fires at epoch 17): one finding per rule and run,
# the earliest. Not on a score that never rose beyond its noise
# (an SSIM at 0.0009 dipping to 0.0004 before the model learns), nor on a
# precision alone (precision and recall trade against each other).
"$SC" --format json testdata/rules/overfitting.score.csv |
	python3 tests/cli/rules/finding.py overfitting variant val_series train_series best best_epoch val_now
for f in overfitting.score-quiet overfitting.precision-quiet; do
	echo "== $f"
	"$SC" --format json "testdata/rules/$f.csv" | python3 tests/cli/rules/finding.py overfitting
done
exit 0
