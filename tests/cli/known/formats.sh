# Known findings in the machine formats: JSON "known", SARIF baselineState,
# a GitHub notice, and no JUnit failure.
t=$(mktemp -d)
"$SC" -q --write-baseline "$t/k" testdata/real/digits-nan.csv >/dev/null 2>&1
"$SC" --baseline-file "$t/k" --format json testdata/real/digits-nan.csv |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print([(f["rule"], f.get("known")) for f in d["runs"][0]["findings"]])'
"$SC" --baseline-file "$t/k" --format sarif testdata/real/digits-nan.csv |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted({r.get("baselineState") for r in d["runs"][0]["results"]}))'
"$SC" --baseline-file "$t/k" --format github testdata/real/digits-nan.csv | cut -d' ' -f1 | sort | uniq -c
"$SC" --baseline-file "$t/k" --format junit testdata/real/digits-nan.csv | grep -c '<failure' 
"$SC" --format junit testdata/real/digits-nan.csv | grep -c '<failure'
rm -rf "$t"
