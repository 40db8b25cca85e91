# A finding below --fail-on is no failure: it is kept in the case's
# system-out, and the exit status is 0.
SCRAM_CHECK_RULES=testdata/formats-out/rules-warning "$SC" --format junit --fail-on error \
	testdata/formats-out/nan.csv
