"""A count over a span of years (「2021-2024年实际奖补…选送单位27家」) against the same count given
year by year (「2021年…选送单位9家；2022年…5家；2023年…14家」).

Counts are never negative, so the years' own counts adding up to more than the span's total is a
contradiction whatever the years left unstated hold. A year whose clause gives the count two different
values (planned and actual, say), or reads cumulatively (累计, 截至), makes the series unreadable and
it is skipped. Only counts (名, 家, 个, 项, 人, 队, 场): money over a span mixes budget and spending.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.checks.model import Finding
from assistant.checks.text import clip, ev
from assistant.ingest import Document
from assistant.ingest.model import Paragraph

_SPAN = re.compile(r"(?P<a>20\d\d)\s*[-—－–~至到]\s*(?P<b>20\d\d)\s*年")
_YEAR = re.compile(r"(?<![-—－–~至到\d])(?<![-—－–~至到]\s)(?<![-—－–~至到]\s\s)(?P<y>20\d\d)\s*年(?!\s*[-—－–~至到])")
_COUNT = re.compile(r"(?P<label>[\u4e00-\u9fff]{2,16}?)?(?P<n>\d{1,6})\s*(?P<unit>[名家个项人队场])(?![\u4e00-\u9fff]?[次率])"
                    r"(?P<noun>[\u4e00-\u9fff]{1,4}?(?=[，,、；;。：:（(\s\d]|$))?")
_VERB = re.compile(r".*(?:的|为|达|共计|合计|总计|共|有|了|发放|举办|支持|完成|实现|奖补|补贴|安排)")
_CUMULATIVE = re.compile(r"累计|截至|截止|共计|合计|以来")
_CLAUSE_END = "。；;"
_MIN_SHARED = 3  # characters two labels must end with to name the same count


@dataclass(frozen=True)
class _Count:
    label: str  # what is counted: the noun after the measure word (146个赛项), else the words before it
    n: int
    unit: str
    start: int
    end: int


def _counts(text: str, offset: int = 0) -> Iterator[_Count]:
    for m in _COUNT.finditer(text):
        label = m.group("noun") or _VERB.sub("", m.group("label") or "")
        if len(label) >= 2:
            yield _Count(label, int(m.group("n")), m.group("unit"), offset + m.start("n"), offset + m.end())


def _same(a: str, b: str) -> bool:
    shared = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        shared += 1
    return shared >= min(_MIN_SHARED, len(a), len(b)) and shared >= 2


def _year_clauses(text: str) -> dict[int, list[tuple[int, str]]]:
    """Each single year the paragraph names, with the text from its mark to the next year's mark (or
    the end of its sentence), and where that text starts."""
    marks = list(_YEAR.finditer(text))
    out: dict[int, list[tuple[int, str]]] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        stop = [j for j in (text.find(c, m.end(), end) for c in "。") if j >= 0]
        out.setdefault(int(m.group("y")), []).append((m.start(), text[m.start(): min(stop) if stop else end]))
    return out


def _by_year(p: Paragraph, label: str, unit: str, years: range) -> dict[int, _Count] | None:
    """The count for each year of `years` the paragraph gives, or None when a year gives it two values
    or reads cumulatively."""
    found: dict[int, _Count] = {}
    for y, clauses in _year_clauses(p.text).items():
        if y not in years:
            continue
        counts = [c for at, clause in clauses for c in _counts(clause, at) if c.unit == unit and _same(c.label, label)]
        starts = [at for at, clause in clauses if any(_same(c.label, label) for c in _counts(clause))]
        if not counts:
            continue
        if len({c.n for c in counts}) > 1 or any(_CUMULATIVE.search(clause) for _, clause in clauses):
            return None
        # the count, its span widened to its year's mark so the evidence reads from the year on
        found[y] = _Count(label, counts[0].n, unit, min(starts), counts[-1].end)
    return found


def span_totals(doc: Document) -> list[Finding]:
    out = []
    rows = [p for p in doc.paragraphs if p.kind in ("text", "table_row")]
    for p in rows:
        for sm in _SPAN.finditer(p.text):
            years = range(int(sm.group("a")), int(sm.group("b")) + 1)
            if len(years) < 2:
                continue
            end = min([j for j in (p.text.find(c, sm.end()) for c in _CLAUSE_END) if j >= 0] or [len(p.text)])
            clause = p.text[sm.end(): end]
            if _YEAR.search(clause) or _CUMULATIVE.search(clause[:4]):
                continue  # the clause turns to single years itself
            for total in _counts(clause):
                for q in rows:
                    parts = _by_year(q, total.label, total.unit, years)
                    if not parts or len(parts) < 2 or sum(c.n for c in parts.values()) <= total.n:
                        continue
                    listed = "＋".join(f"{parts[y].n}（{y}年）" for y in sorted(parts))
                    first = min(c.start for c in parts.values())
                    last = max(c.end for c in parts.values())
                    out.append(Finding(
                        doc=doc.id, kind="value_twice", severity="low", rule="years.span_totals",
                        message=(f"{years[0]}-{years[-1]}年「{total.label}」共 {total.n}{total.unit}，但逐年所列 {listed} ＝ "
                                 f"{sum(c.n for c in parts.values())}{total.unit}，已多于合计（其余年份不能为负）。"),
                        evidence=[ev(p, clip(p.text, sm.start(), sm.end() + total.end, pad=10)),
                                  ev(q, q.text[first:last])],
                    ))
                    break
    return out


CHECKS = (span_totals,)
