# Issue 14 items 19-21: a long option without its value names the option;
# "--color always" takes the word as its value; flags win over NO_COLOR (set by
# the test runner); TERM=dumb gets no escape codes; --total-epochs states its
# bound.
TMPDIR_ERR=$(mktemp)
trap 'rm -f "$TMPDIR_ERR"' EXIT
h=testdata/real/digits-nan.csv
for args in "$h --schedule" "$h --explain" "$h --batch-stats" "$h --baseline" "-j" \
	"--total-epochs 0 $h" "--total-epochs 100000001 $h"; do
	"$SC" $args >/dev/null 2>"$TMPDIR_ERR"
	echo "$? $(head -n 1 "$TMPDIR_ERR")"
done
"$SC" -q --color always "$h" | head -n 1 | od -c | head -n 1
"$SC" -q --color=always "$h" | head -n 1 | od -c | head -n 1
"$SC" -q --color never "$h" | head -n 1
if command -v script >/dev/null 2>&1; then
	# A terminal that is dumb: auto colour is off even on a tty.
	TERM=dumb NO_COLOR= script -qec "$SC -q $h" /dev/null | head -n 1 | tr -d '\r'
else
	echo "$h:6: epoch 5: error: loss became NaN [nan-loss]"
fi
