# What --merge refuses, each with the file and line: documents written with
# other rules or another schedule, a history instead of documents, a broken
# document, and options that belong to the analysis.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$SC" --format jsonl testdata/real/digits-nan.csv >"$t/a.jsonl"
"$SC" --format jsonl --schedule interval:5 testdata/real/digits-nan.csv >"$t/b.jsonl"
cd "$t" || exit 1
"$SC" --merge --disable early-stopping a.jsonl 2>&1 | sed "s/fingerprint [0-9a-f]*, here [0-9a-f]*/fingerprint X, here Y/"
"$SC" --merge --set oscillating-loss.threshold=0.02 a.jsonl 2>&1 | cut -c 1-60
"$SC" --merge a.jsonl b.jsonl; echo "exit $?"
printf 'epoch,loss\n0,1\n' >h.csv
"$SC" --merge h.csv; echo "exit $?"
head -c 300 a.jsonl >cut.jsonl
"$SC" --merge a.jsonl cut.jsonl; echo "exit $?"
sed 's/"persists":[a-z]*/"persists":"yes"/' a.jsonl >bad.jsonl
"$SC" --merge bad.jsonl; echo "exit $?"
: >empty.jsonl
"$SC" --merge empty.jsonl; echo "exit $?"
"$SC" --merge missing.jsonl; echo "exit $?"
"$SC" --merge --schedule final a.jsonl 2>/dev/null; echo "--schedule: exit $?"
"$SC" --merge -r . 2>&1 | head -n 1
