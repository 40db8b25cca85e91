# Issue 14 item 1: a file that looks like a history by its name and cannot be
# read (empty, UTF-16, a crashed run's log padded with NUL bytes) is a row with
# its error and makes the exit status 2; an empty note is still passed over.
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
cp testdata/real/breast-cancer-healthy.csv "$d/"
: >"$d/e.csv"
printf 'epoch,loss\n0,1\n1,nan\n' | iconv -f UTF-8 -t UTF-16 >"$d/u.csv" || exit 77
printf 'epoch,loss\n0,1\n1,0.5\n\0\0\0\0\0\0' >"$d/crashed.log"
: >"$d/NOTES.txt"
cd "$d" || exit 2
"$SC" -q .
