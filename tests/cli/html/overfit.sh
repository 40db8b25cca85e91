# --format html on a real overfitting run: the findings and their markers.
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
"$SC" --format html testdata/real/digits-overfit.csv >"$t/r.html"
echo "status $?"
"$SC" --format json testdata/real/digits-overfit.csv >"$t/r.json"
# Every finding carries the epoch of its marker, drawn in both charts.
grep -o 'class="finding[^"]*"[^>]* data-at="[0-9]*"' "$t/r.html"
python3 tests/cli/html/check_html.py "$t/r.html" "$t/r.json"
