# A history that cannot be read is a tool execution notification, and
# executionSuccessful is false; the other history is still reported. Exit 2.
R=testdata/formats-out/rules-error
ver=$("$SC" --version | sed 's/^scram-check //')
out=$(SCRAM_CHECK_RULES=$R "$SC" --format sarif testdata/formats-out/nan.csv \
	testdata/formats-out/no-such-history.csv 2>/dev/null)
rc=$?
printf '%s\n' "$out" | sed "s/\"version\":\([[:space:]]*\)\"$ver\"/\"version\":\1\"VERSION\"/"
exit $rc
