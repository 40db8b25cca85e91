#!/bin/sh
# Fails when a file under src/ includes a header of a stage above its own.
# The stages, bottom up: util; model; read and engine; checks and render; cli.
# A stage may include its own folder and the stages listed for it below.
cd "$(dirname "$0")/.." || exit 2
allowed() {
	case $1 in
	util) echo "util" ;;
	model) echo "model util" ;;
	read) echo "read model util" ;;
	engine) echo "engine model util" ;;
	checks) echo "checks engine model util" ;;
	render) echo "render engine model util" ;;
	cli) echo "cli render checks engine read model util" ;;
	*) echo "" ;;
	esac
}
bad=0
for f in src/*/*.c src/*/*.h; do
	stage=${f#src/}
	stage=${stage%%/*}
	ok=$(allowed "$stage")
	if [ -z "$ok" ]; then
		echo "check-layers: $f: folder '$stage' is not a known stage" >&2
		bad=1
		continue
	fi
	# Every quoted include names a header in the same folder or ../STAGE/.
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		n=${line%%:*}
		inc=${line#*\"}
		inc=${inc%\"*}
		case $inc in
		../*/*) to=${inc#../}; to=${to%%/*} ;;
		*/*) echo "$f:$n: include '$inc': use ../STAGE/NAME.h or a header of this folder"; continue ;;
		*) to=$stage ;;
		esac
		case " $ok " in
		*" $to "*) ;;
		*) echo "$f:$n: $stage includes $inc: a stage may not include one above it" ;;
		esac
	done
done >"${TMPDIR:-/tmp}/check-layers.$$"
if [ -s "${TMPDIR:-/tmp}/check-layers.$$" ]; then
	cat "${TMPDIR:-/tmp}/check-layers.$$" >&2
	bad=1
fi
rm -f "${TMPDIR:-/tmp}/check-layers.$$"
[ $bad -eq 0 ] && echo "layers: every #include stays at or below its stage"
exit $bad
