"""On-ingest arithmetic: a scoring table's rows against its own totals, its group weights and the
report's summary tables.

- `reconcile` lets a summary table fill what a page break cut from a row (a missing 分值 or 得分, a
  name that is really the start of the 指标解释), and records where the two disagree;
- `check_table` recomputes the total, the total weight and every subtotal the report prints;
- `accept` decides whether a table's rows become indicator records: a table whose scores do not
  add up to the total it prints is reported as a note instead. Numbers are never 'fixed'.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from decimal import Decimal

from assistant.ingest.cell_tables import NAME_BAD
from assistant.ingest.model import IndicatorRecord, SourceRef, TableCheck
from assistant.ingest.patterns import squash
from assistant.ingest.summary_tables import SummaryRow, SummaryTable


def _key(name: str) -> str:
    return re.sub(r"[\s“”\"]", "", squash(name)).replace("指标", "")


def _doubtful(name: str) -> bool:
    """A name cell that is really text: the start of an explanation, or a code with no name."""
    return not name or bool(NAME_BAD.search(name)) or len(name) > 30


def reconcile(doc: str, records: list[IndicatorRecord], summaries: list[SummaryTable]) -> tuple[list[IndicatorRecord], list[str]]:
    rows = [r for t in summaries if not t.transposed for r in t.rows if not r.is_total]
    if not rows:
        return records, []
    by_code = {r.code: r for r in rows if r.code}
    by_name = {_key(r.name): r for r in rows}
    notes: list[str] = []
    out = []
    for rec in records:
        row = (by_code.get(rec.code) if rec.code else None) or by_name.get(_key(rec.name))
        if row is None or rec.source != "table":
            out.append(rec)
            continue
        update: dict[str, object] = {}
        ref = SourceRef(doc=doc, page=row.page, quote=row.quote, line=row.line)
        update["confirmed_by"] = [*rec.confirmed_by, ref]
        if rec.weight is None:
            update["weight"] = row.weight
        elif rec.weight != row.weight:
            notes.append(f"「{rec.name}」分值：评分表 {rec.weight}，汇总表 {row.weight}（第 {row.line} 行）")
        if rec.score is None:
            update["score"] = row.score
        elif rec.score != row.score:
            notes.append(f"「{rec.name}」得分：评分表 {rec.score}，汇总表 {row.score}（第 {row.line} 行）")
        if _doubtful(rec.name):
            update["levels"] = [*rec.levels[:-1], row.name]
        elif _key(row.name) != _key(rec.name) and row.name not in rec.aliases:
            update["aliases"] = [*rec.aliases, row.name]
        out.append(rec.model_copy(update=update))
    return out, notes


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def check_table(caption: str, records: list[IndicatorRecord], stated: dict, published: Decimal | None,
                summaries: list[SummaryTable] | None = None) -> list[TableCheck]:
    leaves = [r for r in records if r.score is not None and not r.subtotal]
    checks: list[TableCheck] = []
    total = _sum([r.score for r in leaves])
    stated_total = stated.get("total") or published
    checks.append(TableCheck(table=caption, kind="total", group="合计", stated=stated_total, computed=total,
                             ok=stated_total is not None and total == stated_total, page=stated.get("total_page")))
    weights = [r.weight for r in leaves]
    if stated.get("total_weight") is not None and all(w is not None for w in weights):
        checks.append(TableCheck(table=caption, kind="weight", group="合计", stated=stated["total_weight"],
                                 computed=_sum(weights), ok=_sum(weights) == stated["total_weight"]))
    groups: OrderedDict[str, Decimal] = OrderedDict()
    group_weights: OrderedDict[str, Decimal] = OrderedDict()
    for r in leaves:
        if r.levels:
            groups[r.levels[0]] = groups.get(r.levels[0], Decimal(0)) + (r.score or Decimal(0))
            group_weights[r.levels[0]] = group_weights.get(r.levels[0], Decimal(0)) + (r.weight or Decimal(0))
    for group, (_w, s, page, _q) in stated.get("subtotals", {}).items():
        computed = groups.get(group, Decimal(0))
        checks.append(TableCheck(table=caption, kind="subtotal", group=group, stated=s, computed=computed,
                                 ok=computed == s, page=page))
    # group weights printed in the name cells ('A决策15分')
    for key, w in stated.get("group_weights", {}).items():
        level, name = key.split(":", 1)
        if level == "L1" and name in group_weights and all(r.weight is not None for r in leaves if r.levels[0] == name):
            checks.append(TableCheck(table=caption, kind="weight", group=name, stated=w, computed=group_weights[name],
                                     ok=group_weights[name] == w))
    for table in summaries or []:
        checks += _summary_checks(table, leaves, groups)
    return checks


def _summary_checks(table: SummaryTable, leaves: list[IndicatorRecord], groups: dict[str, Decimal]) -> list[TableCheck]:
    """A summary table's level-1 rows, group rows (by code) and 合计 row against the leaf rows."""
    out = []
    if table.transposed:
        for row in table.rows:
            computed = sum(groups.values(), Decimal(0)) if row.is_total else groups.get(row.name)
            if computed is not None:
                out.append(TableCheck(table=table.caption, kind="total" if row.is_total else "subtotal", group=row.name,
                                      stated=row.score, computed=computed, ok=computed == row.score, page=row.page))
        return out
    coded = [r for r in table.rows if r.code]
    for row in coded:
        under = [leaf for leaf in leaves if leaf.code and leaf.code != row.code and leaf.code.startswith(row.code)]
        if under:
            computed = _sum([leaf.score for leaf in under])
            out.append(TableCheck(table=table.caption, kind="subtotal", group=row.name, stated=row.score,
                                  computed=computed, ok=computed == row.score, page=row.page))
    totals = [r for r in table.rows if r.is_total]
    letters = {r.code[0] for r in coded}
    if totals and len(letters) == 1:  # a summary of one 一级指标: its 合计 is that group's subtotal
        letter = letters.pop()
        under = [leaf for leaf in leaves if leaf.code and leaf.code.startswith(letter)]
        if under:
            computed = _sum([leaf.score for leaf in under])
            out.append(TableCheck(table=table.caption, kind="subtotal", group=under[0].levels[0], stated=totals[0].score,
                                  computed=computed, ok=computed == totals[0].score, page=totals[0].page))
    return out


def accept(checks: list[TableCheck]) -> bool:
    """A table becomes records only if its scores add up to the total it (or the report) prints."""
    return all(c.ok for c in checks if c.kind == "total" and c.stated is not None)


def level1_subtotals(records: list[IndicatorRecord]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for r in records:
        if r.score is not None and r.levels and not r.subtotal:
            out[r.levels[0]] = out.get(r.levels[0], Decimal(0)) + r.score
    return out


def summary_rows(summaries: list[SummaryTable]) -> list[SummaryRow]:
    return [r for t in summaries for r in t.rows]
