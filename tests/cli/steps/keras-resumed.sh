# CSVLogger(append=True) and fit(initial_epoch=10) after a crash at epoch 12:
# one run of 25 epochs, rows 10-12 replaced by the newer ones.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/keras-resumed-initial-epoch.csv 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
