# --format jsonl, then --merge in every format, gives byte for byte the report
# (stdout, stderr, exit status) of one process analyzing the same runs; with
# the text format also under --verbose, --chart and -q. testdata holds
# unreadable files, files of several runs, batch statistics and NaNs.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$SC" -r --format jsonl testdata >"$t/runs.jsonl" 2>/dev/null
test -s "$t/runs.jsonl" || echo "no documents"
for args in "--format text" "--format text --verbose" "--format text --chart" \
	"--format text -q" "--format json" "--format sarif" "--format github" \
	"--format junit" "--format html" "--format jsonl" "--format json --fail-on none" \
	"--format junit --strict" "--format text --fail-on info"; do
	"$SC" -r $args testdata >"$t/one.out" 2>"$t/one.err"
	echo "exit $?" >>"$t/one.err"
	"$SC" --merge $args "$t/runs.jsonl" >"$t/merged.out" 2>"$t/merged.err"
	echo "exit $?" >>"$t/merged.err"
	if cmp -s "$t/one.out" "$t/merged.out" && cmp -s "$t/one.err" "$t/merged.err"; then
		echo "$args: identical ($(tail -n 1 "$t/one.err"))"
	else
		echo "$args: DIFFERS"
		diff "$t/one.out" "$t/merged.out" | head -n 5
		diff "$t/one.err" "$t/merged.err" | head -n 5
	fi
done
