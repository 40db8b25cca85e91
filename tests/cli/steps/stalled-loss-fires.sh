# Labels shuffled apart from their images: the step loss stays at ln 10 = 2.30 from start to end.
f=testdata/steps-real/hf-shuffled-labels/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py stalled-loss start end gain_pct
