# Lightning logged the default way (self.log in training_step, on_step only):
# train_loss is on the steps and each epoch holds their mean, never one batch.
# How it is read (summary, notes, series); findings are the rules' business.
"$SC" --verbose testdata/steps-real/lightning_logs/version_2/metrics.csv 2>&1 | sed -n -e 's/, [0-9]* checks\{0,1\} (.*//p' \
	-e '/^  note:/p' -e '/^  read as/p' -e '/^  series per/p'
