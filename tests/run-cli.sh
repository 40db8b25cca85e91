#!/bin/sh
# Golden CLI tests (zstd's tests/cli-tests in spirit). Each case is
# tests/cli/GROUP/NAME.sh, run from the top of the tree with $SC naming the
# binary; beside it NAME.exit holds the expected exit status, and NAME.stdout
# and NAME.stderr, when present, the exact expected output.
# Set UPDATE=1 to rewrite the expected files from what the binary prints.
SC=${SCRAM_CHECK:-./scram-check}
case "$SC" in /*) ;; *) SC="$(pwd)/$SC" ;; esac
export SC
export SCRAM_CHECK_RULES="$(pwd)/rules"
export NO_COLOR=1
tmp=$(mktemp -d)
# No user's rule overlays or settings leak into the expected output.
export XDG_CONFIG_HOME="$tmp/xdg"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0
for t in tests/cli/*/*.sh; do
	[ -e "$t" ] || continue
	base=${t%.sh}
	name=${base#tests/cli/}
	sh "$t" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 77 ]; then
		skip=$((skip + 1))
		echo "SKIP: $name: $(head -n 1 "$tmp/err")"
		continue
	fi
	if [ -n "$UPDATE" ]; then
		echo "$rc" >"$base.exit"
		[ -e "$base.stdout" ] && cp "$tmp/out" "$base.stdout"
		[ -e "$base.stderr" ] && cp "$tmp/err" "$base.stderr"
	fi
	ok=1
	why=""
	want=$(cat "$base.exit" 2>/dev/null || echo 0)
	if [ "$rc" -ne "$want" ]; then
		ok=0
		why="exit $rc, expected $want"
	fi
	if [ -e "$base.stdout" ] && ! cmp -s "$tmp/out" "$base.stdout"; then
		ok=0
		why="$why; stdout differs"
		diff -u "$base.stdout" "$tmp/out" | head -n 30
	fi
	if [ -e "$base.stderr" ] && ! cmp -s "$tmp/err" "$base.stderr"; then
		ok=0
		why="$why; stderr differs"
		diff -u "$base.stderr" "$tmp/err" | head -n 30
	fi
	if [ $ok -eq 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: $why"
		head -n 5 "$tmp/err" | sed 's/^/  stderr: /'
	fi
done
echo "cli: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
