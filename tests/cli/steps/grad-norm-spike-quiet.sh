# akhmetvaleev's healthy Whisper fine-tune: grad_norm 286 at its first logged step (25), then 25 to 50: a warm-up, not a spike.
f=../shared/corpus/formats/hf/akhmetvaleev-ruslan__bashkir-language-audio2text__trainer_state.json
[ -e "$f" ] || { echo "$f not present" >&2; exit 77; }
"$SC" --format json "$f" | python3 tests/cli/steps/finding.py grad-norm-spike 
