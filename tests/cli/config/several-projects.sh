# Paths in two projects: the first one's file is used, and a note says so.
t=$(mktemp -d)
mkdir -p "$t/p1" "$t/p2"
cp testdata/real/digits-nan.csv "$t/p1/a.csv"
cp testdata/real/digits-nan.csv "$t/p2/b.csv"
printf 'fail-on = none\n' >"$t/p1/.scram-check"
printf 'fail-on = error\n' >"$t/p2/.scram-check"
"$SC" -q "$t/p1/a.csv" "$t/p2/b.csv" 2>&1 >/dev/null | sed "s|$t|TMP|g"
"$SC" -q "$t/p1/a.csv" "$t/p2/b.csv" >/dev/null 2>&1
echo "exit $?"
rm -rf "$t"
