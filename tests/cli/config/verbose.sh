# --verbose names the configuration file used and what it excluded.
t=$(mktemp -d)
mkdir -p "$t/scratch"
cp testdata/real/digits-nan.csv "$t/a.csv"
cp testdata/real/digits-nan.csv "$t/scratch/b.csv"
printf '[scram-check]\nexclude = scratch\nfail-on = none\n' >"$t/.scram-check"
"$SC" --verbose -r --format json "$t" >/dev/null 2>"$t/err"
echo "exit $?"
sed -e "s|$t|TMP|g" -e "s|$(pwd)/||" "$t/err"
rm -rf "$t"
