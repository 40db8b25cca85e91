/* The HTML report's script (html.c), built into html_assets.c by
 * build-aux/embed.sh. It draws each chart and sparkline from the data
 * html_chart.c writes (see html_chart.h for the format), at the width the
 * browser gives it, and redraws on a resize or before printing. It reads
 * names only through textContent and writes them only as text nodes: no
 * string from a history ever becomes markup. */
(function () {
	"use strict";
	var NS = "http://www.w3.org/2000/svg";
	var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	var DEC = {};
	for (var i = 0; i < 64; i++) DEC[B64.charAt(i)] = i;

	/* The data html_chart.c writes; html_chart.h has its format. */
	function decode(s) {
		var semi = s.indexOf(";"), head = s.slice(0, semi).split(","), chars = s.slice(semi + 1);
		var k = head[0].charAt(1) === "3" ? 3 : 1, logm = head[0].charAt(0) === "l";
		var n = +head[1], lo = +head[2], hi = +head[3], q = [];
		for (var i = 0; i + 2 < chars.length; i += 3) {
			var v = DEC[chars.charAt(i)] * 4096 + DEC[chars.charAt(i + 1)] * 64 + DEC[chars.charAt(i + 2)];
			q.push(v >> 9, v & 511);
		}
		if (n * k > q.length) n = Math.floor(q.length / k);
		var d = { log: logm, n: 0, bad: head[4] ? head[4].split(".").map(Number) : [],
			mean: [], min: [], max: [], k: k };
		for (var c = 0; c < n; c++) {
			var row = [];
			for (var j = 0; j < k; j++) {
				var t = q[c * k + j] / 510, x = q[c * k + j] === 511 ? NaN : lo * (1 - t) + hi * t;
				if (logm && x === x) x = Math.pow(10, x);
				row.push(x);
			}
			d.mean.push(row[0]);
			d.min.push(k === 3 ? row[1] : row[0]);
			d.max.push(k === 3 ? row[2] : row[0]);
		}
		d.n = d.mean.length;
		return d;
	}

	function el(name, attrs, parent, text) {
		var e = document.createElementNS(NS, name);
		for (var a in attrs) e.setAttribute(a, attrs[a]);
		if (text !== undefined) e.textContent = text;
		if (parent) parent.appendChild(e);
		return e;
	}

	function fmt(x) {
		if (x === 0) return "0";
		var a = Math.abs(x);
		if (a >= 1e5 || a < 1e-3) return x.toExponential(1).replace(/\.0e/, "e").replace("e+", "e");
		return String(+x.toPrecision(3));
	}

	function niceStep(span, count) {
		var raw = span / Math.max(1, count), p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
		var m = raw / p;
		return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
	}

	/* Ticks at multiples of a nice step inside [lo, hi]. */
	function ticks(lo, hi, count, integer) {
		var span = hi - lo;
		if (!isFinite(span) || !(span > 0)) return isFinite(span) ? [lo] : [lo, lo / 2 + hi / 2, hi];
		var step = niceStep(span, count);
		if (integer && step < 1) step = 1;
		var out = [], v0 = Math.ceil(lo / step - 1e-9);
		for (var v = v0; v * step <= hi + step * 1e-9 && out.length < 50; v++) out.push(+(v * step).toPrecision(12));
		return out;
	}

	/* The y range: accuracy 0-1 (zoomed only to a tenth below its lowest
	 * value when that is above 0.5), losses from 0, log axes by decades. */
	function yRange(kind, ser, log) {
		var lo = Infinity, hi = -Infinity;
		ser.forEach(function (d) {
			for (var c = 0; c < d.n; c++) {
				if (d.min[c] < lo) lo = d.min[c];
				if (d.max[c] > hi) hi = d.max[c];
			}
		});
		if (!(lo <= hi)) return { lo: 0, hi: 1, log: false, t: [0, 0.5, 1] };
		if (log) {
			var a = Math.floor(Math.log(lo) / Math.LN10 + 1e-9), b = Math.ceil(Math.log(hi) / Math.LN10 - 1e-9);
			if (b <= a) b = a + 1;
			var every = Math.max(1, Math.ceil((b - a) / 5)), t = [];
			for (var e = a; e <= b; e += every) t.push(e);
			return { lo: a, hi: b, log: true, t: t };
		}
		if (kind === "score" && lo >= 0 && hi <= 1) {
			hi = 1;
			lo = lo >= 0.5 ? Math.floor((lo - 0.05) * 10) / 10 : 0;
		} else if (lo >= 0) {
			lo = 0;
		} else if (hi <= 0) {
			hi = 0;
		}
		if (!(hi > lo)) {
			var dd = lo ? Math.abs(lo) * 0.1 : 0.5;
			lo -= dd;
			hi += dd;
		}
		var tk = ticks(lo, hi, 4);
		if (isFinite(hi - lo) && tk.length > 1) {
			var st = tk[1] - tk[0];
			if (tk[0] > lo + 1e-12) { lo = +(tk[0] - st).toPrecision(12); tk.unshift(lo); }
			if (tk[tk.length - 1] < hi - 1e-12) { hi = +(tk[tk.length - 1] + st).toPrecision(12); tk.push(hi); }
		}
		return { lo: lo, hi: hi, log: false, t: tk };
	}

	/* 0..1 from the bottom of the range; halved so that +-1e308 cannot overflow. */
	function yNorm(r, v) {
		if (r.log) v = Math.log(v) / Math.LN10;
		var t = (v / 2 - r.lo / 2) / (r.hi / 2 - r.lo / 2);
		return t < 0 ? 0 : t > 1 ? 1 : t;
	}

	function colPoint(c, cols, n) {
		var first = Math.floor(c * n / cols), end = Math.floor((c + 1) * n / cols);
		if (c + 1 === cols || end > n) end = n;
		return (first + Math.max(first, end - 1)) / 2;
	}

	/* The findings of the chart's run on its axis: articles, or in an audit
	 * list items (whose title is their text before the rule id). */
	function findings(fig) {
		var sec = fig.closest("section"), ax = fig.getAttribute("data-ax") || "e", out = [];
		if (!sec) return out;
		var fs = sec.querySelectorAll(".finding[data-at]");
		for (var i = 0; i < fs.length; i++) {
			var a = fs[i], title = "", code = null;
			if ((a.getAttribute("data-ax") || "e") !== ax) continue;
			if (a.tagName === "ARTICLE") {
				code = a.querySelector("code.rule");
				title = a.querySelector("h3") ? a.querySelector("h3").textContent : "";
			} else {
				for (var c = a.firstChild; c; c = c.nextSibling) {
					if (c.nodeName === "CODE") { code = c; break; }
					title += c.textContent;
				}
			}
			var sev = /sev-(\w+)/.exec(a.className);
			out.push({ at: +a.getAttribute("data-at"), id: code ? code.textContent.replace(/^\[|\]$/g, "") : "?",
				title: title.replace(/\s+/g, " ").trim(), sev: sev ? sev[1] : "info",
				rec: /\brecovered\b/.test(a.className) });
		}
		return out;
	}

	function draw(fig) {
		var plot = fig.querySelector(".plot");
		if (!plot) return;
		var W = Math.max(240, Math.round(plot.getBoundingClientRect().width) || 640);
		var n = +fig.getAttribute("data-n"), kind = fig.getAttribute("data-kind");
		var x0 = fig.hasAttribute("data-x0") ? +fig.getAttribute("data-x0") : 1;
		var x1 = fig.hasAttribute("data-x1") ? +fig.getAttribute("data-x1") : n;
		var xname = fig.getAttribute("data-x") || "epoch";
		if (!fig._ser) {
			fig._ser = [];
			var ul = document.createElement("ul");
			ul.className = "legend";
			["data-na", "data-nb"].forEach(function (a, k) {
				if (!plot.hasAttribute(a)) return;
				var li = document.createElement("li");
				li.className = "k" + k;
				li.textContent = (k ? "validation (" : "training (") + plot.getAttribute(a) + ")";
				ul.appendChild(li);
			});
			fig.insertBefore(ul, plot);
			["data-a", "data-b"].forEach(function (a, k) {
				var s = plot.getAttribute(a);
				if (s) { var d = decode(s); d.k0 = k; fig._ser.push(d); }
			});
			var pos = fig._ser.length > 0, lo = Infinity, hi = -Infinity;
			fig._ser.forEach(function (d) {
				pos = pos && d.log;
				for (var c = 0; c < d.n; c++) {
					if (d.min[c] < lo) lo = d.min[c];
					if (d.max[c] > hi) hi = d.max[c];
				}
			});
			if (kind === "loss" && pos && hi > lo) {
				var item = document.createElement("li"), lab = document.createElement("label");
				var box = document.createElement("input");
				box.type = "checkbox";
				box.checked = hi / lo > 1000;
				box.addEventListener("change", function () { draw(fig); });
				lab.className = "logsw";
				lab.appendChild(box);
				lab.appendChild(document.createTextNode(" log scale"));
				item.className = "sw";
				item.appendChild(lab);
				ul.appendChild(item);
				fig._log = box;
			}
			if (fig._ser.some(function (d) { return d.bad.length; })) {
				var li = document.createElement("li");
				li.className = "bad";
				li.textContent = "NaN or infinite";
				ul.appendChild(li);
			}
		}
		var ser = fig._ser, marks = findings(fig), log = !!(fig._log && fig._log.checked);
		var r = yRange(kind, ser, log);
		/* Marker labels in rows above the plot, none over another. */
		var L = 50, R = 12, rows = [], placed = [];
		var X = function (p) { return L + (n > 1 ? p / (n - 1) : 0.5) * (W - L - R); };
		marks.sort(function (a, b) { return a.at - b.at; }).forEach(function (m) {
			var x = X(Math.min(m.at, n) - 1), w = m.id.length * 5.6 + 4, row = 0;
			var left = Math.min(Math.max(x - w / 2, 2), W - w - 2);
			while (row < 4 && rows[row] !== undefined && rows[row] > left) row++;
			if (row < 4) rows[row] = left + w;
			placed.push({ m: m, x: x, left: left, row: row < 4 ? row : -1 });
		});
		var T = 8 + rows.length * 12, H = (W < 500 ? 150 : 190) + T, PH = H - T - 32;
		var Y = function (v) { return T + (1 - yNorm(r, v)) * PH; };
		var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
			"aria-label": (fig.querySelector("figcaption").firstChild.textContent || "chart") + " over " + n + " " + xname + (n === 1 ? "" : "s") });
		r.t.forEach(function (tv) {
			var v = r.log ? Math.pow(10, tv) : tv, y = Y(v).toFixed(1);
			el("line", { "class": "grid", x1: L, y1: y, x2: W - R, y2: y }, svg);
			el("text", { x: L - 5, y: +y + 4, "text-anchor": "end" }, svg, fmt(v));
		});
		el("line", { "class": "axis", x1: L, y1: T + PH, x2: W - R, y2: T + PH }, svg);
		var integer = xname !== "step" || Math.abs(x1 - x0) >= 5;
		var xt = n > 1 ? ticks(x0, x1, Math.max(2, Math.floor((W - L - R) / 70)), integer) : [x0];
		xt.forEach(function (v) {
			var p = n > 1 && x1 !== x0 ? (v - x0) / (x1 - x0) * (n - 1) : 0, x = X(p).toFixed(1);
			el("line", { "class": "axis", x1: x, y1: T + PH, x2: x, y2: T + PH + 4 }, svg);
			el("text", { x: x, y: T + PH + 16, "text-anchor": "middle" }, svg, fmt(v));
		});
		el("text", { x: L + (W - L - R) / 2, y: H - 3, "text-anchor": "middle" }, svg, xname);
		ser.forEach(function (d) {
			var cls = "k" + d.k0, line = "", band = [], seg = [], pen = false;
			var xs = [];
			for (var c = 0; c < d.n; c++) xs.push(X(colPoint(c, d.n, n)).toFixed(1));
			var flush = function () {
				if (seg.length > 1 || (seg.length === 1 && d.k === 3)) {
					var up = seg.map(function (c) { return xs[c] + " " + Y(d.max[c]).toFixed(1); });
					var dn = seg.slice().reverse().map(function (c) { return xs[c] + " " + Y(d.min[c]).toFixed(1); });
					band.push("M" + up.join("L") + "L" + dn.join("L") + "Z");
				}
				seg = [];
			};
			for (c = 0; c < d.n; c++) {
				var v = d.mean[c];
				if (v !== v) { pen = false; flush(); continue; }
				line += (pen ? "L" : "M") + xs[c] + " " + Y(v).toFixed(1);
				pen = true;
				seg.push(c);
			}
			flush();
			if (d.k === 3 && band.length) el("path", { "class": "band" + d.k0, d: band.join("") }, svg);
			if (line) el("path", { "class": cls, d: line }, svg);
			if (d.n <= 60)
				for (c = 0; c < d.n; c++)
					if (d.mean[c] === d.mean[c]) el("circle", { "class": cls, cx: xs[c], cy: Y(d.mean[c]).toFixed(1), r: 2.5 }, svg);
			d.bad.forEach(function (c) {
				if (c < d.n) el("text", { "class": "bad", x: xs[c], y: T + 9, "text-anchor": "middle" }, svg, "!");
			});
		});
		placed.forEach(function (p) {
			var g = el("g", { "class": "mk sev-" + p.m.sev + (p.m.rec ? " rec" : "") }, svg);
			el("title", {}, g, p.m.title + " (" + xname + " " + p.m.at + ")");
			var x = p.x.toFixed(1), top = p.row >= 0 ? 8 + p.row * 12 + 2 : T;
			el("line", { x1: x, y1: top, x2: x, y2: T + PH }, g);
			if (p.row >= 0) el("text", { x: (p.left + 2).toFixed(1), y: 8 + p.row * 12 }, g, p.m.id);
		});
		plot.textContent = "";
		plot.appendChild(svg);
		fig._w = W;
		fig.setAttribute("data-drawn", "1");
	}

	/* A run with a section lends its sparkline the data of its loss chart. */
	function sparkData(td) {
		if (td.hasAttribute("data-s")) return td.getAttribute("data-s");
		var p = document.querySelector("#run-" + td.getAttribute("data-r") + " figure[data-kind=loss] .plot");
		return p ? p.getAttribute("data-b") || p.getAttribute("data-a") : null;
	}

	function spark(td) {
		var s = sparkData(td);
		if (!s) return;
		var d = decode(s), W = 96, H = 22, lo = Infinity, hi = -Infinity;
		if (d.n > 48) {	/* averaged down to 48 columns, as html.c writes them */
			var m = [], g = d.n / 48;
			for (var j = 0; j < 48; j++) {
				var sum = 0, cnt = 0;
				for (var c0 = Math.floor(j * g); c0 < Math.floor((j + 1) * g); c0++)
					if (d.mean[c0] === d.mean[c0]) { sum += d.mean[c0]; cnt++; }
				m.push(cnt ? sum / cnt : NaN);
			}
			d = { n: 48, mean: m };
		}
		for (var c = 0; c < d.n; c++) {
			if (d.mean[c] < lo) lo = d.mean[c];
			if (d.mean[c] > hi) hi = d.mean[c];
		}
		if (!(lo <= hi)) return;
		if (lo > 0) lo = 0;
		if (!(hi > lo)) hi = lo + 1;
		var path = "", pen = false;
		for (c = 0; c < d.n; c++) {
			var v = d.mean[c];
			if (v !== v) { pen = false; continue; }
			var x = d.n > 1 ? 1 + c / (d.n - 1) * (W - 2) : W / 2;
			var y = 1 + (1 - (v / 2 - lo / 2) / (hi / 2 - lo / 2)) * (H - 2);
			path += (pen ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
			pen = true;
		}
		if (d.n === 1) path += "h1";
		var svg = el("svg", { "class": "spark", width: W, height: H, viewBox: "0 0 " + W + " " + H, "aria-hidden": "true" });
		el("path", { d: path }, svg);
		td.appendChild(svg);
	}

	var t0 = performance.now();
	var figs = [].slice.call(document.querySelectorAll("figure.chart"));
	var sparks = [].slice.call(document.querySelectorAll("td.sp"));
	/* A long report draws what comes into view (and everything before
	 * printing); a short one, all at once. */
	var lazy = figs.length + sparks.length / 10 > 40 && "IntersectionObserver" in window;
	var drawAny = function (e) {
		if (e.tagName === "TD") { if (!e._done) { e._done = 1; spark(e); } } else if (!e._w) draw(e);
	};
	if (lazy) {
		var io = new IntersectionObserver(function (es) {
			es.forEach(function (e) {
				if (e.isIntersecting) { io.unobserve(e.target); drawAny(e.target); }
			});
		}, { rootMargin: "800px 0px" });
		sparks.forEach(function (f) { io.observe(f); });
		figs.forEach(function (f) { io.observe(f); });
	} else {
		sparks.forEach(drawAny);
		figs.forEach(drawAny);
	}
	var redraw = function (all) {
		figs.forEach(function (f) {
			var p = f.querySelector(".plot");
			if ((all && !f._w) || (f._w && p && Math.abs(p.getBoundingClientRect().width - f._w) > 2)) draw(f);
		});
	};
	var timer = 0;
	window.addEventListener("resize", function () {
		clearTimeout(timer);
		timer = setTimeout(function () { redraw(false); }, 150);
	});
	window.addEventListener("beforeprint", function () {
		sparks.forEach(drawAny);
		redraw(true);
	});
	/* For the tests: the script's own time, and the time since navigation
	 * began (parsing included) when it finished. */
	document.documentElement.setAttribute("data-script-ms", String(Math.round(performance.now() - t0)));
	document.documentElement.setAttribute("data-ready-ms", String(Math.round(performance.now())));
	var root = document.documentElement;
	root.setAttribute("data-fits", root.scrollWidth <= root.clientWidth + 1 ? "1" : "0");
})();
