"""Narrative sentences that state an indicator's 分值/权重 and 得分, as records linked to the table."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.ingest.model import IndicatorRecord, Paragraph, SourceRef
from assistant.ingest.patterns import SENTENCE, squash

STATEMENT = re.compile(
    r"(?P<name>[\u4e00-\u9fff“”]{2,20}?)(?:指标)?\s*(?:分值|权重)\s*(?P<w>\d{1,3}(?:\.\d{1,2})?)\s*分\s*[，,、]\s*"
    r"得分\s*(?:为\s*)?(?P<s>\d{1,3}(?:\.\d{1,2})?)\s*分?"
)
_LEAD = re.compile(r"^(?:一是|二是|三是|四是|五是|其中|该|本项目|本)")


_STATED = re.compile(r"(分值|权重)\s*\d")
_DEFINES = re.compile(r"该指标(主要)?考(核|察)|用以反映|^[一二三四五六七八九十]是")


def explaining_part(reason: str) -> str:
    """The verbatim tail of a reason after the statement of points and the definition of the
    indicator ('…指标权重 4 分，得分 2.5 分。该指标考核…'): what the evaluators found."""
    for m in SENTENCE.finditer(reason):
        sentence = m.group(0)
        if _STATED.search(sentence) or _DEFINES.search(sentence):
            continue
        return reason[m.start():].strip()
    return reason


def merged(records: list[IndicatorRecord]) -> list[IndicatorRecord]:
    """One record per indicator for listings: a table row carries the narrative statements about the
    same indicator (`also_stated`) and, where it has no reason column, their explaining part."""
    statements: dict[str, list[IndicatorRecord]] = {}
    for r in records:
        if r.source == "narrative" and r.linked_to:
            statements.setdefault(r.linked_to, []).append(r)
    out = []
    table_ids = {r.id for r in records if r.source == "table"}
    for r in records:
        if r.source == "narrative" and r.linked_to in table_ids:
            continue
        twins = statements.get(r.id, [])
        if twins:
            refs = [SourceRef(doc=t.doc, page=t.page, quote=t.quote, line=t.line) for t in twins]
            reason = r.reason or next((t.reason for t in twins if t.reason), None)
            r = r.model_copy(update={"also_stated": refs, "reason": explaining_part(reason) if reason else None})
        elif r.reason and r.source == "narrative":
            r = r.model_copy(update={"reason": explaining_part(r.reason)})
        out.append(r)
    return out


def indicator_key(name: str) -> str:
    """An indicator name for matching: no whitespace, no '指标', no quotes."""
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


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def link(narrative: list[IndicatorRecord], table: list[IndicatorRecord]) -> list[IndicatorRecord]:
    """Point each narrative record at the table record of the same indicator: by name, by a level
    name (a 三级 name over one 四级 row), or else by equal numbers and a shared part of the name
    (the report naming one indicator two ways, which the checker reports)."""
    by_name: dict[str, IndicatorRecord] = {}
    for rec in table:
        if not rec.subtotal:
            by_name.setdefault(indicator_key(rec.name), rec)
    found: list[tuple[IndicatorRecord, IndicatorRecord | None, str | None]] = []
    for rec in narrative:
        key = indicator_key(rec.name)
        target, how = by_name.get(key), "name"
        if target is None:
            candidates = [r for r in table if not r.subtotal and key in {indicator_key(lv) for lv in r.levels}]
            target, how = (candidates[0], "level") if len(candidates) == 1 else (None, None)
        found.append((rec, target, how if target else None))
    taken = {t.id for _, t, _ in found if t is not None}
    linked = []
    for rec, target, how in found:
        if target is None:
            shared = _bigrams(indicator_key(rec.name))
            candidates = [r for r in table if not r.subtotal and r.id not in taken and r.score == rec.score
                          and (r.weight is None or r.weight == rec.weight) and len(shared & _bigrams(indicator_key(r.name))) >= 2]
            if len(candidates) == 1:
                target, how = candidates[0], "numbers"
                taken.add(target.id)
        update: dict[str, object] = {"linked_to": target.id if target else None, "linked_by": how}
        if target is not None:
            update["levels"] = target.levels
        linked.append(rec.model_copy(update=update))
    return linked


_CODED_LEAD = re.compile(r"^([A-Z]\d{1,6})?([\u4e00-\u9fff、“”（）]{2,40}?)[：:]")


def attach_commentary(records: list[IndicatorRecord], paragraphs: list[Paragraph]) -> list[IndicatorRecord]:
    """Paragraphs that discuss an indicator by its code and name ('A302资金分配合理性：一次性…', as
    third-party reports do under their summary tables): attached to the record, verbatim, with the
    paragraphs that continue them (up to the next such paragraph or heading)."""
    by_key: dict[str, IndicatorRecord] = {}
    for r in records:
        if r.source == "table":
            by_key.setdefault(indicator_key(r.name), r)
            for alias in r.aliases:
                by_key.setdefault(indicator_key(alias), r)
    found: dict[str, str] = {}
    i = 0
    while i < len(paragraphs):
        p = paragraphs[i]
        m = _CODED_LEAD.match(p.text) if p.kind == "text" else None
        rec = by_key.get(indicator_key(m.group(2))) if m else None
        if rec is None or (m and m.group(1) and rec.code and m.group(1) != rec.code):
            i += 1
            continue
        parts = [p.text]
        j = i + 1
        while j < len(paragraphs) and paragraphs[j].kind == "text" and not _CODED_LEAD.match(paragraphs[j].text):
            parts.append(paragraphs[j].text)
            j += 1
        found.setdefault(rec.id, "".join(parts))
        i = j
    return [r.model_copy(update={"commentary": found[r.id]}) if r.id in found else r for r in records]
