# fit(validation_freq=5): val_* lists placed at epochs 5, 10, 15, 20.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/broken/history-validation-freq5.json 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
