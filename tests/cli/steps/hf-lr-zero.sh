# learning_rate 0 on every step: read as steps with the lr series.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/hf-lr-zero/trainer_state.json 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
