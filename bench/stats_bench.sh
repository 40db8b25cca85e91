#!/bin/sh
# Time stats_read over a 1,000,000-record stats file and report peak memory.
#   sh bench/stats_bench.sh [RECORDS]      (from the top of the tree)
# Builds bench/stats_bench.c with -O2 into /tmp; the file goes to /tmp too.
set -e
n=${1:-1000000}
file=/tmp/scram_stats_bench_$n.jsonl
bin=/tmp/scram_stats_bench
[ -f "$file" ] || /usr/bin/python3 bench/gen_stats.py "$n" "$file" >/dev/null
ls -l "$file" | awk '{ printf "%s: %.1f MB\n", $NF, $5 / 1e6 }'
# Link the library objects of the normal build (everything but main).
make -s all >/dev/null
objs=$(ls build/src/*/*.o | grep -v '/cli/main.o$')
${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc \
	$(pkg-config --cflags libcjson 2>/dev/null) -o "$bin" bench/stats_bench.c \
	$objs ${BENCH_EXTRA:-} -lcsv \
	$(pkg-config --libs libcjson inih sqlite3 2>/dev/null || echo -lcjson -linih -lsqlite3) \
	-lm -lpthread
"$bin" "$file"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f "wall %e s, max RSS %M KiB (/usr/bin/time)" "$bin" "$file" >/dev/null
fi
