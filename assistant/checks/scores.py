"""Scoring tables against the report's own text: 分值 and 得分 stated twice, group subtotals, stated
deductions, the groups of a table that failed its sum check, and the grade the total gives."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.model import Evidence, Finding, Severity
from assistant.checks.text import ev_record, patterns
from assistant.ingest import Document
from assistant.ingest.narrative import STATEMENT
from assistant.scoring.engine import fmt
from assistant.scoring.framework import framework_for

CENT = Decimal("0.01")


def _exact(diff: Decimal) -> Severity:
    """Scores are printed exactly (not rounded measurements): a cent is a typo-sized slip, more is certain."""
    return "low" if abs(diff) <= CENT else "high"


def narrative_vs_table(doc: Document) -> list[Finding]:
    by_id = {r.id: r for r in doc.records}
    out = []
    for n in doc.records:
        t = by_id.get(n.linked_to or "")
        if n.source != "narrative" or t is None:
            continue
        w_diff = t.weight is not None and n.weight is not None and t.weight != n.weight
        s_diff = t.score is not None and n.score is not None and t.score != n.score
        if not (w_diff or s_diff):
            continue
        parts = []
        if w_diff:
            parts.append(f"分值正文为 {fmt(n.weight)} 分、表中为 {fmt(t.weight)} 分")
        if s_diff:
            parts.append(f"得分正文为 {fmt(n.score)} 分、表中为 {fmt(t.score)} 分")
        diff = max(abs((n.weight or 0) - (t.weight or 0)), abs((n.score or 0) - (t.score or 0)))
        out.append(Finding(
            doc=doc.id, kind="value_twice", severity=_exact(diff), rule="scores.narrative_vs_table",
            message=f"「{n.name}」在正文和{t.table}中不一致：{'；'.join(parts)}。",
            evidence=[ev_record(n), ev_record(t)],
        ))
    return out


def name_mismatches(doc: Document) -> list[Finding]:
    """The same indicator (same 分值 and 得分, same place) named differently in the text and the table."""
    by_id = {r.id: r for r in doc.records}
    out = []
    for n in doc.records:
        t = by_id.get(n.linked_to or "")
        if n.source != "narrative" or n.linked_by != "numbers" or t is None:
            continue
        m = STATEMENT.search(n.quote)
        text_name = m.group("name") if m else n.quote
        out.append(Finding(
            doc=doc.id, kind="naming", severity="low", rule="scores.name_mismatches",
            message=f"同一指标在正文中称「{text_name}」，在{t.table}中称「{t.name}」（分值、得分相同）。",
            evidence=[ev_record(n), ev_record(t)],
        ))
    return out


def subtotals(doc: Document) -> list[Finding]:
    """Group subtotals and weights of tables whose total adds up. Where one group is over by exactly
    what another is under and a row of that size sits in one of them, the row is misfiled instead."""
    out: list[Finding] = []
    bad = [c for c in doc.checks if not c.ok and c.stated is not None and c.kind != "total"]
    rows = [r for r in doc.records if r.source == "table" and not r.subtotal and r.score is not None]
    used: set[int] = set()
    for i, a in enumerate(bad):
        for j, b in enumerate(bad):
            if j <= i or a.kind != "subtotal" or b.kind != "subtotal" or a.table != b.table:
                continue
            d = a.computed - a.stated
            if d == 0 or b.computed - b.stated != -d:
                continue
            src, dst = (a, b) if d > 0 else (b, a)
            moved = [r for r in rows if r.table == src.table and r.levels and r.levels[0] == src.group and r.score == abs(d)]
            if len(moved) != 1:
                continue
            r = moved[0]
            used |= {i, j}
            out.append(Finding(
                doc=doc.id, kind="category", severity="medium", rule="scores.subtotals",
                message=(f"「{r.name}」（{fmt(r.score)} 分）列在「{src.group}」下，但按表中小计它属于「{dst.group}」："
                         f"「{src.group}」各行合计多 {fmt(abs(d))} 分，「{dst.group}」少 {fmt(abs(d))} 分。"),
                evidence=[ev_record(r)],
                computation=f"{src.group}: {fmt(src.computed)} vs {fmt(src.stated)}；{dst.group}: {fmt(dst.computed)} vs {fmt(dst.stated)}",
            ))
    for i, c in enumerate(bad):
        if i in used:
            continue
        what = "分值" if c.kind == "weight" else "得分"
        diff = c.computed - c.stated
        out.append(Finding(
            doc=doc.id, kind="table_sum", severity="low" if abs(diff) <= CENT else "medium", rule="scores.subtotals",
            message=f"{c.table}中「{c.group}」各项{what}合计为 {fmt(c.computed)} 分，表中列示 {fmt(c.stated)} 分。",
            evidence=[Evidence(page=c.page, quote=c.table)] + _group_rows(rows, c.table, c.group),
            computation=f"Σ {what} = {fmt(c.computed)}",
        ))
    return out


def _group_rows(rows: list, table: str, group: str) -> list[Evidence]:
    """The rows a sum is over: a group at any level (二级 subtotals of summary tables too), or all."""
    return [ev_record(r) for r in rows if (r.table == table or group != "合计") and (group == "合计" or group in r.levels)]


def doubtful_groups(doc: Document) -> list[Finding]:
    """A table that failed its sum check, narrowed to the 一级 groups whose printed subtotals its rows
    miss. Rows cut by a page break give the same picture, so this is low."""
    rows = [r for r in doc.doubtful_records if not r.subtotal]
    out = []
    tables = {r.table for r in rows}
    for c in doc.doubtful_checks:
        if c.ok or c.stated is None or (c.kind == "total" and c.table not in tables):
            continue  # a summary table's total repeats the scoring table's
        what = "分值" if c.kind == "weight" else "得分"
        out.append(Finding(
            doc=doc.id, kind="table_sum", severity="low", rule="scores.doubtful_groups",
            message=(f"{c.table}中「{c.group}」各项{what}合计为 {fmt(c.computed)} 分，表中列示 {fmt(c.stated)} 分"
                     f"（{'该表合计也不符，' if c.kind != 'total' else ''}可能有行在分页处断开，故为低）。"),
            evidence=[Evidence(page=c.page, quote=c.table)] + _group_rows(rows, c.table, c.group),
        ))
    return out


def stated_deductions(doc: Document) -> list[Finding]:
    """A stated deduction ('本指标扣 1.5 分') that is not 分值 − 得分 of the same statement."""
    out = []
    for n in doc.records:
        if n.source != "narrative" or not n.reason or n.weight is None or n.score is None:
            continue
        m = re.search(r"扣(?:除|减)?\s*(\d+(?:\.\d+)?)\s*分", n.reason)
        if m and Decimal(m.group(1)) != n.weight - n.score:
            out.append(Finding(
                doc=doc.id, kind="formula", severity=_exact(Decimal(m.group(1)) - (n.weight - n.score)),
                rule="scores.stated_deductions",
                message=f"「{n.name}」写明扣 {m.group(1)} 分，但分值 {fmt(n.weight)} − 得分 {fmt(n.score)} = {fmt(n.weight - n.score)} 分。",
                evidence=[Evidence(page=n.page, line=n.line, quote=m.group(0)), ev_record(n)],
            ))
    return out


def grade_vs_total(doc: Document) -> list[Finding]:
    if doc.total_score is None or not doc.grade:
        return []
    fw = framework_for(doc.id)
    bands = sorted(fw.grade_bands, key=lambda b: -b.ge) if fw else None
    if bands is None:  # the 财预〔2020〕10号 bands: 90 优, 80 良, 60 中, below 差
        expected = "优" if doc.total_score >= 90 else "良" if doc.total_score >= 80 else "中" if doc.total_score >= 60 else "差"
    else:
        expected = next(b.grade for b in bands if doc.total_score >= b.ge)
    synonyms = patterns()["grade_synonyms"]
    stated = synonyms.get(doc.grade, doc.grade)
    if stated == synonyms.get(expected, expected):
        return []
    return [Finding(doc=doc.id, kind="grade_vs_total", severity="high", rule="scores.grade_vs_total",
                    message=f"总分 {fmt(doc.total_score)} 分对应等级应为「{expected}」，报告写为「{doc.grade}」。",
                    evidence=[Evidence(page=None, quote=doc.grade)])]


def deducted_share(doc: Document) -> list[Finding]:
    """'扣除该指标 50% 分值 … 该指标得 4.50 分' in a row's 评价意见, where the row's 分值 is 5: at most 2.50
    is left. Low: the 评价意见 may run across a page break, and the share may be meant of one point."""
    from assistant.checks.text import ev, rx

    rows = sorted((r for r in doc.records + doc.doubtful_records if r.source == "table" and r.weight and r.line),
                  key=lambda r: r.line or 0)
    out = []
    for p in doc.paragraphs:
        for m in rx("deducted_share").finditer(p.text):
            row = next((r for r in reversed(rows) if (r.line or 0) <= p.line), None)
            if row is None or row.weight is None or p.line - (row.line or 0) > 6:
                continue
            most = row.weight * (1 - Decimal(m.group("pct")) / 100)
            if Decimal(m.group("s")) <= most:
                continue
            out.append(Finding(
                doc=doc.id, kind="formula", severity="low", rule="scores.deducted_share",
                message=(f"「{row.name}」分值 {fmt(row.weight)} 分，评价意见称扣除该指标 {m.group('pct')}% 分值"
                         f"（最多得 {fmt(most)} 分），却得 {m.group('s')} 分。"),
                evidence=[ev_record(row), ev(p, m.group(0))],
            ))
    return out


CHECKS = (narrative_vs_table, name_mismatches, doubtful_groups, subtotals, stated_deductions, grade_vs_total, deducted_share)
