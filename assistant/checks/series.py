"""Quarterly series: a cumulative series (支出进度, 累计执行率) may not decrease; a quarter's figure
stated on its own must be the series' figure; a quarterly table keeps its own definition
(当季执行率 = 已支付 ÷ 指标 ÷ 序时进度); a printed average is the average of the quarters."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.model import Finding
from assistant.checks.numbers import NUM, Span, judge, show
from assistant.checks.sums import _cells, _tables
from assistant.checks.text import ev, rx, sentences
from assistant.ingest import Document
from assistant.ingest.model import Paragraph

_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_HEADER = re.compile(r"一季度\s+二季度\s+三季度\s+四季度")
_VAL = re.compile(rf"({NUM})\s*[%％]?")


def _series(doc: Document) -> list[tuple[str, list[str], Paragraph, str]]:
    """(name, four values as printed, paragraph, quote) of every quarterly series, text and tables."""
    out = []
    for p, s in sentences(doc):
        for m in rx("quarter_series").finditer(s):
            out.append((m.group("name").lstrip("年"), _VAL.findall(m.group("values")), p, s))
    for run in _tables(doc):
        header = next((q for q in run if _HEADER.search(q.text)), None)
        if header is None:
            continue
        for q in run:
            label, nums = _cells(q)
            if len(nums) == 4 and q is not header and len(label) <= 12:
                out.append((label, [n.rstrip("%％") for n in nums], q, q.text))
    return out


def cumulative(doc: Document) -> list[Finding]:
    defined = any(rx("cumulative_definition").search(p.text) for p in doc.paragraphs)
    out = []
    for name, values, p, quote in _series(doc):
        if not (re.search(r"执行率|进度", name) and defined) and not rx("cumulative_row").search(name):
            continue
        for i in range(1, len(values)):
            prev, cur = Span.printed(values[i - 1]), Span.printed(values[i])
            if cur.hi < prev.lo:
                out.append(Finding(
                    doc=doc.id, kind="series", severity="medium" if defined else "low", rule="series.cumulative",
                    message=(f"「{name}」是累计数{'（报告定义为季度末累计）' if defined else ''}，不应下降，"
                             f"但第{i + 1}季度 {values[i]} 低于第{i}季度 {values[i - 1]}。"),
                    evidence=[ev(p, quote)],
                ))
    return out


def quarter_statements(doc: Document) -> list[Finding]:
    """'第一季度预算执行率为 15.64%' against the series of the same name elsewhere in the report."""
    series = [(n, v, p, q) for n, v, p, q in _series(doc) if "执行率" in n]
    out = []
    for p, s in sentences(doc):
        for m in rx("quarter_value").finditer(s):
            qi = _Q[m.group("q")] - 1
            for name, values, sp, quote in series:
                if sp is p or qi >= len(values):
                    continue
                if Span.printed(values[qi]).gap(Span.printed(m.group("rate"))) > 0:
                    out.append(Finding(
                        doc=doc.id, kind="series", severity="medium", rule="series.quarter_statements",
                        message=(f"第{m.group('q')}季度{m.group('name')}写为 {m.group('rate')}%，"
                                 f"而「{name}」中该季度为 {values[qi]}%。"),
                        evidence=[ev(p, s), ev(sp, quote)],
                    ))
                    break
    return out


def quarter_tables(doc: Document) -> list[Finding]:
    """A quarterly table's rate row against its own amounts: rate = paid ÷ budget ÷ time progress."""
    out = []
    for run in _tables(doc):
        if not any(_HEADER.search(q.text) for q in run):
            continue
        rows = {}
        for q in run:
            label, nums = _cells(q)
            if len(nums) != 4:
                continue
            for role, words in (("budget", "指标金额|预算数|总指标|全年预算"), ("paid", "已支付|实际支出|支出金额"),
                                ("time", "序时"), ("rate", "执行率")):
                if re.search(words, label) and role not in rows:
                    rows[role] = (q, nums)
        if len(rows) < 4:
            continue
        for i in range(4):
            b, pd, t = (Span.printed(rows[k][1][i].rstrip("%％")) for k in ("budget", "paid", "time"))
            computed = (pd / b / t).scale(Decimal(10000))
            stated = rows["rate"][1][i].rstrip("%％")
            sev = judge(stated, computed, most="medium")
            if sev:
                out.append(Finding(
                    doc=doc.id, kind="series", severity=sev, rule="series.quarter_tables",
                    message=f"第{i + 1}季度执行率表中为 {stated}%，按同表已支付 ÷ 指标 ÷ 序时进度为 {show(computed.mid)}%。",
                    evidence=[ev(rows[k][0], rows[k][0].text) for k in ("rate", "paid", "budget", "time")],
                    computation=f"{rows['paid'][1][i]} ÷ {rows['budget'][1][i]} ÷ {rows['time'][1][i]} = {show(computed.mid, 4)}%",
                ))
    return out


def averages(doc: Document) -> list[Finding]:
    """'各季度执行率分别为 a、b、c、d，全年平均执行率为 x%': x = (a+b+c+d) ÷ 4."""
    avg = re.compile(rf"(?:全年)?平均(?:执行率|支出进度|进度)\s*(?:为|是|达)?\s*({NUM})\s*[%％]")
    out = []
    for p, s in sentences(doc):
        m = rx("quarter_series").search(s)
        a = avg.search(s)
        if not m or not a:
            continue
        vals = _VAL.findall(m.group("values"))
        mean = sum((Span.printed(v) for v in vals), Span.exact(Decimal(0))).scale(Decimal(1) / len(vals))
        sev = judge(a.group(1), mean, most="medium")
        if sev:
            out.append(Finding(
                doc=doc.id, kind="series", severity=sev, rule="series.averages",
                message=f"平均执行率写为 {a.group(1)}%，各季度 {'、'.join(vals)} 的平均为 {show(mean.mid)}%。",
                evidence=[ev(p, s)], computation=f"({' + '.join(vals)}) ÷ {len(vals)} = {show(mean.mid, 4)}",
            ))
    return out


CHECKS = (cumulative, quarter_statements, quarter_tables, averages)
