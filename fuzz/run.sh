#!/bin/sh
# Build every fuzz harness (fuzz/fuzz_*.c) with clang's libFuzzer into
# build-fuzz/, replay the committed regression inputs (fuzz/regressions/NAME/*)
# through each, then fuzz each for SECONDS (default 60), one after another.
# Prints per harness the executions and whether it crashed; exits non-zero on
# any crash. Usage: sh fuzz/run.sh [SECONDS] [NAME...]
#   FUZZ_CORPUS_KEEP=1 keeps fuzz/corpus-NAME/ from earlier runs (the default
#   starts each from the seeds in testdata/ and rules/).
set -u
cd "$(dirname "$0")/.." || exit 2
secs=${1:-60}
[ $# -gt 0 ] && shift
names=${*:-history csv json text stats rules tfevents mlflowdb wandb}
case "$secs" in '' | *[!0-9]*) echo "fuzz: SECONDS must be a number, not '$secs'" >&2; exit 2 ;; esac
O=build-fuzz
mkdir -p "$O"

# clang with libFuzzer (Debian: clang and libclang-rt-14-dev), installed when missing.
have_libfuzzer() {
	command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1 || return 1
	printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
		>"$O/probe.c"
	"${FUZZ_CC:-clang}" -fsanitize=fuzzer,address,undefined -o "$O/probe" "$O/probe.c" \
		>"$O/probe.log" 2>&1
}
if ! have_libfuzzer; then
	if command -v apt-get >/dev/null 2>&1; then
		echo "fuzz: installing clang libclang-rt-14-dev"
		SUDO=""
		[ "$(id -u)" -eq 0 ] || SUDO=sudo
		export DEBIAN_FRONTEND=noninteractive
		$SUDO apt-get update -q >/dev/null &&
			$SUDO apt-get install -y -q --no-install-recommends clang libclang-rt-14-dev >/dev/null
	fi
	if ! have_libfuzzer; then
		echo "fuzz: ${FUZZ_CC:-clang} cannot build a libFuzzer program" \
			"(install clang and libclang-rt-14-dev):" >&2
		sed 's/^/  /' "$O/probe.log" | head -n 5 >&2
		exit 2
	fi
fi
rm -f "$O/probe" "$O/probe.c" "$O/probe.log"

jobs=$(nproc 2>/dev/null || echo 1)
if ! make --no-print-directory -j"$jobs" -f Makefile -f fuzz/fuzz.mk fuzz-build >"$O/build.log" 2>&1; then
	echo "fuzz: the harnesses do not build:" >&2
	tail -n 20 "$O/build.log" >&2
	exit 2
fi

# The seeds of each harness: files of these folders (and file patterns).
seeds() {
	case "$1" in
	stats) ls testdata/stats/*/stats.* testdata/bad/stats-* 2>/dev/null ;;
	rules) ls rules/*.rule testdata/bad/*.rule 2>/dev/null ;;
	tfevents) find testdata/tfevents -type f ! -name '*.py' 2>/dev/null ;;
	mlflowdb) ls testdata/rundirs/*.db 2>/dev/null ;;
	wandb) ls testdata/rundirs/*.csv testdata/rundirs/wandb/*/*.wandb testdata/wandb/*.csv 2>/dev/null ;;
	*) find testdata/formats testdata/formats-out testdata/real testdata/rules \
		testdata/stats testdata/bad -type f ! -name '*.md' ! -name '*.py' \
		! -name '*.sh' ! -name '*.exit' ! -name '*.rule' ! -name 'stats.*' \
		! -name 'stats-*' 2>/dev/null ;;
	esac
}

dict_of() {
	case "$1" in
	history) echo fuzz/history.dict ;;
	*) echo "fuzz/$1.dict" ;;
	esac
}

# The rules fuzz_history loads (rules/ unless the caller names a folder).
SCRAM_CHECK_RULES=${SCRAM_CHECK_RULES:-$(pwd)/rules}
export SCRAM_CHECK_RULES
failed=0
for n in $names; do
	bin=$O/fuzz_$n
	if [ ! -x "$bin" ]; then
		echo "fuzz_$n: no such harness" >&2
		failed=1
		continue
	fi
	# The committed regression inputs first: each must run clean.
	if [ -d "fuzz/regressions/$n" ] && [ -n "$(ls "fuzz/regressions/$n" 2>/dev/null)" ]; then
		nreg=$(ls "fuzz/regressions/$n" | wc -l)
		if timeout -k 5 300 "$bin" -timeout=10 -rss_limit_mb=2048 \
			fuzz/regressions/"$n"/* >"$O/$n.regress.log" 2>&1; then
			echo "fuzz_$n: $nreg regression inputs pass"
		else
			echo "fuzz_$n: a regression input fails (see $O/$n.regress.log):"
			grep -E 'ERROR|SUMMARY|Running:' "$O/$n.regress.log" | tail -n 4 | sed 's/^/  /'
			failed=1
			continue
		fi
	fi
	[ "$secs" -gt 0 ] || continue
	corpus=fuzz/corpus-$n
	[ -n "${FUZZ_CORPUS_KEEP:-}" ] || rm -rf "$corpus"
	mkdir -p "$corpus"
	for f in $(seeds "$n"); do
		cp "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')" 2>/dev/null
	done
	log=$O/$n.log
	timeout -k 10 $((secs * 2 + 120)) "$bin" "$corpus" -dict="$(dict_of "$n")" \
		-max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="fuzz/crash-$n-" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
	[ -n "$execs" ] || execs=0
	if [ $rc -eq 0 ]; then
		echo "fuzz_$n: $execs executions in ${secs}s, no crash"
	else
		failed=1
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "fuzz_$n: CRASHED after $execs executions (exit $rc)${art:+, input in $art}; log: $log"
		grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|ALARM|out-of-memory' "$log" |
			head -n 3 | sed 's/^/  /'
	fi
done
exit $failed
