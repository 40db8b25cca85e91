# Rule overlays: the built-in rules, then the user's folder
# ($XDG_CONFIG_HOME/scram-check/rules), then --rules DIR. A file with a known
# id replaces that rule, a new id adds one, `disabled: yes` removes one; the
# rest of the built-in set stays.
t=$(mktemp -d)
export XDG_CONFIG_HOME="$t/xdg"
mkdir -p "$t/xdg/scram-check/rules" "$t/proj"
sed 's/^severity: error/severity: info/' rules/nan-loss.rule >"$t/xdg/scram-check/rules/nan-loss.rule"
sed -e 's/^id: nan-loss/id: team-nan/' -e 's/^title: .*/title: the team says: NaN/' \
	rules/nan-loss.rule >"$t/proj/team-nan.rule"
printf 'id: early-stopping\ndisabled: yes\n' >"$t/proj/early-stopping.rule"
echo "built-in: $("$SC" --list-rules | wc -l) rules"
echo "with the user's folder and --rules: $("$SC" --rules "$t/proj" --list-rules | wc -l) rules"
"$SC" --rules "$t/proj" --list-rules | grep -E '^(nan-loss|team-nan|early-stopping) '
"$SC" -q --rules "$t/proj" testdata/real/digits-nan.csv
echo "exit $?"
echo "== --verbose names the folders"
"$SC" -q --verbose --rules "$t/proj" testdata/real/digits-nan.csv 2>&1 >/dev/null | sed -e "s|$t|TMP|g" -e "s|$(pwd)/||"
echo "== --explain says where a rule came from"
"$SC" --rules "$t/proj" --explain nan-loss | grep -E '^(File|Replaces):' | sed -e "s|$t|TMP|g" -e "s|$(pwd)/||"
"$SC" --rules "$t/proj" --explain team-nan | grep -E '^(File|Replaces):' | sed "s|$t|TMP|g"
rm -rf "$t"
