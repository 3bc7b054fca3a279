"""On-ingest arithmetic: do a table's scores add up to its stated total and subtotals?

Results are recorded, never used to change a number.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from assistant.ingest.model import IndicatorRecord, TableCheck


def check_table(caption: str, records: list[IndicatorRecord], stated: dict, published: Decimal | None) -> list[TableCheck]:
    leaves = [r for r in records if r.score is not None and not r.subtotal]
    checks: list[TableCheck] = []
    total = sum((r.score for r in leaves if r.score is not None), Decimal(0))
    stated_total = stated.get("total") or published
    checks.append(
        TableCheck(table=caption, kind="total", group="合计", stated=stated_total, computed=total,
                   ok=stated_total is not None and total == stated_total, page=stated.get("total_page"))
    )
    groups: OrderedDict[str, Decimal] = OrderedDict()
    for r in leaves:
        if r.levels:
            groups[r.levels[0]] = groups.get(r.levels[0], Decimal(0)) + (r.score or Decimal(0))
    for group, (_w, s, page, _q) in stated.get("subtotals", {}).items():
        computed = groups.get(group, Decimal(0))
        checks.append(TableCheck(table=caption, kind="subtotal", group=group, stated=s, computed=computed,
                                 ok=computed == s, page=page))
    return checks


def level1_subtotals(records: list[IndicatorRecord]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for r in records:
        if r.score is not None and r.levels and not r.subtotal:
            out[r.levels[0]] = out.get(r.levels[0], Decimal(0)) + r.score
    return out
