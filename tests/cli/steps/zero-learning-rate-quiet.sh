# CatherineYellow's QLoRA run: a linear decay that reaches exactly 0 at its last step (999 non-zero values first).
f=../shared/corpus/formats/hf/CatherineYellow__Fine-Tuning-TinyLLaMA-1b-with-Clinical-Instruction-Data-with-QLoRA-Method__outputs__checkpoint-1000__trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py zero-learning-rate 
