# Standard input redirected from a 1 GB file (sparse) is mapped like the file
# itself: refused at its first byte as binary data, without a copy.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dd if=/dev/null of="$tmp/h.csv" bs=1 seek=1000000000 2>/dev/null
"$SC" -q - <"$tmp/h.csv"
