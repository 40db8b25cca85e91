# Issue 14 item 13: growth is activity. A json.dump history (rewritten each
# epoch, no final newline) is analyzed as it grows and not given up on while
# it still grows, even with an --idle shorter than the whole run.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 2
printf '{"loss": [2.3]}' >h.json
"$SC" --follow --idle 1 h.json >out 2>err &
pid=$!
l='2.3'
for v in 2.0 1.8 1.6 1.5 1.4 1.3 nan; do
	sleep 0.4
	l="$l, $v"
	printf '{"loss": [%s]}' "$l" | sed 's/nan/NaN/' >h.json.tmp
	cat h.json.tmp >h.json
done
wait $pid
rc=$?
grep -v '^ ' out | grep -v '^$'
exit $rc
