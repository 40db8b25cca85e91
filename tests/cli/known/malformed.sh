# A --baseline-file that is missing or malformed: the file, the line, exit 2.
t=$(mktemp -d)
"$SC" -q --baseline-file "$t/none" testdata/real/digits-nan.csv >/dev/null 2>"$t/err"
echo "exit $?"
sed "s|$t|TMP|g" "$t/err"
printf '# scram-check accepted findings 1\nnan-loss\ttestdata/real/digits-nan.csv\n' >"$t/k"
"$SC" -q --baseline-file "$t/k" testdata/real/digits-nan.csv >/dev/null 2>"$t/err"
echo "exit $?"
sed "s|$t|TMP|g" "$t/err"
rm -rf "$t"
