"""Summary tables of scores: they confirm or fill the leaf records and give the subtotals.

Two shapes:
- *lists*: `指标名称 | 权重 | 指标得分 | 得分率` with one indicator (or group) a row, often with its
  code ('A102立项程序规范性 3.00 0.00 0.00%') and a 合计 row;
- *transposed*: `一级指标 | 决策 | 过程 | … | 合计` over rows `分值 | 15.00 | …`, `得分 | …`, `得分率 | …`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.ingest.cell_tables import NUM, caption_before, is_header_cell
from assistant.ingest.codes import split_code
from assistant.ingest.lines import Line
from assistant.ingest.patterns import patterns, squash

_RATE = re.compile(r"^\d{1,3}(?:\.\d{1,2})?%$")
_NAME_COL = re.compile(r"^(?:指标名称|指标|评价指标|[一二三四]级指标)$")
_WEIGHT_COL = re.compile(r"^(?:权重|分值|权重分|标准分|满分)(?:（分）)?$")
_SCORE_COL = re.compile(r"^(?:指标得分|得分|评价得分|实际得分)(?:（分）)?$")
_RATE_COL = re.compile(r"^得分率$")


@dataclass
class SummaryRow:
    code: str | None
    name: str
    weight: Decimal
    score: Decimal
    rate: str | None
    line: int
    page: int | None
    quote: str
    is_total: bool = False


@dataclass
class SummaryTable:
    caption: str
    rows: list[SummaryRow] = field(default_factory=list)
    transposed: bool = False
    line: int = 0


def _cells(ln: Line) -> list[str]:
    return [c.strip() for c in patterns().strip.sub("", ln.raw).split("\t")]


def _list_header(cells: list[str]) -> tuple[int, int, int] | None:
    """(name, weight, score) column indexes of a summary-list header, or None."""
    sq = [squash(c) for c in cells]
    name = next((i for i, c in enumerate(sq) if _NAME_COL.match(c)), None)
    weight = next((i for i, c in enumerate(sq) if _WEIGHT_COL.match(c)), None)
    score = next((i for i, c in enumerate(sq) if _SCORE_COL.match(c)), None)
    if name is None or weight is None or score is None or len([c for c in sq if c]) > 5:
        return None
    if not all(_NAME_COL.match(c) or _WEIGHT_COL.match(c) or _SCORE_COL.match(c) or _RATE_COL.match(c) for c in sq if c):
        return None
    return name, weight, score


def _number(text: str) -> Decimal | None:
    t = text.strip().replace(",", "")
    return Decimal(t) if NUM.match(t) else None


def summary_tables(lines: list[Line]) -> list[SummaryTable]:
    out: list[SummaryTable] = []
    i, n = 0, len(lines)
    while i < n:
        ln = lines[i]
        if "\t" not in ln.raw:
            i += 1
            continue
        cells = _cells(ln)
        cols = _list_header(cells)
        if cols is not None:
            table, i = _read_list(lines, i, cols)
            if len(table.rows) >= 2:
                out.append(table)
            continue
        transposed = _read_transposed(lines, i)
        if transposed is not None:
            table, i = transposed
            out.append(table)
            continue
        i += 1
    return out


def _read_list(lines: list[Line], start: int, cols: tuple[int, int, int]) -> tuple[SummaryTable, int]:
    ni, wi, si = cols
    table = SummaryTable(caption=caption_before(lines, start), line=lines[start].no)
    i = start + 1
    while i < len(lines):
        ln = lines[i]
        if not ln.text or ln.is_page_mark:
            # a blank (a page break) inside the table: go on if a row of the same shape follows
            j = i + 1
            while j < len(lines) and (not lines[j].text or lines[j].is_page_mark):
                j += 1
            if j < len(lines) and "\t" in lines[j].raw and _row(_cells(lines[j]), ni, wi, si) is not None:
                i = j
                continue
            break
        if "\t" not in ln.raw:
            break
        cells = _cells(ln)
        if _list_header(cells) is not None:  # the header repeated on a new page
            i += 1
            continue
        parsed = _row(cells, ni, wi, si)
        if parsed is None:
            break
        name, weight, score, rate = parsed
        total = squash(name) in patterns().total_row_words or squash(name) == "小计"
        coded = split_code(name)
        table.rows.append(SummaryRow(code=None if total else coded.code, name=squash(coded.name if not total else name),
                                     weight=weight, score=score, rate=rate, line=ln.no, page=ln.page,
                                     quote=" ".join(c for c in cells if c), is_total=total))
        i += 1
    return table, i


def _row(cells: list[str], ni: int, wi: int, si: int) -> tuple[str, Decimal, Decimal, str | None] | None:
    if len(cells) <= max(ni, wi, si):
        return None
    name = cells[ni].strip()
    weight, score = _number(cells[wi]), _number(cells[si])
    if not name or weight is None or score is None or NUM.match(name) or is_header_cell(name):
        return None
    rate = next((c for c in cells if _RATE.match(c.strip())), None)
    return name, weight, score, rate


def _read_transposed(lines: list[Line], start: int) -> tuple[SummaryTable, int] | None:
    """`一级指标 | 决策 | 过程 | … | 合计` followed by `分值 | …` and `得分 | …` rows."""
    head = _cells(lines[start])
    if not head or not (_NAME_COL.match(squash(head[0])) or squash(head[0]) in ("评价维度", "指标类别")):
        return None
    names = [squash(c) for c in head[1:]]
    if len(names) < 2 or any(not c or NUM.match(c) or is_header_cell(c) for c in names):
        return None
    rows: dict[str, list[str]] = {}
    lines_of: dict[str, Line] = {}
    i = start + 1
    while i < len(lines) and i - start < 8:
        ln = lines[i]
        if not ln.text or ln.is_page_mark:
            i += 1
            continue
        if "\t" not in ln.raw:
            break
        cells = _cells(ln)
        label = squash(cells[0])
        kind = "weight" if _WEIGHT_COL.match(label) else "score" if _SCORE_COL.match(label) else "rate" if _RATE_COL.match(label) else None
        if kind is None:
            break
        rows[kind] = cells[1:]
        lines_of[kind] = ln
        i += 1
    if "weight" not in rows or "score" not in rows:
        return None
    table = SummaryTable(caption=caption_before(lines, start), transposed=True, line=lines[start].no)
    for k, name in enumerate(names):
        w = _number(rows["weight"][k]) if k < len(rows["weight"]) else None
        s = _number(rows["score"][k]) if k < len(rows["score"]) else None
        if w is None or s is None:
            return None
        rate = rows.get("rate", [None] * len(names))[k] if k < len(rows.get("rate", [])) else None
        total = name in patterns().total_row_words
        ln = lines_of["score"]
        table.rows.append(SummaryRow(code=None, name=name, weight=w, score=s, rate=rate, line=ln.no, page=ln.page,
                                     quote=" ".join(c for c in _cells(ln) if c), is_total=total))
    return table, i
