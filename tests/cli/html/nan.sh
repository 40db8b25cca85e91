# --format html on a real run whose loss went NaN: one well-formed,
# self-contained page with the run's section, both charts, every finding's
# title and rule id, and no NaN in any SVG coordinate.
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
"$SC" --format html testdata/real/digits-nan.csv >"$t/r.html"
echo "status $?"
"$SC" --format json testdata/real/digits-nan.csv >"$t/r.json"
# The nan-loss finding carries its marker's point; the loss chart lists the
# NaN epochs' columns as BAD (a "!" at the top edge, never a coordinate).
grep -o '<article class="finding sev-error"[^>]* data-at="[0-9]*"' "$t/r.html" | sed 's/.*data-at/data-at/'
grep -o 'data-a="[nl][13],[0-9]*,[^,]*,[^,]*,[0-9.]*;' "$t/r.html"
python3 tests/cli/html/check_html.py "$t/r.html" "$t/r.json"
