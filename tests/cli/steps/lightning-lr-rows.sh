# Lightning metrics.csv with LearningRateMonitor rows (empty epoch): the lr
# series on the steps; train_loss_step on the steps, *_epoch and val on epochs.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/lightning_logs/version_0/metrics.csv 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
