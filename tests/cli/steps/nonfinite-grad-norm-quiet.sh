# fp16 with dynamic loss scaling: three skipped steps in 170 are no error (skipped-overflow-steps says so).
f=testdata/steps-real/hf-fp16-isolated/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py nonfinite-grad-norm 
