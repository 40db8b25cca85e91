# Issue 14 item 7: a symbolic link out of the audited folder (to /etc, to a
# device) is reported and not followed: nothing of its target is read or
# quoted. A link that stays inside is followed.
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/runs/sub"
cp testdata/real/breast-cancer-healthy.csv "$d/runs/"
ln -s /etc "$d/runs/etc"
ln -s /dev/zero "$d/runs/zero.csv"
ln -s ../breast-cancer-healthy.csv "$d/runs/sub/inside.csv"
cd "$d" || exit 2
timeout 20 "$SC" -r -q runs
