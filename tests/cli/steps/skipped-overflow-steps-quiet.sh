# Persistent overflow is nonfinite-grad-norm's error, never also this info.
f=testdata/steps-real/hf-fp16-persistent/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py skipped-overflow-steps 
