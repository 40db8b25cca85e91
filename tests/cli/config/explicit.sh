# --config FILE is read instead of any .scram-check; relative rules and
# baseline-file values are taken from the file's folder.
t=$(mktemp -d)
mkdir -p "$t/conf/myrules"
cp rules/nan-loss.rule "$t/conf/myrules/"
sed -i 's/^severity: error/severity: info/' "$t/conf/myrules/nan-loss.rule"
printf 'rules = myrules\nfail-on = warning\n' >"$t/conf/ci.ini"
printf 'fail-on = error\n' >"$t/.scram-check"
"$SC" -q --config "$t/conf/ci.ini" --disable all --enable nan-loss testdata/real/digits-nan.csv
echo "exit $?"
"$SC" --config "$t/missing.ini" testdata/real/digits-nan.csv 2>"$t/err"
echo "exit $?"
sed "s|$t|TMP|g" "$t/err"
rm -rf "$t"
