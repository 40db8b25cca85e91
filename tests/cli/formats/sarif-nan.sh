# SARIF for one history with a NaN loss (an error: exit 1). The tool's
# version is replaced so that a release does not change the expected output.
R=testdata/formats-out/rules-error
ver=$("$SC" --version | sed 's/^scram-check //')
out=$(SCRAM_CHECK_RULES=$R "$SC" --format sarif testdata/formats-out/nan.csv)
rc=$?
printf '%s\n' "$out" | sed "s/\"version\":\([[:space:]]*\)\"$ver\"/\"version\":\1\"VERSION\"/"
exit $rc
