#!/bin/sh
# CI step: build the Debian package (dpkg-buildpackage -us -uc -b, in a copy
# of the tree under build/deb so nothing lands beside the checkout), unpack
# it into a scratch root with dpkg -x, and check what it installs and that
# the unpacked binary runs. Exit 77 when dpkg-buildpackage is not installed.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
command -v dpkg-buildpackage >/dev/null || {
	echo "deb-check: dpkg-buildpackage not installed (apt-get install dpkg-dev debhelper)" >&2
	exit 77
}
work=$top/build/deb
rm -rf "$work"
mkdir -p "$work/src"
# The tracked files, as a clean clone has them (no build/ or local binaries).
(cd "$top" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf -) |
	tar -xf - -C "$work/src"
(cd "$work/src" && DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-nocheck}" \
	dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
	tail -n 30 "$work/build.log" >&2
	echo "deb-check: dpkg-buildpackage failed (log: $work/build.log)" >&2
	exit 1
}
deb=$(ls "$work"/scram-check_*.deb)
root=$work/root
dpkg -x "$deb" "$root"
fail=0
for f in usr/bin/scram-check usr/share/scram-check/rules/nan-loss.rule \
	usr/share/man/man1/scram-check.1.gz usr/share/man/man5/scram-check-rules.5.gz \
	usr/share/bash-completion/completions/scram-check \
	usr/share/zsh/vendor-completions/_scram-check \
	usr/share/fish/vendor_completions.d/scram-check.fish \
	usr/share/scram-check/contrib/live/scram_live.py \
	usr/share/scram-check/contrib/action/run.sh; do
	[ -e "$root/$f" ] || { echo "deb-check: the package lacks /$f" >&2; fail=1; }
done
rules=$(ls "$root"/usr/share/scram-check/rules/*.rule | wc -l)
want=$(ls "$top"/rules/*.rule | wc -l)
[ "$rules" -eq "$want" ] || { echo "deb-check: $rules rule files, expected $want" >&2; fail=1; }
# The unpacked binary runs; its compiled-in rules folder is /usr/share/...,
# which a scratch root does not have, so point it at the unpacked one.
SCRAM_CHECK_RULES=$root/usr/share/scram-check/rules "$root/usr/bin/scram-check" \
	--version >/dev/null || fail=1
SCRAM_CHECK_RULES=$root/usr/share/scram-check/rules XDG_CONFIG_HOME=$work/xdg \
	"$root/usr/bin/scram-check" -q --no-config "$top/testdata/real/digits-nan.csv" >"$work/out" || true
grep -q '\[nan-loss\]' "$work/out" || { echo "deb-check: the unpacked binary found no nan-loss" >&2; fail=1; }
strings "$root/usr/bin/scram-check" | grep -qx '/usr/share/scram-check/rules' ||
	{ echo "deb-check: the binary does not look in /usr/share/scram-check/rules" >&2; fail=1; }
[ $fail -eq 0 ] || exit 1
echo "deb-check: $(basename "$deb"): $(dpkg-deb -f "$deb" Version), $rules rules, unpacked and run"
