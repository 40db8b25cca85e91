"""Check a scram-check HTML report; used by the tests/cli/html/*.sh cases.

    python3 check_html.py REPORT.html [REPORT.json]

Checks that the page is one self-contained, well-formed HTML5 document (tags
balanced as html.parser sees them, and well-formed XML as well, which the
renderer promises), that it loads nothing from outside (its one script is
inline), that the chart data the script draws from is well-formed (format in
src/render/html_chart.h: no NaN or infinity in a bound, as many codes as
columns, BAD columns in range), and, given the JSON report of the same runs,
that every run has a section (id run-N) or a row in the overview (id r-N),
and every finding of a run with a section its title and rule id there.
Prints what it counted, one fact a line, so the golden .stdout pins them;
on a failure prints why to stderr and exits 1.
"""
import html.parser
import json
import math
import re
import sys
import xml.etree.ElementTree as ET

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
errors = []


def fail(msg):
    errors.append(msg)


def check_series(value):
    """One data-a/data-b/data-s value; returns its number of columns."""
    m = re.fullmatch(r"([nl])([13]),(\d+),([^,;]*),([^,;]*),([0-9.]*);([A-Za-z0-9_-]*)", value)
    if not m:
        fail("malformed chart data %r" % value[:60])
        return 0
    k, cols = int(m.group(2)), int(m.group(3))
    for bound in (m.group(4), m.group(5)):
        try:
            if not math.isfinite(float(bound)):
                fail("non-finite chart bound %r" % bound)
        except ValueError:
            fail("chart bound %r is not a number" % bound)
    if float(m.group(4)) > float(m.group(5)):
        fail("chart bounds out of order in %r" % value[:60])
    bad = [int(b) for b in m.group(6).split(".") if b]
    if any(b >= cols for b in bad):
        fail("BAD column beyond %d columns in %r" % (cols, value[:60]))
    codes = cols * k
    want = (codes + 1) // 2 * 3
    if len(m.group(7)) != want:
        fail("%d characters of codes for %d codes" % (len(m.group(7)), codes))
    return cols


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.doctype = None
        self.sections = {}      # run number -> text of its section
        self.current = None
        self.section_depth = 0
        self.findings = 0
        self.rows = 0
        self.rule_rows = 0
        self.charts = 0
        self.series = 0
        self.scripts = 0
        self.table = None

    def handle_decl(self, decl):
        self.doctype = decl

    def attrs_ok(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name in ("src", "href") and not value.startswith("#"):
                fail("external reference <%s %s=%r>" % (tag, name, value))
            if name in ("data-a", "data-b", "data-s"):
                check_series(value)
                self.series += 1
            if name.startswith("on"):
                fail("inline event handler <%s %s>" % (tag, name))
        if tag in ("link", "iframe", "object", "img", "embed"):
            fail("<%s> in a self-contained report" % tag)
        if tag == "script":
            self.scripts += 1
            if dict(attrs).get("src") is not None:
                fail("<script src> in a self-contained report")

    def start(self, tag, attrs, closed):
        self.attrs_ok(tag, attrs)
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        ident = a.get("id") or ""
        if tag == "section" and "run" in cls:
            m = re.fullmatch(r"run-(\d+)", ident)
            if not m:
                fail("run section without id run-N")
            else:
                self.current = int(m.group(1))
                self.sections[self.current] = ""
                self.section_depth = len(self.stack) + 1
        if "finding" in cls and tag in ("article", "li"):
            self.findings += 1
        if tag == "table":
            self.table = (cls or [""])[0]
        if tag == "tr" and self.stack and self.stack[-1] == "tbody":
            if self.table == "runs":
                self.rows += 1
            elif self.table == "rules":
                self.rule_rows += 1
        if tag == "figure" and "chart" in cls:
            self.charts += 1
        if tag == "html" and not a.get("lang"):
            fail("<html> without lang")
        if not closed and tag not in VOID:
            self.stack.append(tag)

    def handle_starttag(self, tag, attrs):
        self.start(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self.start(tag, attrs, True)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            fail("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
            return
        self.stack.pop()
        if tag == "section" and len(self.stack) + 1 == self.section_depth:
            self.current = None
            self.section_depth = 0

    def handle_data(self, data):
        if self.current is not None and self.stack and self.stack[-1] != "script":
            self.sections[self.current] += data


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    page = Page()
    page.feed(text)
    page.close()
    if page.stack:
        fail("unclosed: %s" % " ".join(page.stack))
    if (page.doctype or "").lower() != "doctype html":
        fail("doctype is %r" % page.doctype)
    if '<meta charset="utf-8"' not in text:
        fail("no <meta charset>")
    if page.scripts != 1:
        fail("%d scripts, expected the one inline" % page.scripts)
    if not re.search(r"<script>//<!\[CDATA\[\n.*//\]\]></script>", text, re.S):
        fail("the script is not in a CDATA section")
    try:
        ET.fromstring(text.split("\n", 1)[1])   # after <!DOCTYPE html>
    except ET.ParseError as e:
        fail("not well-formed XML: %s" % e)
    if len(sys.argv) > 2:
        doc = json.load(open(sys.argv[2], encoding="utf-8"))
        runs = doc["runs"]
        for no, run in enumerate(runs, 1):
            sec = page.sections.get(no)
            if sec is None:
                if run["error"]:
                    fail("unreadable run %d without a section" % no)
                if len(runs) == 1 or 'id="r-%d"' % no not in text:
                    fail("run %d has neither a section nor a row" % no)
                continue
            label = run["label"]
            if label not in sec and label.rsplit("/", 1)[-1] not in sec:
                fail("section %d without its label %r" % (no, label))
            if run["error"] and run["error"] not in sec:
                fail("unreadable run without its error %r" % run["error"])
            for f in run["findings"]:
                for want in (f["title"], f["rule"]):
                    if want not in sec:
                        fail("%s: %r missing" % (label, want))
    for e in errors[:20]:
        print("check_html: " + e, file=sys.stderr)
    print("well-formed" if not errors else "BROKEN")
    print("sections %d" % len(page.sections))
    print("findings %d" % page.findings)
    print("charts %d" % page.charts)
    print("series %d" % page.series)
    print("summary rows %d" % page.rows)
    print("rule rows %d" % page.rule_rows)
    return 1 if errors else 0


sys.exit(main())
