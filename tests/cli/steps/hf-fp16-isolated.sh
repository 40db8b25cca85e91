# fp16 run whose grad_norm is infinite at 3 skipped steps under a finite loss:
# the note on HF's logging_nan_inf_filter.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/hf-fp16-isolated/trainer_state.json 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
