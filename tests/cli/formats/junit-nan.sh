# A suite per history, a case per enabled rule, a failure per finding at or
# above --fail-on (here the default, warning).
SCRAM_CHECK_RULES=testdata/formats-out/rules-error "$SC" --format junit \
	testdata/formats-out/nan.csv testdata/formats-out/clean.csv
