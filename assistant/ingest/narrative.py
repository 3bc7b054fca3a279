"""Narrative sentences that state an indicator's 分值/权重 and 得分, as records linked to the table."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.ingest.model import IndicatorRecord, Paragraph
from assistant.ingest.patterns import squash

STATEMENT = re.compile(
    r"(?P<name>[\u4e00-\u9fff“”]{2,20}?)(?:指标)?\s*(?:分值|权重)\s*(?P<w>\d{1,3}(?:\.\d{1,2})?)\s*分\s*[，,、]\s*"
    r"得分\s*(?:为\s*)?(?P<s>\d{1,3}(?:\.\d{1,2})?)\s*分?"
)
_LEAD = re.compile(r"^(?:一是|二是|三是|四是|五是|其中|该|本项目|本)")


def _key(name: str) -> str:
    return squash(name).replace("指标", "").strip("“”")


def narrative_records(doc: str, paragraphs: list[Paragraph]) -> list[IndicatorRecord]:
    """One record per statement; `reason` is the paragraph with the statement and the ones after it
    in the same section, up to the next statement."""
    hits: list[tuple[int, re.Match[str]]] = []
    for i, para in enumerate(paragraphs):
        if para.kind != "text":
            continue
        for m in STATEMENT.finditer(para.text):
            hits.append((i, m))
    stated_in = {i for i, _ in hits}
    records: list[IndicatorRecord] = []
    for i, m in hits:
        para = paragraphs[i]
        parts = [para.text]
        for j in range(i + 1, len(paragraphs)):
            nxt = paragraphs[j]
            if nxt.kind != "text" or nxt.heading_path != para.heading_path or j in stated_in:
                break
            parts.append(nxt.text)
        name = _LEAD.sub("", m.group("name"))
        records.append(
            IndicatorRecord(
                id=f"{doc}:n{len(records)}",
                doc=doc,
                table=para.heading_path[-1] if para.heading_path else "",
                levels=[name],
                weight=Decimal(m.group("w")),
                score=Decimal(m.group("s")),
                reason="".join(parts),
                page=para.page,
                line=para.line,
                source="narrative",
                quote=m.group(0),
            )
        )
    return records


def link(narrative: list[IndicatorRecord], table: list[IndicatorRecord]) -> list[IndicatorRecord]:
    """Point each narrative record at the table record of the same indicator (by name)."""
    by_name: dict[str, IndicatorRecord] = {}
    for rec in table:
        if not rec.subtotal:
            by_name.setdefault(_key(rec.name), rec)
    linked = []
    for rec in narrative:
        key = _key(rec.name)
        target = by_name.get(key)
        if target is None:  # the narrative may name a higher level (三级) of a 四级 table row
            candidates = [r for r in table if not r.subtotal and key in {_key(lv) for lv in r.levels}]
            target = candidates[0] if len(candidates) == 1 else None
        update: dict[str, object] = {"linked_to": target.id if target else None}
        if target is not None:
            update["levels"] = target.levels
        linked.append(rec.model_copy(update=update))
    return linked
