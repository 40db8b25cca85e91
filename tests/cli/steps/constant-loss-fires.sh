# Rishikarpe's LoRA run with every label masked: loss 0.0 (and grad_norm 0.0) on all 100 entries.
f=../shared/corpus/formats/hf/Rishikarpe__LoRA-Fine-Tuning__outputs__checkpoint-1000__trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py constant-loss value points since
