# fp16 with dynamic loss scaling: three skipped steps in 170, the loss finite: an info at the end of the run.
f=testdata/steps-real/hf-fp16-isolated/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py skipped-overflow-steps count points first_at
