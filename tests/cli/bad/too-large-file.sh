# A 1 GB history (sparse: no disk used) has no size cap: it is mapped, not
# copied, and a file of zeros is refused at its first byte as binary data,
# at once and without taking memory.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dd if=/dev/null of="$tmp/h.csv" bs=1 seek=1000000000 2>/dev/null
cd "$tmp" || exit 3
"$SC" -q h.csv
