# overfitting-scram (SCRAM's literal two-epoch pattern, off by default) fires: val_acc falls in each of the last two epochs while acc climbs.
"$SC" --format json --enable overfitting-scram testdata/rules/overfitting-scram.fires.csv |
	python3 tests/cli/rules/finding.py overfitting-scram best_epoch best val_now val_change
