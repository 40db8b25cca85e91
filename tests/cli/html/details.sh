# --html-details: which runs get a section (charts and findings); the others
# keep their line in the overview. Without --format html it is a usage error.
# Beyond 50 sections the report is an audit: a list item per finding, the
# rule texts once at the end (check_html.py still finds every title and id).
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
"$SC" -r --format json testdata/real >"$t/r.json"
for level in default all info warning error none; do
	opt="--html-details $level"
	[ $level = default ] && opt=""
	"$SC" -r --format html $opt testdata/real >"$t/r.html"
	echo "$level: status $?, $(python3 tests/cli/html/check_html.py "$t/r.html" "$t/r.json" |
		grep -E '^(well|sections|summary)' | tr '\n' ' ')"
done
"$SC" --format text --html-details all testdata/real/digits-nan.csv
echo "status $?"
"$SC" --format html --html-details some testdata/real/digits-nan.csv
echo "status $?"
# An audit of every bundled history, all with sections.
"$SC" -r --format json testdata >"$t/a.json" 2>/dev/null
"$SC" -r --format html --html-details all testdata >"$t/a.html" 2>/dev/null
# (Counts that grow with testdata/ are compared, not printed.)
python3 tests/cli/html/check_html.py "$t/a.html" "$t/a.json" >"$t/a.out"
head -n 1 "$t/a.out"
runs=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["runs"]))' "$t/a.json")
[ "$(sed -n 's/^sections //p' "$t/a.out")" = "$runs" ] && echo "a section per run" || echo "sections missing"
[ "$runs" -gt 50 ] && echo "more than 50 sections: an audit"
echo "articles $(grep -c '<article class="finding' "$t/a.html"), list items: $(grep -c '<li class="finding' "$t/a.html" | sed 's/^[1-9][0-9]*$/some/')"
echo "rule texts once: $(grep -c '<section id="rule-texts">' "$t/a.html")"
