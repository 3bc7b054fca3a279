"""The one cell that breaks a scoring table.

A table whose rows add up to its printed totals is evidence that every cell is right. When a sum
fails, the failure alone does not say which cell is wrong (a page break may have cut a row), so the
rules here look for a row the report itself contradicts elsewhere — its own 评价意见 ('该指标得2.00分'),
the commentary on it, the summary table, the narrative, the framework the report applies (分值) — or
a row scoring more than its 分值. Such a row is medium when it is the only one and the difference is
exactly what every failing sum containing it is off by (and it is in no sum that holds); otherwise the
disagreement is reported low.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.checks.model import Evidence, Finding, Severity
from assistant.checks.text import clip, ev_record
from assistant.ingest import Document
from assistant.ingest.model import IndicatorRecord, TableCheck
from assistant.ingest.narrative import attach_commentary, indicator_key
from assistant.scoring.engine import fmt
from assistant.scoring.framework import framework_for

# The conclusion of a row's own 评价意见 or of the commentary on it.
_CONCLUSION = re.compile(r"(?:该指标|本指标|该项指标|综上)[^。；\d]{0,12}?得\s*(\d+(?:\.\d+)?)\s*分")
_CELL_NUM = re.compile(r"^\d+(?:\.\d+)?$")
_CELL_PCT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")


@dataclass(frozen=True)
class Other:
    """The same row's 得分 or 分值 as printed somewhere else in the report."""

    value: Decimal
    where: str  # in words, for the message
    evidence: Evidence


def _conclusions(text: str | None) -> set[Decimal]:
    return {Decimal(v) for v in _CONCLUSION.findall(text or "")}


def _summary_values(quote: str) -> tuple[Decimal, Decimal] | None:
    """(分值, 得分) of a summary row 'A101立项依据充分性 2.00 2.00 100.00%': the two plain cells are
    told apart by the row's own 得分率 (one of the two orders gives it, the other not)."""
    cells = [c.strip() for c in quote.split("\t") if c.strip()]
    nums = [Decimal(c) for c in cells if _CELL_NUM.match(c)]
    rate = next((Decimal(m.group(1)) for c in cells for m in [_CELL_PCT.match(c)] if m), None)
    if len(nums) != 2 or rate is None:
        return None
    fits = [(w, s) for w, s in (nums, nums[::-1]) if w > 0 and abs(s / w * 100 - rate) <= Decimal("0.01")]
    return fits[0] if len(fits) == 1 else None


def _others(doc: Document, row: IndicatorRecord, field: str, accepted: bool) -> list[Other]:
    out: list[Other] = []
    if field == "score":
        # A row's own 评价意见 may run into the next row's across a page break: only one conclusion counts.
        own = _conclusions(row.reason)
        if len(own) == 1:
            out.append(Other(own.pop(), "评价意见", Evidence(page=row.page, line=row.line, quote=row.quote)))
        said = _conclusions(row.commentary)
        where = _paragraph_of(doc, row.commentary) if len(said) == 1 else None
        if where is not None:
            out.append(Other(said.pop(), "指标分析", where))
    for ref in row.confirmed_by:
        pair = _summary_values(ref.quote)
        if pair:
            out.append(Other(pair[0] if field == "weight" else pair[1], "汇总表",
                             Evidence(page=ref.page, line=ref.line, quote=ref.quote)))
    if not accepted:  # accepted tables: narrative_vs_table compares the narrative already
        key = indicator_key(row.name)
        for n in doc.records:
            v = getattr(n, field)
            if n.source == "narrative" and v is not None and indicator_key(n.name) == key:
                out.append(Other(v, "正文", ev_record(n)))
    if field == "weight":
        fw = framework_for(doc.id)
        ind = next((i for i in fw.indicators if i.name == row.name), None) if fw else None
        if ind is not None and ind.weight is not None:
            out.append(Other(ind.weight, f"评价框架（{fw.id}）", Evidence(page=None, quote=row.quote)))  # type: ignore[union-attr]
    return out


def _paragraph_of(doc: Document, commentary: str | None) -> Evidence | None:
    """The paragraph of a commentary that states its conclusion, as evidence."""
    m = _CONCLUSION.search(commentary or "")
    if m is None:
        return None
    p = next((p for p in doc.paragraphs if m.group(0) in p.text and p.text in (commentary or "")), None)
    if p is None:
        return None
    i = p.text.find(m.group(0))
    return Evidence(page=p.page, line=p.line, quote=clip(p.text, i, i + len(m.group(0))))


def _contains(c: TableCheck, row: IndicatorRecord) -> bool:
    return c.group == "合计" or c.group in row.levels


def _explains(row: IndicatorRecord, d: Decimal, failing: list[TableCheck], holding: list[TableCheck]) -> bool:
    """Changing this row by d repairs every failing sum and breaks none that holds."""
    return bool(failing) and all(_contains(c, row) and c.computed - c.stated == d for c in failing) \
        and not any(_contains(c, row) for c in holding)


def _checks(checks: list[TableCheck], field: str) -> tuple[list[TableCheck], list[TableCheck]]:
    mine = [c for c in checks if c.stated is not None and (c.kind == "weight") == (field == "weight")]
    return [c for c in mine if not c.ok], [c for c in mine if c.ok]


def _framework_total(doc: Document, rows: list[IndicatorRecord]) -> list[TableCheck]:
    """The 分值 of a complete table add up to the framework's total (100): a check the table need not print."""
    fw = framework_for(doc.id)
    weights = [r.weight for r in rows]
    if fw is None or not rows or any(w is None for w in weights) or len(rows) != len(fw.indicators):
        return []
    want = sum((i.weight for i in fw.indicators if i.weight is not None), Decimal(0))
    got = sum((w for w in weights if w is not None), Decimal(0))
    return [TableCheck(table=rows[0].table, kind="weight", group="合计", stated=want, computed=got, ok=want == got)]


def _table_rows(doc: Document) -> list[tuple[list[IndicatorRecord], list[TableCheck], bool]]:
    """(leaf rows, the sums over them, accepted?) per scoring table."""
    out = []
    for rows, checks, accepted in ((doc.records, doc.checks, True), (doc.doubtful_records, doc.doubtful_checks, False)):
        leaves = [r for r in rows if r.source == "table" and not r.subtotal]
        if not accepted:
            leaves = attach_commentary(leaves, doc.paragraphs)
        for table in dict.fromkeys(r.table for r in leaves):
            mine = [r for r in leaves if r.table == table]
            # summary tables check the same rows under their own captions: a table's checks are those
            # of its caption and of summaries naming its rows' groups
            groups = {g for r in mine for g in r.levels} | {"合计"}
            sums = [c for c in checks if c.table == table or (c.table not in {r.table for r in leaves} and c.group in groups)]
            out.append((mine, sums + _framework_total(doc, mine), accepted))
    return out


def row_breaks(doc: Document) -> list[Finding]:
    out: list[Finding] = []
    for rows, checks, accepted in _table_rows(doc):
        for field, what in (("score", "得分"), ("weight", "分值")):
            failing, holding = _checks(checks, field)
            cands: list[tuple[IndicatorRecord, Other]] = []
            for row in rows:
                v = getattr(row, field)
                if v is None:
                    continue
                others = {o.value: o for o in _others(doc, row, field, accepted) if o.value != v}
                if len(others) == 1:  # the report's other statements agree with each other
                    cands.append((row, next(iter(others.values()))))
            fits = [(r, o) for r, o in cands if _explains(r, getattr(r, field) - o.value, failing, holding)]
            for row, o in cands:
                v = getattr(row, field)
                sev: Severity = "medium" if len(fits) == 1 and fits[0][0] is row else "low"
                why = (f"；表中各项{what}合计因此比列示数{'多' if v > o.value else '少'} {fmt(abs(v - o.value))} 分"
                       if sev == "medium" else "")
                out.append(Finding(
                    doc=doc.id, kind="value_twice", severity=sev, rule=f"breaks.row_breaks.{field}",
                    message=f"「{row.name}」{what}在{row.table}中为 {fmt(v)} 分，{o.where}为 {fmt(o.value)} 分{why}。",
                    evidence=[ev_record(row), o.evidence],
                    computation="; ".join(f"{c.table}「{c.group}」: Σ = {fmt(c.computed)} vs {fmt(c.stated)}" for c in failing) or None,
                ))
        out += _over_weight(doc, rows)
    return out


def _over_weight(doc: Document, rows: list[IndicatorRecord]) -> list[Finding]:
    """A row scoring more than its 分值: impossible, so one of its two cells is wrong. Medium when it is
    the only such row of a table whose other rows keep 得分 ≤ 分值."""
    both = [r for r in rows if r.weight is not None and r.score is not None]
    over = [r for r in both if r.score > r.weight]  # type: ignore[operator]
    if len(over) != 1 or len(both) < 5:
        return [Finding(doc=doc.id, kind="formula", severity="low", rule="breaks.over_weight",
                        message=f"「{r.name}」得分 {fmt(r.score)} 分，超过其分值 {fmt(r.weight)} 分。",  # type: ignore[arg-type]
                        evidence=[ev_record(r)]) for r in over]
    r = over[0]
    return [Finding(
        doc=doc.id, kind="formula", severity="medium", rule="breaks.over_weight",
        message=f"「{r.name}」得分 {fmt(r.score)} 分，超过其分值 {fmt(r.weight)} 分。",  # type: ignore[arg-type]
        evidence=[ev_record(r)],
    )]


CHECKS = (row_breaks,)
