# hughuang12's LoRA run: 2.17 to 1.54, then flat and noisy: no climb.
f=../shared/corpus/formats/hf/hughuang12__lora-on-llama3__output__checkpoint-625__trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py diverging-step-loss 
