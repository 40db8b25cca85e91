#!/bin/sh
# `make eval`: regenerate the labeled corpus when it is missing or older than
# its generator (relabel only, in a second, when just the label rules changed),
# then score scram-check on it and on ../shared/corpus/public, writing
# bench/eval/RESULTS.md.  SCRAM_CHECK names the binary (default: ./scram-check
# at the top of the tree); PYTHON the interpreter (default /usr/bin/python3,
# which needs python3-torch and python3-sklearn).
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
corpus=${EVAL_CORPUS:-$here/corpus}
SCRAM_CHECK=${SCRAM_CHECK:-$top/scram-check}
export SCRAM_CHECK

if [ ! -f "$corpus/labels.tsv" ] || [ ! -f "$corpus/measures.json" ] ||
   [ "$here/gen.py" -nt "$corpus/labels.tsv" ]; then
    echo "eval: generating the corpus in $corpus (a few minutes of CPU)" >&2
    "$PY" -c 'import torch, sklearn' 2>/dev/null || {
        echo "eval: $PY cannot import torch and sklearn (apt-get install python3-torch python3-sklearn)" >&2
        exit 1
    }
    rm -rf "$corpus/epoch" "$corpus/stats" "$corpus/hf" "$corpus/labels.tsv" "$corpus/measures.json"
    mkdir -p "$corpus"
    "$PY" -W ignore "$here/gen.py" --out "$corpus" > "$corpus/generation.tmp"
    mv "$corpus/generation.tmp" "$corpus/generation.log"
    cat "$corpus/generation.log" >&2
elif [ "$here/labelrules.py" -nt "$corpus/labels.tsv" ]; then
    echo "eval: label rules changed: relabeling $corpus" >&2
    "$PY" "$here/gen.py" --out "$corpus" --relabel >&2
else
    echo "eval: reusing $corpus" >&2
fi
# the labels are small and deterministic: keep a copy beside the generator for review
cp "$corpus/labels.tsv" "$here/labels.tsv"
exec "$PY" "$here/score.py" --corpus "$corpus" --out "$here/RESULTS.md" \
    --details "$corpus/score-details.tsv"
