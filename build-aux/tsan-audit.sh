#!/bin/sh
# A -j 2 folder audit under ThreadSanitizer (make tsan): testdata/, then the
# public corpus beside the checkout when present. An audit exits 0, 1 or 2
# by its findings; a race report exits 66.
bin=${1:?usage: tsan-audit.sh BINARY}
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1"
export SCRAM_CHECK_RULES="$(pwd)/rules"
status=0
for dir in testdata ../shared/corpus/public /work/shared/corpus/public; do
	[ -d "$dir" ] || continue
	"$bin" -r -j 2 -q "$dir" >/dev/null 2>build-tsan/audit.err
	rc=$?
	if [ "$rc" -gt 2 ]; then
		echo "tsan: -j 2 audit of $dir: exit $rc" >&2
		grep -A 30 'ThreadSanitizer' build-tsan/audit.err | head -n 60 >&2
		status=1
	else
		echo "tsan: -j 2 audit of $dir: no data race (exit $rc)"
	fi
	[ "$dir" = ../shared/corpus/public ] && break
done
exit $status
