# A learning rate warmed up to 0.65: grad_norm 96.6 at step 50 over a median of about 7.7.
f=testdata/steps-real/hf-lr-high/trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py grad-norm-spike value median ratio spikes
