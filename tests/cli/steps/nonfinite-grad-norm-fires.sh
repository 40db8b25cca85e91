# fp16 without a working scaler: grad_norm NaN on a third of the steps, eight in a row at worst.
f=testdata/steps-real/hf-fp16-persistent/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py nonfinite-grad-norm count points longest first_at
