#!/bin/sh
# Write the catalogue's big malformed inputs into DIR (they are megabytes,
# so they are made at test time instead of being committed). Only POSIX
# sh, awk, head, tr and dd. Usage: sh testdata/bad/make_big.sh DIR
set -e
dir=${1:?usage: make_big.sh DIR}
mkdir -p "$dir"
cd "$dir"
run() { head -c "$1" /dev/zero | tr '\0' "$2"; }	# $1 bytes of the character $2

# A 2 MiB line: a header whose third column name is 2 MiB long (read: a name is a name).
{ printf 'epoch,loss,'; run 2097152 x; printf '\n0,1.0,2.0\n1,0.9,1.9\n2,0.8,1.8\n'; } >long-line.csv
# A 2 MiB cell where a number belongs.
{ printf 'epoch,loss,val_loss\n0,1.0,1.1\n1,'; run 2097152 9; printf ',1.0\n'; } >long-cell.csv
# A console log whose first epoch is one 2 MiB line of progress-bar redraws (\r).
awk 'BEGIN {
	printf "Epoch 1/2\n";
	for (i = 0; i < 80000; i++) printf "%d/80000 [=====>....] - ETA: 1s - loss: 0.9000\r", i;
	printf "80000/80000 [==========] - 9s 1ms/step - loss: 0.5000 - accuracy: 0.8000\n";
	printf "Epoch 2/2\n80000/80000 [==========] - 9s 1ms/step - loss: 0.4000 - accuracy: 0.8500\n";
}' >long-redraw.log
# 20,000 metric columns, 3 epochs.
awk 'BEGIN {
	n = 20000;
	printf "epoch";
	for (i = 1; i <= n; i++) printf ",m%d", i;
	printf ",loss\n";
	for (e = 0; e < 3; e++) {
		printf "%d", e;
		for (i = 1; i <= n; i++) printf ",0.5";
		printf ",%g\n", 1 - e / 10;
	}
}' >wide.csv
# JSON nested 100,000 deep: bare, under a key, and as a Python dict repr in a string.
{ run 100000 '['; run 100000 ']'; printf '\n'; } >deep.json
{ printf '{"loss": '; run 100000 '['; run 100000 ']'; printf '}\n'; } >deep-object.json
awk 'BEGIN {
	printf "\"";
	for (i = 0; i < 100000; i++) printf "{'"'"'a'"'"': ";
	printf "1";
	for (i = 0; i < 100000; i++) printf "}";
	printf "\"\n";
}' >deep-repr.json
# 300 MB of zeros (sparse: takes no disk space): no size cap, but binary data.
dd if=/dev/null of=too-large.csv bs=1 seek=300000000 2>/dev/null
# Batch statistics: a 5 MiB record (longer than a record may be), and 10,001 layers.
{ printf '{"epoch": 0, "'; run 5242880 a; printf '": 1}\n'; } >stats-long-line.jsonl
awk 'BEGIN {
	printf "{\"epoch\": 0";
	for (i = 0; i <= 10000; i++) printf ", \"layer_%d/grad_norm\": 0.1", i;
	printf "}\n";
}' >stats-many-layers.jsonl
