# TensorBoard log folders, each one run: Keras train/ + validation/ (the folder
# gives the split), a Hugging Face runs/<date>/ (steps + evaluations), a
# Lightning version_N/ (per-step train_loss, per-epoch val_loss), two event
# files of one run (a restart; half and double tensors), a TF1 file whose
# values share one step.
for d in keras-overfit hf-runs/Dec05_05-05-28_host lightning/version_0 restart \
	tf1-same-step.tfevents good.tfevents; do
	"$SC" --verbose "testdata/tfevents/$d" 2>&1 |
		grep -E '^(testdata|scram-check|  note|  series|  read as)' |
		sed 's/^\(testdata[^:]*:[^:]*:\) \([a-z]*\): .*\[\(.*\)\]$/\1 \2 [\3]/'
	echo "exit $?"
done
