# A healthy run: the step loss moves in its fourth digit every time.
f=testdata/steps-real/hf-healthy/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py constant-loss 
