# SARIF rule help: Markdown GitHub renders (a placeholder as `code`, never a
# bare <tag> it would drop) and prose without the rule files' line breaks.
"$SC" --format sarif --fail-on none testdata/real/digits-nan.csv | python3 -c '
import json, re, sys
rules = json.load(sys.stdin)["runs"][0]["tool"]["driver"]["rules"]
tags = sum(len(re.findall(r"<[a-z_]+>", r.get("help", {}).get("markdown", ""))) for r in rules)
code = sum(len(re.findall(r"`[a-z_]+`", r.get("help", {}).get("markdown", ""))) for r in rules)
broken = 0
for r in rules:
    for t in (r.get("fullDescription", {}).get("text", ""), r.get("help", {}).get("text", "")):
        broken += any("\n" in p for p in t.split("\n\n"))
print("rules:", len(rules), "bare <placeholders>:", tags, "`placeholders`:", "some" if code else 0, "broken paragraphs:", broken)
'
