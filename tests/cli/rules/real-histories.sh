# The real PyTorch histories of testdata/real (see make_histories.py there):
# the findings on each, one line per finding. breast-cancer is binary.
for f in breast-cancer-healthy.csv digits-bad-init.csv digits-dead.csv \
	digits-diverging.csv digits-dropout.csv digits-exploding.csv \
	digits-healthy.csv digits-healthy.json digits-nan.csv digits-nan.json \
	digits-not-converging.csv digits-oscillating.csv \
	digits-oscillating-explodes.csv digits-overfit.csv \
	digits-plateau.csv digits-restarted.csv digits-shuffled-labels.csv \
	digits-shuffled-memorize.csv \
	digits-slow.csv negative-loss.csv; do
	f=testdata/real/$f
	if [ ! -e "$f" ]; then echo "$f: missing"; continue; fi
	c=10
	case $f in *breast-cancer*) c=2 ;; esac
	echo "== $f"
	"$SC" -q --classes $c "$f"
done
exit 0
