# The README's recipe: an archive spread over GNU parallel, one process per
# history, merged in order: the same text report as one process. Skipped
# when parallel is not installed (Debian package parallel).
if ! command -v parallel >/dev/null 2>&1; then
	echo "GNU parallel is not installed (apt-get install parallel)" >&2
	exit 77
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
find testdata/real -name '*.csv' | LC_ALL=C sort >"$t/list"
"$SC" $(cat "$t/list") >"$t/one.txt"
echo "one process: exit $?"
parallel --will-cite -k -j 2 "$SC" --format jsonl --fail-on none {} <"$t/list" >"$t/runs.jsonl"
echo "parallel: exit $?, $(wc -l <"$t/runs.jsonl") documents"
"$SC" --merge "$t/runs.jsonl" >"$t/merged.txt"
echo "merged: exit $?"
cmp "$t/one.txt" "$t/merged.txt" && echo "identical"
