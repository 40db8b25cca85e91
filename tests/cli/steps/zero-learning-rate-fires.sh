# A real PyTorch run written as HF trainer_state.json with learning_rate 0.0 on every step.
f=testdata/steps-real/hf-lr-zero/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py zero-learning-rate zeros points first_zero
