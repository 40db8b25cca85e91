# Checkpoint lines '(epoch=N, val_loss=x)' and a final 'Test accuracy' line
# are not epoch rows: 30 epochs, one run.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/broken/console-checkpoints.log 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
