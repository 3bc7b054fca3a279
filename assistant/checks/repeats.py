"""The same quantity stated twice with different values: a named rate, or an amount or count under
the same specific label, in two places of the same report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from assistant.checks.model import Finding, Severity
from assistant.checks.numbers import NUM, Span, dec
from assistant.checks.text import clip, ev, patterns, rx, sentences
from assistant.ingest import Document
from assistant.ingest.model import Paragraph

_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_LABEL = re.compile(r"[\u4e00-\u9fff“”]{1,12}$")
_FIG = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元|人|家|项|个)(?![\u4e00-\u9fff]{{0,1}}[次率])")
_TRAIL = re.compile(r"(?:为|达到|达|是|共计|共|合计|总计|约|近|超|仅)+$")
_YEAR = re.compile(r"(20\d\d)\s*年")


def _statements(doc: Document) -> Iterator[tuple[Paragraph, str]]:
    """Sentences that state facts: not series of three or more rates, not scoring rules or targets."""
    rule = re.compile(patterns()["rule_sentence"])
    for p, s in sentences(doc):
        if len(_PCT.findall(s)) >= patterns()["series_min"] or rule.search(s):
            continue
        yield p, s


def _conflicts(doc: Document, seen: dict[tuple[str, ...], list[tuple[str, Paragraph, str]]], unit: str,
               severity: Severity, rule: str, what: str = "前后表述不一致") -> list[Finding]:
    out = []
    for key, values in seen.items():
        distinct = sorted({dec(v) for v, _, _ in values})
        if len(distinct) < 2:
            continue
        first = {dec(v): (p, s, v) for v, p, s in reversed(values)}
        spans = [Span.printed(first[v][2]) for v in distinct]
        if all(spans[0].gap(s) == 0 for s in spans[1:]):
            continue  # '85.7' and '85.70' or '99.2' and '99.18': rounding, not two values
        diff = distinct[-1] - distinct[0]
        sev: Severity = "low" if diff <= Decimal("0.01") else severity
        out.append(Finding(
            doc=doc.id, kind="value_twice", severity=sev, rule=rule,
            message=f"「{key[0]}」{('（' + key[1] + '年）') if len(key) > 1 and key[1] else ''}{what}："
                    f"{'、'.join(first[v][2] + (key[2] if len(key) > 2 else unit) for v in distinct)}。",
            evidence=[ev(first[v][0], first[v][1]) for v in distinct],
        ))
    return out


_RANGE = re.compile(r"20\d\d\s*[-—－至~]\s*20\d\d\s*年?")


def _year(s: str) -> str:
    """The one year (or span of years) a sentence is about, or '' if it names none or several."""
    spans = _RANGE.findall(s)
    if spans:
        return re.sub(r"\s|年", "", spans[0]) if len(set(spans)) == 1 and not _YEAR.findall(_RANGE.sub("", s)) else ""
    years = set(_YEAR.findall(s))
    return years.pop() if len(years) == 1 else ""


def rates_twice(doc: Document) -> list[Finding]:
    """A named rate with two values. A statement naming no year may be about any year the report
    covers; statements naming different years are about different things."""
    name_re = re.compile(patterns()["rate_names"] + r"\s*(?:为|达|达到|是)?\s*(\d+(?:\.\d+)?)\s*[%％]")
    by_name: dict[str, list[tuple[str, str, Paragraph, str]]] = {}
    for p, s in _statements(doc):
        for m in name_re.finditer(s):
            # The figure's full name is the run of words ending in the rate word: “三公”经费控制率 and
            # 日常公用经费控制率 are different figures; so are 第一季度预算执行率 and 预算执行率.
            label = _LABEL.search(s[: m.end(1)])
            name = label.group(0) if label else m.group(1)
            by_name.setdefault(name, []).append((_year(s), m.group(2), p, s))
    seen: dict[tuple[str, ...], list[tuple[str, Paragraph, str]]] = {}
    for name, vals in by_name.items():
        years = {y for y, _, _, _ in vals if y} or {""}
        for y in sorted(years):
            seen[(name, y)] = [(v, p, s) for yy, v, p, s in vals if yy in (y, "")]
    found = _conflicts(doc, seen, "%", "medium", "repeats.rates_twice")
    unique: dict[str, Finding] = {}
    for f in found:  # a yearless statement compared under two years: report it once
        unique.setdefault("|".join(sorted(e.quote for e in f.evidence)), f)
    return list(unique.values())


_CLAUSE = re.compile(r"[，,；;：:。（(）)、]")


def clause_label(s: str, start: int) -> str:
    """The words of the clause before a figure, as its name ('2024 年度一般公共预算财政拨款支出')."""
    head = s[:start]
    cut = max((m.end() for m in _CLAUSE.finditer(head)), default=0)
    return _TRAIL.sub("", re.sub(r"\s", "", head[cut:]))


def amounts_twice(doc: Document) -> list[Finding]:
    """An amount or count whose whole clause (at least eight characters) recurs in another paragraph
    with another value. A clause used for three or more values names a kind of line, not one quantity
    ('年初预算为'); a clause under scope words ('比上年增加') is a change, not a stock. Low: the same
    clause may still be scoped by the sentence around it."""
    scope = re.compile(patterns()["scope_words"])
    seen: dict[tuple[str, ...], list[tuple[str, Paragraph, str]]] = {}
    plan = re.compile(patterns()["plan_sentence"])
    for p, s in _statements(doc):
        if plan.search(s):
            continue
        for m in _FIG.finditer(s):
            label = clause_label(s, m.start())
            if len(label) < 8 or scope.search(label[-6:]):
                continue
            seen.setdefault((label, "", m.group("unit")), []).append((m.group("num"), p, s))
    keep = {k: v for k, v in seen.items()
            if len({dec(x) for x, _, _ in v}) == 2 and len({q.id for _, q, _ in v}) >= 2}
    return _conflicts(doc, keep, "", "low", "repeats.amounts_twice")


_CHART = re.compile(r"^\s*(?P<label>[\u4e00-\u9fff]{2,12})\s*[,，]\s*(?P<rate>\d+(?:\.\d+)?)\s*[%％]\s*$")


def chart_labels(doc: Document) -> list[Finding]:
    """A pie chart's data labels ('项目支出, 40.01%', a label and its share on one or two lines) repeat
    the shares the text states ('项目支出 11543.27 万元，占 40.01%'): the same label, another share."""
    said: dict[str, tuple[str, Paragraph, str]] = {}
    for p, s in sentences(doc):
        for m in rx("share_item").finditer(s):
            said.setdefault(clause_label(s, m.start()), (m.group("rate"), p, s))
    out = []
    paras = doc.paragraphs
    for i, p in enumerate(paras):
        text = p.text.strip()
        if text.endswith(("，", ",")) and i + 1 < len(paras) and re.fullmatch(r"\d+(?:\.\d+)?\s*[%％]", paras[i + 1].text.strip()):
            text += paras[i + 1].text.strip()  # the label and its share on two lines
        m = _CHART.match(text)
        keys = [k for k in said if k.endswith(m.group("label"))] if m else []  # '预留机动经费' of '单位预留机动经费'
        if m is None or len(keys) != 1:
            continue
        rate, q, s = said[keys[0]]
        if Span.printed(rate).gap(Span.printed(m.group("rate"))) == 0:
            continue
        out.append(Finding(
            doc=doc.id, kind="value_twice", severity="medium", rule="repeats.chart_labels",
            message=f"「{m.group('label')}」的占比正文为 {rate}%，图中标为 {m.group('rate')}%。",
            evidence=[ev(q, s), ev(p, text)],
        ))
    return out



_CODE = re.compile(r"(?<![A-Za-z0-9])(?P<code>[A-H]\d{3})(?!\d)")
_CLASS_COUNT = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,10}?)(?:共|为|达)?\s*(?P<n>\d{1,5})\s*个")
_SPAN_WORDS = re.compile(r"(20\d\d)\s*(?:-|—|－|至|到|~)\s*(20\d\d)\s*年")


def _class_counts(text: str) -> dict[str, tuple[int, int, int]]:
    """'一类赛' → (count, start, end) for each class a sentence counts in 个 ('省级行业一类赛共105个赛项',
    '一类赛153个'); a class named twice with two counts is left out."""
    out: dict[str, tuple[int, int, int]] = {}
    twice: set[str] = set()
    for m in _CLASS_COUNT.finditer(text):
        label = re.sub(r"^(?:其中|共计|开展|举办)+", "", m.group("label"))
        if len(label) < 3:
            continue
        if label in out and out[label][0] != int(m.group("n")):
            twice.add(label)
        out[label] = (int(m.group("n")), m.start(), m.end())
    return {k: v for k, v in out.items() if k not in twice}


_QUALIFIER = re.compile(r"^(?:省级行业|省级|行业|国家级|国家)")


def _same_class(a: str, b: str) -> bool:
    """'省级行业一类赛' and '一类赛' are one class (a qualifier before it); '省级集训基地' and '国家牵头集训基地' are not."""
    return a == b or _QUALIFIER.sub("", a) == b or _QUALIFIER.sub("", b) == a


def by_indicator(doc: Document) -> list[Finding]:
    """An indicator's evidence written twice — in the scoring table and in an annex that explains each
    indicator by its code (C201) — with other counts for the same classes over the same years
    ('2021-2024年…省级行业一类赛共105个赛项' against '2021至2024年…一类赛153个'). Only sentences that name
    the same span of years and count at least two of the same classes (one class may carry a qualifier,
    省级行业一类赛 for 一类赛); a class whose counts differ is reported. Low: the two may still count
    different subsets."""
    by_code: dict[str, list[tuple[Paragraph, str, tuple[str, ...], dict[str, tuple[int, int, int]]]]] = {}
    for p, s in sentences(doc, ("text", "table_row")):
        codes = {m.group("code") for m in _CODE.finditer(p.text[:40])}
        span = _SPAN_WORDS.search(s)
        counts = _class_counts(s)
        if len(codes) == 1 and span and len(counts) >= 2:
            by_code.setdefault(codes.pop(), []).append((p, s, span.groups(), counts))
    out = []
    for code, stated in by_code.items():
        for i, (p, s1, y1, c1) in enumerate(stated):
            for q, s2, y2, c2 in stated[i + 1:]:
                if q.id == p.id or y1 != y2:
                    continue
                pairs = [(k, x) for k in c1 for x in c2 if _same_class(k, x)]
                differ = [(k, x) for k, x in pairs if c1[k][0] != c2[x][0]]
                if len(pairs) < 2 or not differ:
                    continue
                out.append(Finding(
                    doc=doc.id, kind="value_twice", severity="low", rule="repeats.by_indicator",
                    message=(f"{code} 的说明前后两处计数不一致（{y1[0]}-{y1[1]}年）："
                             + "；".join(f"{k} {c1[k][0]} 个 / {c2[x][0]} 个" for k, x in differ)
                             + "。"),
                    evidence=[ev(p, s1), ev(q, s2)],
                ))
    return out



_CUTOFF = re.compile(rf"(?:截至|截止)(?:现场)?调研时[，,]?[^。；\d]{{0,16}}?(?:实际)?(?:支出|支付)(?:资金)?\s*(?P<approx>约)?\s*"
                     rf"(?P<num>{NUM})\s*(?:万元|万)(?![\u4e00-\u9fff]?[%％])")
_EVENT = re.compile(r"第?(?P<n>[一二三四五六七八九十]+)届(?P<what>[\u4e00-\u9fff]{0,6}?赛)")


def at_cutoff(doc: Document) -> list[Finding]:
    """What one event (二届省赛) had spent by the same cut-off (截至调研时), stated twice with two amounts
    ('截止现场调研时，实际支付资金3749.95万元' and '截至调研时实际支出约3783.2万元'). The event is the one
    named last before the figure in its sentence; an approximate figure (约) is still a figure to one
    decimal. Low: the two may be read on different days of the fieldwork."""
    seen: dict[tuple[str, str], list[tuple[str, Paragraph, str]]] = {}
    for p in doc.paragraphs:
        if p.kind not in ("text", "table_row"):
            continue
        for m in _CUTOFF.finditer(p.text):
            start = max(p.text.rfind(c, 0, m.start()) for c in "。；")
            events = list(_EVENT.finditer(p.text, start + 1, m.start()))
            if not events:
                continue
            e = events[-1]
            seen.setdefault((f"{e.group('n')}届{e.group('what')}", ""), []).append(
                (m.group("num"), p, clip(p.text, e.start(), m.end(), pad=0)))
    keep = {k: v for k, v in seen.items() if len({dec(x) for x, _, _ in v}) == 2}
    return _conflicts(doc, keep, "万元", "low", "repeats.at_cutoff", what="截至调研时的实际支出前后不一致")


CHECKS = (rates_twice, amounts_twice, chart_labels, by_indicator, at_cutoff)
