# A .scram-check above the analyzed path is found by walking up, as
# .editorconfig is: its fail-on, disable and exclude apply; --no-config
# ignores it.
t=$(mktemp -d)
mkdir -p "$t/proj/runs/old" "$t/proj/runs/new"
cp testdata/real/digits-nan.csv "$t/proj/runs/new/a.csv"
cp testdata/real/digits-overfit.csv "$t/proj/runs/old/b.csv"
cat >"$t/proj/.scram-check" <<'INI'
# project settings
fail-on = error
disable = not-converging
disable = early-stopping   ; inline comment
exclude = old
INI
cd "$t/proj/runs/new"
echo "== with the project's file"
"$SC" -q -r ..
echo "exit $?"
echo "== --no-config"
"$SC" -q -r --no-config ..
echo "exit $?"
echo "== the command line wins"
"$SC" -q --fail-on none --enable early-stopping a.csv
echo "exit $?"
rm -rf "$t"
