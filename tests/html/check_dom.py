"""Check the DOM of a scram-check HTML report after its script ran, as
`chromium --headless --dump-dom` prints it; used by tests/html/check-html.sh.

    python3 check_dom.py DOM.html [FACT>=N | FACT=N | FACT<=N]...

Counts, in the page as the browser left it: the rows of the per-rule summary
(rules), of the overview (runs), the charts drawn (charts: an <svg> in a
figure's plot), their marker lines (markers) and the rule ids labeling them
(labels), dashed markers of recovered findings (recovered), the log-scale
toggles (log), elements or handlers no report has (markup: <img>, on*=), the groups of a cause and its consequences (causes), the
sparklines (sparks), the step-axis charts drawn (steps); and, as the script
recorded them, the milliseconds from navigation to the end of the script
(ready_ms) and whether the page fits the window's width (fits: 1 or 0).
Fails on a NaN or infinity in any SVG coordinate. Prints each fact, then
checks each FACT against its bound; exits 1 on a failure.
"""
import html.parser
import math
import re
import sys

COORD = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height",
         "viewbox", "d", "points"}


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts = dict(rules=0, runs=0, charts=0, markers=0, labels=0, recovered=0,
                          log=0, causes=0, sparks=0, steps=0, markup=0, ready_ms=-1,
                          fits=-1)
        self.bad = []
        self.stack = []         # (tag, classes, attrs)
        self.table = None

    def inside(self, tag, cls=None):
        return any(t == tag and (cls is None or cls in c) for t, c, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        f = self.facts
        for name, value in attrs:
            if name in COORD and value and re.search(r"nan|inf", value, re.I):
                self.bad.append("<%s %s=%r>" % (tag, name, value[:60]))
            if name in COORD and value:
                for num in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", value, re.I):
                    if not math.isfinite(float(num)):
                        self.bad.append("<%s %s=%r>" % (tag, name, value[:60]))
        if tag in ("img", "iframe", "object", "embed") or any(n.startswith("on") for n, _ in attrs):
            f["markup"] += 1     # what only an unescaped name could have made
        if tag == "html":
            f["ready_ms"] = int(a.get("data-ready-ms", -1))
            f["fits"] = int(a.get("data-fits", -1))
        if tag == "table":
            self.table = (cls or [""])[0]
        if tag == "tr" and self.stack and self.stack[-1][0] == "tbody":
            if self.table in ("rules", "runs"):
                f[self.table] += 1
        if tag == "svg" and self.inside("div", "plot"):
            f["charts"] += 1
            fig = next((at for t, c, at in reversed(self.stack) if t == "figure"), {})
            if fig.get("data-ax") == "s":
                f["steps"] += 1
        if tag == "svg" and "spark" in cls:
            f["sparks"] += 1
        if tag == "line" and self.inside("g", "mk"):
            f["markers"] += 1
            if self.inside("g", "rec"):
                f["recovered"] += 1
        if tag == "input" and self.inside("label", "logsw"):
            f["log"] += 1
        if "cause-group" in cls:
            f["causes"] += 1
        if tag not in ("br", "wbr", "meta", "input", "img", "hr", "link"):
            self.stack.append((tag, cls, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "text" and self.inside("g", "mk"):
            self.facts["labels"] += 1


def main():
    dom = Dom()
    dom.feed(open(sys.argv[1], encoding="utf-8").read())
    dom.close()
    ok = True
    for name, value in dom.facts.items():
        print("%s %d" % (name, value))
    for e in dom.bad[:10]:
        print("check_dom: non-finite coordinate " + e, file=sys.stderr)
        ok = False
    for want in sys.argv[2:]:
        m = re.fullmatch(r"(\w+)(>=|<=|=)(-?\d+)", want)
        if not m or m.group(1) not in dom.facts:
            print("check_dom: bad expectation %r" % want, file=sys.stderr)
            return 2
        have, bound = dom.facts[m.group(1)], int(m.group(3))
        good = {">=": have >= bound, "<=": have <= bound, "=": have == bound}[m.group(2)]
        if not good:
            print("check_dom: %s is %d, expected %s%d" % (m.group(1), have, m.group(2), bound),
                  file=sys.stderr)
            ok = False
    return 0 if ok else 1


sys.exit(main())
