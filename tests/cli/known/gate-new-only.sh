# --write-baseline records today's findings; with --baseline-file they are
# shown as known and do not fail the gate, also after training appended
# epochs to the history; a finding in another run still fails it.
t=$(mktemp -d)
mkdir -p "$t/runs"
head -n 9 testdata/real/digits-nan.csv >"$t/runs/a.csv"
cd "$t"
echo "== record"
"$SC" -q --write-baseline known.tsv runs/a.csv
echo "exit $?"
grep -v '^#' known.tsv
echo "== the same run, grown by 12 epochs"
cp "$OLDPWD/testdata/real/digits-nan.csv" runs/a.csv
"$SC" -q --baseline-file known.tsv runs/a.csv
echo "exit $?"
echo "== a new run"
cp "$OLDPWD/testdata/real/digits-overfit.csv" runs/b.csv
"$SC" -q --baseline-file known.tsv runs/a.csv runs/b.csv
echo "exit $?"
echo "== from the project's configuration"
printf 'baseline-file = known.tsv\n' >.scram-check
"$SC" -q runs/a.csv
echo "exit $?"
cd / && rm -rf "$t"
