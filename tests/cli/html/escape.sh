# A path full of & < > " ' is escaped everywhere it appears (the page stays
# well-formed, and the section still shows the path as it is).
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
f="$t/a&b<c>\"d'e.csv"
cp testdata/real/digits-overfit.csv "$f"
"$SC" --format html "$f" >"$t/r.html"
echo "status $?"
"$SC" --format json "$f" >"$t/r.json"
grep -c '<c>' "$t/r.html"
python3 tests/cli/html/check_html.py "$t/r.html" "$t/r.json"
# A series name full of markup reaches the page only escaped, in the
# attribute the script reads it from (and writes as text: make check-html).
printf 'epoch,"x<img src=y onerror=alert(1)>&""loss",val_loss\n0,1.0,1.1\n1,0.8,0.9\n2,0.7,0.95\n' >"$t/evil.csv"
"$SC" --format html "$t/evil.csv" >"$t/evil.html"
grep -o 'data-na="[^"]*"' "$t/evil.html"
python3 tests/cli/html/check_html.py "$t/evil.html" | head -n 1
