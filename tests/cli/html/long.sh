# 200,000 epochs, with NaN and missing values: the charts are bucketed, so the
# page stays small, and still no NaN reaches a coordinate.
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
awk 'BEGIN {
	print "epoch,loss,val_loss,accuracy,val_accuracy"
	for (i = 0; i < 200000; i++) {
		x = i / 200000
		l = 2 * exp(-3 * x) + 0.01 * sin(i)
		if (i == 150000) l = "nan"
		v = (i % 1000 == 7) ? "" : 2.1 * exp(-2 * x) + 0.3 * x
		printf "%d,%s,%s,%.4f,%.4f\n", i, l, v, 1 - exp(-4 * x), 0.9 - 0.8 * exp(-4 * x)
	}
}' >"$t/h.csv"
"$SC" --format html "$t/h.csv" >"$t/r.html"
echo "status $?"
"$SC" --format json "$t/h.csv" >"$t/r.json"
size=$(wc -c <"$t/r.html")
# Each series is its mean, min and max in 400 columns: tens of kilobytes
# (the style and script included), whatever the length of the run.
[ "$size" -lt 60000 ] && echo "under 60 KB" || echo "too big: $size bytes"
python3 tests/cli/html/check_html.py "$t/r.html" "$t/r.json"
