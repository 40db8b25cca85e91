# An audit split over three processes, one of them reading standard input,
# merged back in order: the same report as one process over all the files.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
set -- testdata/real/*.csv
"$SC" --format jsonl "$1" "$2" >"$t/a.jsonl"
shift 2
"$SC" --format jsonl "$1" "$2" >"$t/b.jsonl"
shift 2
"$SC" --format jsonl "$@" >"$t/c.jsonl"
"$SC" --format sarif testdata/real/*.csv >"$t/one.sarif"
echo "one process: exit $?"
cat "$t/c.jsonl" | "$SC" --merge --format sarif "$t/a.jsonl" "$t/b.jsonl" - >"$t/merged.sarif"
echo "merged: exit $?"
cmp "$t/one.sarif" "$t/merged.sarif" && echo "identical"
