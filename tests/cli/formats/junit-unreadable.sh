# An unreadable history is a suite with one case in error; exit 2. The
# document stays well-formed XML (checked when python3 is there).
out=$(SCRAM_CHECK_RULES=testdata/formats-out/rules-error "$SC" --format junit \
	testdata/formats-out/nan.csv testdata/formats-out/no-such-history.csv 2>/dev/null)
rc=$?
printf '%s\n' "$out"
if [ -x /usr/bin/python3 ]; then
	printf '%s\n' "$out" | /usr/bin/python3 -c '
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.stdin)
top = doc.documentElement
assert top.tagName == "testsuites", top.tagName
assert top.getAttribute("errors") == "1", top.getAttribute("errors")
' || exit 98
fi
exit $rc
