# A healthy run: 2.26 to about 0.2.
f=testdata/steps-real/hf-healthy/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py stalled-loss 
