"""Where a report prints its scores: the scoring table's rows (each indicator's score cell, the total),
and whether the report was scored with this year's framework at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.drafting.carried import cells
from assistant.ingest.model import Document
from assistant.ingest.narrative import indicator_key
from assistant.scoring.sheet import ScoreSheet

_PURE_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class ScoringTable:
    # paragraph index → (start, end, indicator name) of its score cell; the name is '' for the total
    score_cells: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    # the table's paragraphs: every other number in them is the framework's (weights, rule texts)
    region: set[int] = field(default_factory=set)


def find_scoring_table(doc: Document, total_cells: str) -> ScoringTable:
    """The rows that hold an indicator of the report's scoring table, found through the indicator records
    ingestion read; the score is the row's last cell (or a lone number on the next line, where a page
    break cut the row) equal to the record's score."""
    records = {indicator_key(r.name): r for r in doc.records if r.source == "table" and r.score is not None}
    paras = doc.paragraphs
    out = ScoringTable()
    paths: set[tuple[str, ...]] = set()
    for i, p in enumerate(paras):
        if p.kind != "table_row":
            continue
        row = cells(p.text)
        record = next((records[indicator_key(c)] for _, _, c in row if indicator_key(c) in records), None)
        if record is None:
            continue
        paths.add(tuple(p.heading_path))
        a, b, last = row[-1]
        following = paras[i + 1].text if i + 1 < len(paras) else ""
        if len(row) > 2 and _PURE_NUMBER.fullmatch(last) and Decimal(last) == record.score:
            out.score_cells[i] = (a, b, record.name)
        elif _PURE_NUMBER.fullmatch(following.strip()) and Decimal(following.strip()) == record.score:
            lead = len(following) - len(following.lstrip())
            out.score_cells[i + 1] = (lead, len(following.rstrip()), record.name)
    for i, p in enumerate(paras):
        if tuple(p.heading_path) not in paths or not (p.kind == "table_row" or i in out.score_cells):
            continue
        out.region.add(i)
        row = cells(p.text)
        if p.kind == "table_row" and row and re.match(total_cells, row[0][2]):
            number = next(((a, b) for a, b, c in row[1:] if _PURE_NUMBER.fullmatch(c)), None)
            if number:
                out.score_cells[i] = (*number, "")
    return out


def scored_with(doc: Document, sheet: ScoreSheet) -> bool:
    """Whether the report was scored with this year's framework: its scoring table names at least half
    of the framework's indicators (or, without a table, it is the kind of report the framework scores)."""
    keys = {indicator_key(i.name) for i in sheet.indicators}
    named = {indicator_key(r.name) for r in doc.records if r.source == "table"}
    if named:
        return len(named & keys) * 2 >= len(keys)
    return doc.kind != "other" and doc.kind in sheet.framework_name
