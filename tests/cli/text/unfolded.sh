# Machine formats get each paragraph on one line: no line break inside a
# paragraph of any message, why or fix (JSON), nor in SARIF's messages.
"$SC" -r --fail-on none --classes 10 --format json testdata/ 2>/dev/null | python3 -c '
import json, re, sys
doc = json.load(sys.stdin)
n = bad = 0
for r in doc["runs"]:
    for f in r["findings"]:
        for k in ("message", "why", "fix"):
            n += 1
            for para in f[k].split("\n\n"):
                if "\n" in para and not para.startswith(" "):
                    bad += 1
                    print("broken:", f["rule"], k, repr(para[:60]))
print("texts:", "many" if n > 100 else n, "broken:", bad)
'
"$SC" -r --fail-on none --classes 10 --format sarif testdata/ 2>/dev/null | python3 -c '
import json, sys
doc = json.load(sys.stdin)
res = doc["runs"][0]["results"]
bad = [r["ruleId"] for r in res if "\n" in r["message"]["text"].replace("\n\n", "")]
print("sarif results:", "many" if len(res) > 50 else len(res), "with a broken paragraph:", len(bad))
'
