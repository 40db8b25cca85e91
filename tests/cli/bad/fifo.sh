# Issue 14 item 6: a FIFO as a history, --batch-stats, --baseline or rule file
# is refused at once ("not a regular file"), never opened for a blocking read.
# timeout turns a hang into exit 124, which no expected status matches.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/f.csv" "$tmp/stats.jsonl" || exit 77
mkdir "$tmp/rules"
cp rules/*.rule "$tmp/rules/"
rm "$tmp/rules/nan-loss.rule"
mkfifo "$tmp/rules/nan-loss.rule"
h=testdata/real/digits-nan.csv
run() {
	timeout 10 "$SC" "$@" >/dev/null 2>"$tmp/err"
	rc=$?
	sed "s|$tmp|TMP|g" "$tmp/err"
	echo "exit $rc"
}
run "$tmp/f.csv"
run --batch-stats "$tmp/stats.jsonl" "$h"
run --baseline "$tmp/f.csv" "$h"
run --rules "$tmp/rules" "$h"
run --follow --idle 1 "$tmp/f.csv"
# Standard input still works.
timeout 10 "$SC" - <"$h" >/dev/null
echo "stdin exit $?"
