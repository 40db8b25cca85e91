# On a terminal, text and --chart fill its width (here 100 columns, through
# script(1)'s pseudo-terminal).
command -v script >/dev/null || { echo "SKIP: script(1) not installed" >&2; exit 77; }
out=$(mktemp)
script -qec "stty cols 100 rows 40; NO_COLOR=1 '$SC' --chart --color=never testdata/real/digits-nan.csv" /dev/null |
	tr -d '\r' >"$out"
echo "axis: $(grep -m1 -- '+---' "$out" | awk '{ print length($0) }') columns"
echo "longest prose: $(grep '^  [^ ]' "$out" | awk '{ if (length($0) > m) m = length($0) } END { print (m > 80 && m <= 100) ? "81..100" : m }')"
rm -f "$out"
