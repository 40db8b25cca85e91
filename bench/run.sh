#!/bin/sh
# make bench: the side-by-side table (bench/bench.py), then the older
# benchmarks, each printing its own numbers. From the top of the tree, after
# `make` (the Makefile's `bench` target does both).
cd "$(dirname "$0")/.." || exit 2
echo "== bench/bench.py"
/usr/bin/python3 bench/bench.py || exit 1
echo "== bench/replay_bench.sh"
sh bench/replay_bench.sh
echo "== bench/stats_bench.sh 100000"
sh bench/stats_bench.sh 100000
