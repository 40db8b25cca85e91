# An option that another one makes meaningless is a usage error or a note,
# never silence.
t=$(mktemp -d)
try() {
	"$SC" "$@" testdata/real/digits-nan.csv >/dev/null 2>"$t/err"
	echo "$* -> exit $?" | sed "s|$t|TMP|g"
	head -n 1 "$t/err"
}
try --chart -q
try --chart --format json
try --chart --format html
try -q --format json --fail-on none
try --config x --no-config
try --write-baseline "$t/a" --baseline-file "$t/b"
rm -rf "$t"
