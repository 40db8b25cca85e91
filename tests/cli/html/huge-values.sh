# Issue 14 item 16: losses near +-1e308 gave -nan SVG coordinates (hi - lo
# overflowed); the page is well-formed and no coordinate is NaN.
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
printf 'epoch,loss,val_loss\n0,1e308,-1e308\n1,1.5e308,-1.7e308\n2,-1e308,1e308\n3,1e307,5\n' >"$t/big.csv"
"$SC" --format html "$t/big.csv" >"$t/r.html"
echo "status $?"
grep -Ec '(="|[ ,])-?nan' "$t/r.html"
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1]); print("well-formed")' "$t/r.html"
