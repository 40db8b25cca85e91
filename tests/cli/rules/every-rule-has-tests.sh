# Every rule on an epoch-history detector (the ones listed in
# src/checks/table.c) has a history that fires it and one that must not, each
# with its golden test here; prints the rules that lack one.
dets=$(sed -n 's/^[[:space:]]*&detector_\([a-z_]*\),.*/\1/p' src/checks/table.c | tr _ -)
status=0
n=0
m=0
for r in rules/*.rule; do
	id=$(basename "$r" .rule)
	det=$(sed -n 's/^detector:[[:space:]]*//p' "$r")
	echo "$dets" | grep -qx "$det" || continue
	# Needs --baseline and a second run: its tests live with --baseline's.
	[ "$det" = worse-than-baseline ] && continue
	# Rules on logged steps only: golden tests on step logs in tests/cli/steps/.
	if grep -qx 'axis: step' "$r"; then
		m=$((m + 1))
		for k in fires quiet; do
			[ -e "tests/cli/steps/$id-$k.sh" ] || { echo "$id: no $k test"; status=1; }
		done
		continue
	fi
	n=$((n + 1))
	for k in fires quiet; do
		if [ ! -e "testdata/rules/$id.$k.csv" ] || [ ! -e "tests/cli/rules/$id-$k.sh" ]; then
			echo "$id: no $k test"
			status=1
		fi
	done
done
echo "$n epoch-history rules"
echo "$m step rules"
exit $status
