# HF trainer_state.json with evaluation every 20 steps: evaluations are the
# run's points at their step and fractional epoch, training entries the steps.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/hf-eval-steps/trainer_state.json 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
