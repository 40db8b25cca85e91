# The JSON Lines schema, pinned: one small run with a finding (values of both
# kinds, a missing value, NaN, -0), an unreadable file, and a file of two runs.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
printf 'epoch,loss,val_loss,accuracy\n0,2.5,2.4,0.1\n1,1.25,,0.5\n2,-0,2.2,0.30000000000000004\n3,nan,nan,0.25\n' >h.csv
printf 'epoch,loss\n0,1\n0,1\n' >two.csv
printf 'not,a\nhistory\n' >bad.csv
# The rules' fingerprint and the version change with every edit of a rule text.
"$SC" --format jsonl --disable all --enable nan-loss h.csv bad.csv two.csv 2>&1 |
	sed 's/"rules":"[0-9a-f]*"/"rules":"FINGERPRINT"/; s/"version":"[^"]*"/"version":"VERSION"/'
"$SC" --format jsonl --disable all --enable nan-loss h.csv >/dev/null 2>&1
echo "exit $?"
