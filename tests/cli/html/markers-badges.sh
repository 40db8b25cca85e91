# The report's finding markers: each finding carries the point it was detected
# at (data-at; data-ax="s" on the step axis), from which the script draws a
# thin line labeled with the rule id (make check-html sees them drawn); zero
# counts get a neutral badge, never a red "0 errors".
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 77; }
t=$(mktemp -d) || exit 99
trap 'rm -rf "$t"' EXIT
"$SC" --format html --fail-on none testdata/real/digits-nan.csv testdata/real/digits-overfit.csv \
	testdata/real/digits-healthy.csv testdata/steps-real/hf-lr-zero/trainer_state.json >"$t/r.html"
python3 - "$t/r.html" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
style = html[html.index("<style>"):html.index("</style>")]
print("marker lines thin:", "svg .mk line{stroke-width:1}" in style)
print("recovered markers dashed:", "svg .mk.rec line{stroke-dasharray" in style)
print("findings with a marker point:", len(re.findall(r'class="finding[^"]*" (?:id="[^"]*" )?data-at="\d+"', html)))
print("of them on the step axis:", len(re.findall(r'class="finding[^"]*" (?:id="[^"]*" )?data-at="\d+" data-ax="s"', html)))
print("step charts:", len(re.findall(r'<figure class="chart"[^>]* data-x="step"', html)))
print("red zero badges:", len(re.findall(r'sev-(error|warning|info)">0 ', html)))
print("neutral zero badges:", "some" if re.search(r'sev-zero">0 ', html) else 0)
PY
