#!/usr/bin/python3
"""stats-check.py: checks casework's published statistics as an outsider would, with another solver.

    stats-check.py STATS_SAMPLE FIRST COUNT SCRATCH [--joint-every N]
    stats-check.py --self-test STATS_SAMPLE SCRATCH

Runs STATS_SAMPLE (tests/stats-sample.c) to get COUNT random data sets (seeds FIRST...) and the
reports stats_compute publishes from them, then for each one, using nothing of casework's code:

  1. counts the cases itself (cases.csv) and checks that every figure the JSON shows is the true
     count, and every timing and share shown is the true one;
  2. reads the same figures from the CSV, the text and both HTML pages (tables, timing rows and
     shares) and checks that every form shows the same values and suppresses the same figures,
     with the one mark "x" (null in JSON);
  3. checks consistency: no shown figure exceeds a shown total it belongs to, and a shown total
     equals the sum of its parts when they are all shown;
  4. builds, from the JSON alone, the linear programme a reader of the report can write (every
     published figure is a sum of counts >= 0 of the cases by category x sex, category x age band,
     category x outcome and category x status x age of open cases, with the acknowledgement
     counts), and computes with SciPy's HiGHS the smallest and largest value of every suppressed
     figure: each range, rounded inwards, must be at least k wide and hold values below k and at or
     above k. Every Nth data set (--joint-every) is also solved over the full joint table of cases
     (category x sex x age band x state), which must give the same ranges.

--self-test checks the checker: a report with a shown count off by one, with one suppressed
figure revealed so that another is pinned, or with a share hidden beside the timing row that
bounds it, must fail.

Exits 0 when every data set passes, 1 with the first failures otherwise, 2 on bad usage.
"""
import csv
import datetime
import html.parser
import json
import math
import multiprocessing
import os
import subprocess
import sys

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

FEEDBACK_MONTHS = 3
ACK_DAYS = 7
MARK = "x"


def day(s):
    return datetime.date.fromisoformat(s)


def add_months(d, months):
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    last = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return datetime.date(y, m, min(d.day, last))


def open_age(received, today):
    days = (today - received).days
    return "under-7-days" if days < 7 else "7-30-days" if days <= 30 else "1-3-months" if days <= 92 else "over-3-months"


def nearest_rank(values, q):
    v = sorted(values)
    return v[math.ceil(q * len(v)) - 1]


def key(v):
    return v if v else "not-given"


def true_figures(path):
    """Every figure the report publishes, counted from the cases, by its JSON path."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    today, k = day(rows[0][0]), int(rows[0][1])
    fig, ack_days, close_days = {}, [], []

    def inc(name):
        fig[name] = fig.get(name, 0) + 1

    acked = ack7 = met = 0
    for received, cat, sex, age, status, outcome, acknowledged, closed in rows[1:]:
        r = day(received)
        inc("total")
        inc("by_category/" + cat)
        inc("by_sex/" + key(sex))
        inc("by_age_band/" + key(age))
        inc(f"category_by_sex/{cat}/{key(sex)}")
        inc(f"category_by_age_band/{cat}/{key(age)}")
        if closed:
            inc(f"outcomes/{cat}/{outcome}")
            inc(f"outcomes/{cat}/total")
            inc(f"outcomes/total/{outcome}")
            inc("outcomes/total/total")
            close_days.append((day(closed) - r).days)
        else:
            inc("open_by_status/" + status)
            inc("open_by_status/total")
            inc("open_by_age/" + open_age(r, today))
            inc("open_by_age/total")
        if acknowledged:
            a = day(acknowledged)
            acked += 1
            ack_days.append((a - r).days)
            ack7 += (a - r).days <= ACK_DAYS
            met += bool(closed) and day(closed) <= add_months(a, FEEDBACK_MONTHS)
    n = len(rows) - 1
    timing = {"acknowledgement_days": ack_days, "closure_days": close_days}
    shares = {"acknowledged_within_7_days": (ack7, n), "feedback_within_3_months": (met, acked)}
    return k, fig, timing, shares


def published_figures(j):
    """Every count the JSON prints, by path: an int, or None when suppressed."""
    out = {"total": j["total"]}
    for margin in ("by_category", "by_sex", "by_age_band"):
        for name, v in j[margin].items():
            out[f"{margin}/{name}"] = v
    for table in ("category_by_sex", "category_by_age_band", "outcomes"):
        for row, cols in j[table].items():
            for col, v in cols.items():
                out[f"{table}/{row}/{col}"] = v
    for table in ("open_by_status", "open_by_age"):
        for name, v in j[table].items():
            out[f"{table}/{name}"] = v
    return out


class Tables(html.parser.HTMLParser):
    """The text of every <td> of an HTML page, in order."""

    def __init__(self):
        super().__init__()
        self.cells, self.inside = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self.inside, self.text = True, ""

    def handle_endtag(self, tag):
        if tag == "td" and self.inside:
            self.cells.append(self.text.strip())
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text += data


def table_order(j):
    """The JSON's figures in the order the CSV, text and HTML print the five tables."""
    order = []
    cs, ca, oc = j["category_by_sex"], j["category_by_age_band"], j["outcomes"]
    for table, t, margin_rows, margin_cols in (("category_by_sex", cs, "by_category", "by_sex"),
                                               ("category_by_age_band", ca, "by_category", "by_age_band")):
        cols = list(next(iter(t.values())).keys())
        for row in t:
            order += [f"{table}/{row}/{c}" for c in cols] + [f"{margin_rows}/{row}"]
        order += [f"{margin_cols}/{c}" for c in cols] + ["total"]
    rows = [r for r in oc if r != "total"]
    cols = [c for c in oc["total"] if c != "total"]
    for row in rows:
        order += [f"outcomes/{row}/{c}" for c in cols] + [f"outcomes/{row}/total"]
    order += [f"outcomes/total/{c}" for c in cols] + ["outcomes/total/total"]
    for table in ("open_by_status", "open_by_age"):
        order += [f"{table}/{n}" for n in j[table]]
    return order


def shown(v):
    return MARK if v is None else str(v)


def check_forms(d, j, pub, fail):
    order = table_order(j)
    # CSV: table,row,column,value, in the same order
    with open(os.path.join(d, "report.csv"), newline="") as f:
        rows = list(csv.reader(f))[1:]
    table_rows = [r for r in rows if r[0] not in ("timing", "share")]
    if [r[3] for r in table_rows] != [shown(pub[n]) for n in order]:
        fail("the CSV's table values differ from the JSON's")
    # text: the table cells, in order
    text = open(os.path.join(d, "report.txt")).read()
    cells = []
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] in (list(j["by_category"]) + ["total"] + list(j["open_by_status"]) +
                                  list(j["open_by_age"])) and len(parts) >= 2 and all(p == MARK or p.isdigit() for p in parts[1:]):
            cells += parts[1:]
    if cells != [shown(pub[n]) for n in order]:
        fail("the text's table values differ from the JSON's")
    if "<" in text:
        fail("the text prints a '<' mark")
    # HTML, both languages: the table cells, in order, then the timing rows
    for name in ("report-en.html", "report-fr.html"):
        p = Tables()
        p.feed(open(os.path.join(d, name), encoding="utf-8").read())
        if p.cells[:len(order)] != [shown(pub[n]) for n in order]:
            fail(f"{name}'s table values differ from the JSON's")
        if "&lt;" in open(os.path.join(d, name), encoding="utf-8").read():
            fail(f"{name} prints a '<' mark")
    # the timing rows and shares, in every form
    text_lines = text.splitlines()
    for name, words in (("acknowledgement_days", "to acknowledgement"), ("closure_days", "to closure")):
        t = j["timing"][name]
        want = [shown(t[f]) for f in ("cases", "median", "p90")]
        csv_t = [r[3] for r in rows if r[0] == "timing" and r[1] == name]
        if csv_t != want:
            fail(f"the CSV's {name} differs from the JSON's")
        line = next((ln for ln in text_lines if ln.startswith(words)), "")
        if t["cases"] is None:
            if "not published" not in line:
                fail(f"the text's {name} row does not say it is not published")
        elif line[len(words):].split()[:3] != want:
            fail(f"the text's {name} row differs from the JSON's")
    for name, words in (("acknowledged_within_7_days", "acknowledged within 7 days"),
                        ("feedback_within_3_months", "given feedback within 3 months")):
        sh = j["timing"][name]
        csv_s = [r[3] for r in rows if r[0] == "share" and r[1] == name]
        if csv_s != [shown(sh["cases"]), shown(sh["of"])]:
            fail(f"the CSV's {name} differs from the JSON's")
        line = next((ln for ln in text_lines if ln.startswith(words + ":")), "")
        want = "not published" if sh["cases"] is None else f"({sh['cases']} of {sh['of']})"
        if want not in line:
            fail(f"the text's {name} line differs from the JSON's: {line!r}")
    for name in ("report-en.html", "report-fr.html"):
        p = Tables()
        page = open(os.path.join(d, name), encoding="utf-8").read()
        p.feed(page)
        cells = p.cells[len(order):]
        for timing in ("acknowledgement_days", "closure_days"):
            t = j["timing"][timing]
            if t["cases"] is None:
                if not cells or cells[0].isdigit():
                    fail(f"{name}: the {timing} row is shown though not published")
                cells = cells[1:]
            else:
                if cells[:3] != [shown(t[f]) for f in ("cases", "median", "p90")]:
                    fail(f"{name}: the {timing} row differs from the JSON's")
                cells = cells[3:]
        for share in ("acknowledged_within_7_days", "feedback_within_3_months"):
            sh = j["timing"][share]
            if sh["cases"] is not None and f"({sh['cases']} {'sur' if 'fr' in name else 'of'} {sh['of']})" not in page:
                fail(f"{name}: the share {share} is not shown as the JSON's")


def check_truth(k, pub, truth, timing, shares, j, fail):
    for name, v in pub.items():
        if v is not None and v != truth.get(name, 0):
            fail(f"{name} is shown as {v}, but the cases count {truth.get(name, 0)}")
        if v is not None and v < k:
            fail(f"{name} = {v} is shown though below k = {k}")
    for name, values in timing.items():
        t = j["timing"][name]
        if t["cases"] is None:
            if t["median"] is not None or t["p90"] is not None:
                fail(f"{name}: a timing shown without its number of cases")
            continue
        n = len(values)
        if t["cases"] != n or t["median"] not in (None, nearest_rank(values, 0.5)) or \
                t["p90"] not in (None, nearest_rank(values, 0.9)):
            fail(f"{name}: shown {t}, true n={n} median={nearest_rank(values, 0.5)} p90={nearest_rank(values, 0.9)}")
        if t["median"] is not None and (n + 1) // 2 < k:
            fail(f"{name}: a median shown over {n} cases, fewer than k = {k} on one side")
        if t["p90"] is not None and n - math.ceil(0.9 * n) + 1 < k:
            fail(f"{name}: a 90th percentile shown with fewer than k = {k} cases at or above it")
    for name, (num, den) in shares.items():
        s = j["timing"][name]
        if s["cases"] is None:
            continue
        if s["cases"] != num or s["of"] != den or abs(s["share"] - num / den) > 0.0005:
            fail(f"{name}: shown {s}, true {num} of {den}")
        if num < k or den - num < k:
            fail(f"{name}: shown {num} of {den} with fewer than k = {k} on one side")


def check_consistency(j, pub, fail):
    def parts_ok(total, parts):
        t = pub[total]
        vals = [pub[p] for p in parts]
        if t is None:
            return
        for p, v in zip(parts, vals):
            if v is not None and v > t:
                fail(f"{p} = {v} is larger than its shown total {total} = {t}")
        if all(v is not None for v in vals) and sum(vals) != t:
            fail(f"{total} = {t} is not the sum of its shown parts {parts}")

    for table, rows_margin, cols_margin in (("category_by_sex", "by_category", "by_sex"),
                                            ("category_by_age_band", "by_category", "by_age_band")):
        t = j[table]
        cols = list(next(iter(t.values())).keys())
        for row in t:
            parts_ok(f"{rows_margin}/{row}", [f"{table}/{row}/{c}" for c in cols])
        for c in cols:
            parts_ok(f"{cols_margin}/{c}", [f"{table}/{row}/{c}" for row in t])
        parts_ok("total", [f"{cols_margin}/{c}" for c in cols])
        parts_ok("total", [f"{rows_margin}/{row}" for row in t])
    oc = j["outcomes"]
    rows, cols = [r for r in oc if r != "total"], [c for c in oc["total"] if c != "total"]
    for row in rows:
        parts_ok(f"outcomes/{row}/total", [f"outcomes/{row}/{c}" for c in cols])
    for c in cols:
        parts_ok(f"outcomes/total/{c}", [f"outcomes/{row}/{c}" for row in rows])
    parts_ok("outcomes/total/total", [f"outcomes/total/{c}" for c in cols])
    for table in ("open_by_status", "open_by_age"):
        parts_ok(f"{table}/total", [f"{table}/{n}" for n in j[table] if n != "total"])


class Model:
    """The reader's linear programme: named sums of non-negative counts, equal to what is shown."""

    def __init__(self):
        self.nvars, self.eq, self.le, self.figures = 0, [], [], {}

    def var(self):
        self.nvars += 1
        return self.nvars - 1

    def timing(self, j):
        """What the timing rows tell of the counts (see SECURITY.md): days to acknowledgement
        against 7 bound the count acknowledged within 7 days; days to closure at or under 89
        (3 months from acknowledgement are never fewer) make a case's feedback in time when it
        was acknowledged, so they bound that count below, through the acknowledged, closed and
        open totals (closed and not acknowledged <= closed - (acknowledged - open))."""
        f, t = self.figures, j["timing"]
        ack, clo = t["acknowledgement_days"], t["closure_days"]
        if ack["cases"] is not None:
            n = ack["cases"]
            for stat, rank in (("median", (n - 1) // 2 + 1), ("p90", math.ceil(0.9 * n))):
                if ack[stat] is None:
                    continue
                if ack[stat] <= ACK_DAYS:    # rank or more within 7 days
                    self.le.append(([(v, -1) for v in f["acknowledged_within_7_days"]], -rank))
                else:                        # fewer than rank
                    self.le.append((list(f["acknowledged_within_7_days"]), rank - 1))
        if clo["cases"] is not None:
            c, fast = clo["cases"], 0
            for stat, rank in (("median", (c - 1) // 2 + 1), ("p90", math.ceil(0.9 * c))):
                if clo[stat] is not None and clo[stat] <= 89:
                    fast = max(fast, rank)
            if fast:   # met >= fast - c + acknowledged - open
                self.le.append(([(v, -1) for v in f["feedback_within_3_months"]] + list(f["acknowledged"]) +
                                [(v, -1) for v in f["open_by_status/total"]], c - fast))
        return self

    def ranges(self, pub, k):
        """The [smallest, largest] value of every suppressed figure, given every shown one."""
        eq = list(self.eq) + [(self.figures[n], v) for n, v in pub.items() if v is not None and n in self.figures]
        a_eq, b_eq = self._fill(eq, (len(eq), self.nvars)), np.array([v for _, v in eq], dtype=float)
        a_ub = self._fill(self.le, (len(self.le), self.nvars)) if self.le else None
        b_ub = np.array([b for _, b in self.le], dtype=float) if self.le else None
        out = {}
        for name, v in pub.items():
            if v is not None or name not in self.figures:
                continue
            c = np.zeros(self.nvars)
            for t in self.figures[name]:
                c[t] += 1
            lo = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            hi = linprog(-c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            if lo.status != 0 or hi.status not in (0, 3):
                raise RuntimeError(f"{name}: the solver says {lo.message} / {hi.message}")
            out[name] = (lo.fun, math.inf if hi.status == 3 else -hi.fun)
        return out

    @staticmethod
    def _fill(rows, shape):
        """Rows of (terms, value) as a sparse matrix: a term is a variable (coefficient 1) or
        (variable, coefficient)."""
        m = lil_matrix(shape)
        for i, (terms, _) in enumerate(rows):
            for t in terms:
                if isinstance(t, tuple):   # (variable, coefficient)
                    m[i, t[0]] += t[1]
                else:
                    m[i, t] += 1
        return m.tocsr()


def dimensions(j):
    """The values of each dimension, as the JSON names them: categories, sexes, age bands,
    outcomes, open statuses, open ages."""
    return (list(j["by_category"]), list(j["by_sex"]), list(j["by_age_band"]),
            [c for c in j["outcomes"]["total"] if c != "total"],
            [s for s in j["open_by_status"] if s != "total"], [a for a in j["open_by_age"] if a != "total"])


def reduced_model(j):
    """Counts by category x sex, x age band, x outcome, and x status x age of open cases."""
    m = Model()
    cats, sexes, ages, outs, sts, oas = dimensions(j)
    x1 = {(c, s): m.var() for c in cats for s in sexes}
    x2 = {(c, a): m.var() for c in cats for a in ages}
    y = {(c, o): m.var() for c in cats for o in outs}
    z = {(c, s, a): m.var() for c in cats for s in sts for a in oas}
    ack, ack7, met = m.var(), m.var(), m.var()
    for c in cats:
        m.eq.append(([x1[c, s] for s in sexes] + [(x2[c, a], -1) for a in ages], 0))
        m.eq.append(([x1[c, s] for s in sexes] + [(y[c, o], -1) for o in outs] +
                     [(z[c, s, a], -1) for s in sts for a in oas], 0))
    m.le += [([ack7, (ack, -1)], 0), ([met, (ack, -1)], 0), ([ack] + [(v, -1) for v in x1.values()], 0),
             ([met] + [(v, -1) for v in y.values()], 0)]
    f = m.figures
    f["total"] = list(x1.values())
    for c in cats:
        f["by_category/" + c] = [x1[c, s] for s in sexes]
        for s in sexes:
            f[f"category_by_sex/{c}/{s}"] = [x1[c, s]]
        for a in ages:
            f[f"category_by_age_band/{c}/{a}"] = [x2[c, a]]
        for o in outs:
            f[f"outcomes/{c}/{o}"] = [y[c, o]]
        f[f"outcomes/{c}/total"] = [y[c, o] for o in outs]
    for s in sexes:
        f["by_sex/" + s] = [x1[c, s] for c in cats]
    for a in ages:
        f["by_age_band/" + a] = [x2[c, a] for c in cats]
    for o in outs:
        f[f"outcomes/total/{o}"] = [y[c, o] for c in cats]
    f["outcomes/total/total"] = list(y.values())
    for s in sts:
        f["open_by_status/" + s] = [z[c, s, a] for c in cats for a in oas]
    for a in oas:
        f["open_by_age/" + a] = [z[c, s, a] for c in cats for s in sts]
    f["open_by_status/total"] = f["open_by_age/total"] = list(z.values())
    f["acknowledged"], f["acknowledged_within_7_days"], f["feedback_within_3_months"] = [ack], [ack7], [met]
    return m


def joint_model(j):
    """The full joint table: a count for every (category, sex, age band, state) and, beside it,
    the cases by (closed or open) x acknowledgement class, which the shares count."""
    m = Model()
    cats, sexes, ages, outs, sts, oas = dimensions(j)
    states = [("closed", o) for o in outs] + [("open", s, a) for s in sts for a in oas]
    w = {(c, s, a, st): m.var() for c in cats for s in sexes for a in ages for st in states}
    classes = ["none", "late", "late-met", "in7", "in7-met"]
    u = {(cl, ac): m.var() for cl in ("closed", "open") for ac in classes}
    f = m.figures

    def sum_w(pred):
        return [v for (c, s, a, st), v in w.items() if pred(c, s, a, st)]

    f["total"] = list(w.values())
    for c in cats:
        f["by_category/" + c] = sum_w(lambda c2, s, a, st: c2 == c)
        for s in sexes:
            f[f"category_by_sex/{c}/{s}"] = sum_w(lambda c2, s2, a, st: c2 == c and s2 == s)
        for a in ages:
            f[f"category_by_age_band/{c}/{a}"] = sum_w(lambda c2, s2, a2, st: c2 == c and a2 == a)
        for o in outs:
            f[f"outcomes/{c}/{o}"] = sum_w(lambda c2, s, a, st: c2 == c and st == ("closed", o))
        f[f"outcomes/{c}/total"] = sum_w(lambda c2, s, a, st: c2 == c and st[0] == "closed")
    for s in sexes:
        f["by_sex/" + s] = sum_w(lambda c, s2, a, st: s2 == s)
    for a in ages:
        f["by_age_band/" + a] = sum_w(lambda c, s, a2, st: a2 == a)
    for o in outs:
        f[f"outcomes/total/{o}"] = sum_w(lambda c, s, a, st: st == ("closed", o))
    f["outcomes/total/total"] = sum_w(lambda c, s, a, st: st[0] == "closed")
    for s in sts:
        f["open_by_status/" + s] = sum_w(lambda c, s2, a, st: st[0] == "open" and st[1] == s)
    for a in oas:
        f["open_by_age/" + a] = sum_w(lambda c, s, a2, st: st[0] == "open" and st[2] == a)
    f["open_by_status/total"] = f["open_by_age/total"] = sum_w(lambda c, s, a, st: st[0] == "open")
    # the acknowledgement classes of the closed and of the open cases; feedback is met only when closed
    for cl in ("closed", "open"):
        m.eq.append(([u[cl, ac] for ac in classes] + [(v, -1) for v in sum_w(lambda c, s, a, st: st[0] == cl)], 0))
    m.eq.append(([u["open", "late-met"], u["open", "in7-met"]], 0))
    f["acknowledged"] = [u[cl, ac] for cl in ("closed", "open") for ac in classes if ac != "none"]
    f["acknowledged_within_7_days"] = [u[cl, ac] for cl in ("closed", "open") for ac in ("in7", "in7-met")]
    f["feedback_within_3_months"] = [u["closed", "late-met"], u["closed", "in7-met"]]
    return m


def published_counts(j, pub):
    """pub with the counts the timing rows and shares print."""
    out = dict(pub)
    t, s = j["timing"], j["timing"]
    out["acknowledged"] = t["acknowledgement_days"]["cases"]
    if s["feedback_within_3_months"]["of"] is not None:
        out["acknowledged"] = s["feedback_within_3_months"]["of"]
    out["acknowledged_within_7_days"] = s["acknowledged_within_7_days"]["cases"]
    out["feedback_within_3_months"] = s["feedback_within_3_months"]["cases"]
    if t["closure_days"]["cases"] is not None and t["closure_days"]["cases"] != pub["outcomes/total/total"]:
        raise RuntimeError("the closure timing's cases are not the closed total")
    if s["acknowledged_within_7_days"]["of"] is not None and s["acknowledged_within_7_days"]["of"] != pub["total"]:
        raise RuntimeError("the share acknowledged within 7 days is not of the total")
    return out


def check_ranges(name, ranges, k, fail):
    for fig, (lo, hi) in ranges.items():
        l, h = math.ceil(lo - 1e-6), (hi if math.isinf(hi) else math.floor(hi + 1e-6))
        if not (l <= k - 1 and h >= k and h - l >= k):
            fail(f"{fig} is suppressed but a reader can work out that it lies in [{l}, {h}] ({name} model, k = {k})")


def check_one(job):
    """Checks one data set: returns (failures, figures, suppressed figures)."""
    d, seed, with_joint = job
    failures = []

    def fail(msg):
        failures.append(f"seed {seed}: {msg}")

    j = json.load(open(os.path.join(d, "report.json")))
    k, truth, timing, shares = true_figures(os.path.join(d, "cases.csv"))
    if j["k"] != k:
        fail(f"the report says k = {j['k']}, the data set {k}")
    pub = published_figures(j)
    check_truth(k, pub, truth, timing, shares, j, fail)
    check_forms(d, j, pub, fail)
    check_consistency(j, pub, fail)
    counts = published_counts(j, pub)
    ranges = reduced_model(j).timing(j).ranges(counts, k)
    check_ranges("reduced", ranges, k, fail)
    if with_joint:
        joint = joint_model(j).timing(j).ranges(counts, k)
        for fig in ranges:
            a, b = ranges[fig], joint[fig]
            if abs(a[0] - b[0]) > 1e-6 or (a[1] != b[1] and abs(a[1] - b[1]) > 1e-6):
                fail(f"{fig}: the reduced model gives {a}, the joint table {b}")
    return failures, len(counts), sum(v is None for v in counts.values())


def self_test(d, seed):
    """The checks can fail: a report that shows a wrong count, or reveals one suppressed figure of
    a protected pair with its true value, is caught. Returns a list of what was not caught."""
    missed = []
    j = json.load(open(os.path.join(d, "report.json")))
    k, truth, timing, shares = true_figures(os.path.join(d, "cases.csv"))
    pub = published_figures(j)
    shown_names = [n for n, v in pub.items() if v is not None]
    hidden = [n for n, v in pub.items() if v is None and n in reduced_model(j).figures]
    if not shown_names or not hidden:
        return [f"seed {seed}: nothing to mutate"]
    wrong = dict(pub)
    wrong[shown_names[0]] += 1
    caught = []
    check_truth(k, wrong, truth, timing, shares, j, caught.append)
    if not caught:
        missed.append("a shown count off by one")
    # a share hidden while its timing row stays: the median and percentile bound its count
    t = j["timing"]
    if t["acknowledged_within_7_days"]["cases"] is None or t["acknowledgement_days"]["median"] is None:
        missed.append("the sample does not show the share and timing this mutation needs")
    else:
        hid = json.loads(json.dumps(j))
        hid["timing"]["acknowledged_within_7_days"] = {"cases": None, "of": None, "share": None}
        caught = []
        check_ranges("reduced", reduced_model(hid).timing(hid).ranges(published_counts(hid, pub), k), k,
                     caught.append)
        if not caught:
            missed.append("a share hidden beside the timing row that bounds it")
    # reveal suppressed figures one at a time until one reveal leaves another pinned
    for name in hidden:
        revealed = dict(pub)
        revealed[name] = truth.get(name, 0)
        caught = []
        check_ranges("reduced", reduced_model(j).timing(j).ranges(published_counts(j, revealed), k), k, caught.append)
        if caught:
            break
    else:
        missed.append("no revealed figure left another pinned")
    return missed


def main():
    args = sys.argv[1:]
    if args and args[0] == "--self-test":
        sample, scratch = args[1], args[2]
        os.makedirs(scratch, exist_ok=True)
        subprocess.run([sample, "3", "1", scratch], check=True)
        missed = self_test(os.path.join(scratch, "3"), 3)
        for m in missed:
            print(f"stats-check --self-test: not caught: {m}", file=sys.stderr)
        print(f"stats-check --self-test: {'failed' if missed else 'every mutation caught'}")
        return 1 if missed else 0
    joint_every = 0
    if "--joint-every" in args:
        i = args.index("--joint-every")
        joint_every = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    sample, first, count, scratch = args[0], int(args[1]), int(args[2]), args[3]
    os.makedirs(scratch, exist_ok=True)
    subprocess.run([sample, str(first), str(count), scratch], check=True)
    jobs = [(os.path.join(scratch, str(seed)), seed, joint_every and (seed - first) % joint_every == 0)
            for seed in range(first, first + count)]
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        results = pool.map(check_one, jobs)
    failures = [f for r in results for f in r[0]]
    figures, suppressed = sum(r[1] for r in results), sum(r[2] for r in results)
    for f in failures[:40]:
        print(f, file=sys.stderr)
    print(f"stats-check: {count} data sets, {figures} figures, {suppressed} suppressed "
          f"({100 * suppressed / max(figures, 1):.0f}%), {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
