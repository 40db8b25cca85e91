# The report's finding markers: the wide hit area stays transparent (its rule
# comes after the severity colors, as specific as they are); zero counts get
# a neutral badge, never a red "0 errors".
"$SC" --format html --fail-on none testdata/real/digits-nan.csv testdata/real/digits-overfit.csv testdata/real/digits-healthy.csv >/tmp/r.$$.html
python3 - /tmp/r.$$.html <<'PY'
import re, sys
html = open(sys.argv[1]).read()
style = html[html.index("<style>"):html.index("</style>")]
hit = style.find("line.hit{stroke:transparent")
sev = max(m.start() for m in re.finditer(r"\.mk\.sev-\w+ line", style))
print("hit area transparent after the severity colors:", hit > sev)
print("hit lines drawn:", "some" if html.count('class="hit"') else 0)
print("red zero badges:", len(re.findall(r'sev-(error|warning|info)">0 ', html)))
print("neutral zero badges:", "some" if re.search(r'sev-zero">0 ', html) else 0)
PY
rm -f /tmp/r.$$.html
