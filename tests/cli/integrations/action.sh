# The GitHub Action's script (contrib/action/run.sh), run as the composite
# action runs it: SARIF written and named in $GITHUB_OUTPUT, annotations on
# stdout, the exit status of fail-on, a step summary, bad inputs refused.
t=$(mktemp -d)
mkdir -p "$t/runs/ok"
cp testdata/real/digits-nan.csv "$t/runs/a.csv"
cp testdata/real/breast-cancer-healthy.csv "$t/runs/ok/h.csv" 2>/dev/null ||
	cp testdata/real/digits-nan.csv "$t/runs/ok/h.csv"
run() {
	(cd "$t" && env SCRAM_CHECK="$SC" GITHUB_OUTPUT="$t/out" GITHUB_STEP_SUMMARY="$t/sum" \
		SC_ARGS="--no-config" "$@" sh "$OLDPWD/contrib/action/run.sh" >"$t/stdout" 2>"$t/stderr")
	echo "exit $?"
}
echo "== fail-on error"
run SC_PATHS=runs SC_FAIL_ON=error
cut -d' ' -f1 "$t/stdout" | sort | uniq -c
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("sarif", d["version"], len(d["runs"][0]["results"]) > 0)' "$t/scram-check.sarif"
cat "$t/out"
grep -c '^### scram-check' "$t/sum"
echo "== fail-on none, no SARIF"
rm -f "$t/out" "$t/scram-check.sarif"
run SC_PATHS=runs SC_FAIL_ON=none SC_SARIF=
[ -e "$t/scram-check.sarif" ] && echo "sarif written" || echo "no sarif"
[ -e "$t/out" ] && echo "output written" || echo "no output"
echo "== two paths, one missing"
run "SC_PATHS=runs/a.csv
runs/none.csv" SC_FAIL_ON=none
grep -c '^::error file=runs/none.csv' "$t/stdout"
echo "== bad fail-on"
run SC_PATHS=runs SC_FAIL_ON=sometimes
cat "$t/stdout"
rm -rf "$t"
echo "== action.yml and .pre-commit-hooks.yaml"
python3 - <<'PY'
import re, yaml
a = yaml.safe_load(open("action.yml"))
print("action:", a["runs"]["using"], sorted(a["inputs"]))
step = [s for s in a["runs"]["steps"] if s.get("id") == "check"][0]
print("runs the script:", "contrib/action/run.sh" in step["run"])
used = set(re.findall(r"inputs\.([a-z-]+)", open("action.yml").read()))
print("inputs all used:", used == set(a["inputs"]))
hooks = yaml.safe_load(open(".pre-commit-hooks.yaml"))
for h in hooks:
    print("hook:", h["id"], h["language"], h["entry"], bool(re.search(h["files"], "runs/a/history.csv")),
          bool(re.search(h["files"], "src/model.py")))
PY
