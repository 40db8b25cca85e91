# Text output shows the snippet of the framework the run was logged with: the
# Transformers one for a Hugging Face trainer_state.json, the Lightning one for
# a Lightning metrics.csv (JSON and --explain keep them all). Skipped while the
# readers do not tell the framework.
hf=testdata/steps-real/hf-lr-zero/trainer_state.json
pl=../shared/corpus/formats/lightning/Kleinschock__Gaze_Detection_Correction__lightning_logs__version_0__metrics.csv
for f in "$hf" "$pl"; do
	[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
	fw=$("$SC" --format json "$f" | python3 -c 'import json, sys
print(json.load(sys.stdin)["runs"][0]["framework"] or "")')
	[ -n "$fw" ] || { echo "$f: the reader does not tell the framework" >&2; exit 77; }
	printf '%s:' "$fw"
	"$SC" "$f" | grep -m 1 -E '^ +(from transformers|from lightning|trainer = pl\.Trainer|import tensorflow)'
done
