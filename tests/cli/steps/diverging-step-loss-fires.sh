# keanuspies' lyric model: 5.7 at step 1, about 6 by step 80, then 15 to 26 from step 90 on.
f=../shared/corpus/formats/hf/keanuspies__lyric-generator-llm/outputs/checkpoint-1000/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py diverging-step-loss min min_at now ratio
