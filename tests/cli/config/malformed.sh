# A malformed configuration names the file and line, and the exit status is 2.
t=$(mktemp -d)
try() {
	printf "$1" >"$t/.scram-check"
	"$SC" -q "$t/h.csv" >/dev/null 2>"$t/err"
	rc=$?
	sed "s|$t|TMP|g" "$t/err"
	echo "exit $rc"
}
cp testdata/real/digits-nan.csv "$t/h.csv"
try 'fail-on = error\nthis is not ini\n'
try '# comment\n\nfail-on = sometimes\n'
try 'format = json\n'
try 'colour = always\n'
try '[other]\nfail-on = error\n'
try 'classes = 1\n'
try 'recursive = maybe\n'
try 'disable =\n'
rm -rf "$t"
