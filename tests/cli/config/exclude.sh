# --exclude GLOB (repeatable) drops histories from an audit: a name matches
# any folder or file along the path, a glob with / a run of them.
t=$(mktemp -d)
mkdir -p "$t/runs/keep" "$t/runs/scratch/x" "$t/runs/old"
for d in keep scratch/x old; do cp testdata/real/digits-nan.csv "$t/runs/$d/h.csv"; done
cp testdata/real/digits-nan.csv "$t/runs/keep/train.log.csv"
cd "$t"
"$SC" -q -r --no-config --fail-on none --exclude scratch --exclude 'old/*' --exclude '*.log.csv' runs |
	cut -d: -f1 | sort -u
echo "== nothing left"
"$SC" -q -r --no-config --exclude runs runs
echo "exit $?"
cd / && rm -rf "$t"
