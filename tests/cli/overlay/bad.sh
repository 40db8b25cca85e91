# A broken overlay stops the tool with FILE:LINE and exit 2; --rules must
# exist, the user's folder need not.
t=$(mktemp -d)
export XDG_CONFIG_HOME="$t/none"
try() {
	"$SC" -q "$@" testdata/real/digits-nan.csv >/dev/null 2>"$t/err"
	echo "exit $?"
	sed "s|$t|TMP|g" "$t/err"
}
try --rules "$t/missing"
mkdir "$t/a"
printf 'id: nan-loss\ndisabled: maybe\n' >"$t/a/nan-loss.rule"
try --rules "$t/a"
rm "$t/a/nan-loss.rule"
sed 's/^id: nan-loss/id: other-id/' rules/nan-loss.rule >"$t/a/nan-loss.rule"
try --rules "$t/a"
printf 'id: nan-loss\nseverity: fatal\n' >"$t/a/nan-loss.rule"
try --rules "$t/a"
rm -rf "$t"
