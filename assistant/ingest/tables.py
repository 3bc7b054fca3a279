"""Scoring tables → indicator records.

Two layouts cover what PDF/Word extraction leaves of a scoring table:
- *cell rows*: cells separated by tabs on one line, or one cell per line each starting with a tab
  (rows end at a blank line, a cell may continue on following lines);
- *compact rows*: a table whose leaf rows end in `权重 得分 得分率%`, with level names broken over
  short lines above them (one or two characters a line).
Columns are read from the header rows (一级/二级/三级指标, 名称/参考分值 pairs, 分值, 得分), so a new
report with the same kind of layout needs no code.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.ingest.cell_tables import (
    LEVEL_HEADER,
    NAME_BAD,
    cell_tables,
    is_header_row,
    records_from_cell_table,
)
from assistant.ingest.lines import Line
from assistant.ingest.model import IndicatorRecord, TargetRow
from assistant.ingest.patterns import patterns, squash

_COMPACT_ROW = re.compile(
    r"^(?P<names>.*?)\s*(?P<w>\d{1,3}(?:\.\d{1,2})?)\s+(?P<s>\d{1,3}(?:\.\d{1,2})?)\s+(?P<rate>\d{1,3}(?:\.\d{1,2})?%)\s*$"
)
_CAPTION_HINT = re.compile(r"评分表|指标体系|评分结果|评分情况|指标评分")


# ---------------------------------------------------------------- compact rows (权重 得分 得分率)


def _compact_tables(lines: list[Line]) -> list[tuple[str, int, int]]:
    """(caption, start, end) of tables whose rows end in 'weight score rate%'."""
    found = []
    for i, ln in enumerate(lines):
        t = ln.text
        if _CAPTION_HINT.search(t) and len(t) <= 60 and "\t" not in ln.raw:
            end = None
            rows = 0
            for j in range(i + 1, min(len(lines), i + 400)):
                tj = lines[j].text
                if _COMPACT_ROW.match(tj):
                    rows += 1
                    if squash(tj).startswith(tuple(patterns().total_row_words)):
                        end = j
                        break
                elif j - i > 40 and rows == 0:
                    break
            if end is not None and rows >= 3:
                if found and found[-1][2] == end:  # a sentence mentioning the table, then its caption
                    found.pop()
                found.append((re.sub(r"\s+", " ", t), i, end))
    return found


def _records_from_compact(doc: str, t_index: int, caption: str, lines: list[Line]) -> tuple[list[IndicatorRecord], dict]:
    p = patterns()
    recs: list[IndicatorRecord] = []
    l1 = l2 = l3 = ""
    frags: list[str] = []
    stated: dict[str, object] = {"subtotals": {}}
    for ln in lines:
        t = ln.text
        if not t or ln.is_page_mark:
            continue
        m = _COMPACT_ROW.match(t)
        if not m:
            s = squash(t)
            if re.match(r"^\d+\s", t) or len(t) > 30:  # footnote or prose between page parts
                continue
            if all(tok in p.header_words or LEVEL_HEADER.fullmatch(tok) for tok in t.split()):
                continue
            frags.append(s)
            continue
        names = t[: m.start("w")].split()
        w, s = Decimal(m.group("w")), Decimal(m.group("s"))
        first = squash(names[0]) if names else ""
        if first in p.subtotal_row_words:
            stated["subtotals"][l1] = (w, s, ln.page, t)
            frags = []
            continue
        if first in p.total_row_words:
            stated["total"] = s
            stated["total_page"] = ln.page
            stated["total_quote"] = t
            continue
        # Fragments above the row: a level-1 name, then short pieces of the level-2 name, then longer names.
        # Level-2 names are four characters broken two a line, so an odd run of short fragments
        # starts with the level-1 name ('决策 项目 立项'); an even run is a level-2 name alone.
        n_short = 0
        while n_short < len(frags) and len(frags[n_short]) <= 2:
            n_short += 1
        if (n_short % 2 == 1) or (frags and frags[0] in p.level1_names and len(frags[0]) > 2):
            l1 = frags.pop(0)
            l2 = l3 = ""
            n_short = max(0, n_short - 1)
        if n_short:
            l2 = "".join(frags[:n_short])
            del frags[:n_short]
            l3 = ""
        names = [squash(n) for n in names]
        if not names:  # the leaf's own name broke over lines: first long fragment is level 3
            if frags:
                l3 = frags.pop(0)
            leaf = "".join(frags) or l3
        elif len(names) >= 2:
            l3, leaf = names[0], "".join(names[1:])
        else:
            if frags:
                l3 = "".join(frags)
            leaf = names[0]
        frags = []
        levels = [x for x in (l1, l2, l3, leaf) if x]  # 三级 and 四级 may share a name: kept as printed
        recs.append(
            IndicatorRecord(
                id=f"{doc}:t{t_index}:r{len(recs)}", doc=doc, table=caption, levels=levels,
                weight=w, score=s, page=ln.page, line=ln.no, source="table", quote=t,
            )
        )
    return recs, stated


def extract_tables(doc: str, lines: list[Line], skip_lines: frozenset[int] = frozenset()
                   ) -> list[tuple[str, list[IndicatorRecord], dict]]:
    """All scoring tables of a document: (caption, records, stated totals and subtotals).
    `skip_lines`: first lines of tables already read as summary tables."""
    out = []
    for caption, start, end in _compact_tables(lines):
        recs, stated = _records_from_compact(doc, len(out), caption, lines[start + 1 : end + 1])
        out.append((caption, recs, stated))
    for table in cell_tables(lines):
        if table.rows and table.rows[0].line.no in skip_lines:
            continue
        recs, stated = records_from_cell_table(doc, len(out), table)
        if any(r.score is not None for r in recs):
            out.append((table.caption, recs, stated))
    return out


# ---------------------------------------------------------------- target tables (指标值 / 实际完成值)

_LEVEL_COL = re.compile(r"^(?:[一二三四]级指标|指标内容|具体指标)")
_TARGET_COL = re.compile(r"(?:预期|年度)?指标值|目标值")
_ACTUAL_COL = re.compile(r"实际完成")


def extract_targets(doc: str, lines: list[Line]) -> list[TargetRow]:
    """Rows of the tables that set targets: levels by header position, target and actual values.

    A row shorter than the header (a merged cell lost in extraction) is read from the right."""
    out: list[TargetRow] = []
    for table in cell_tables(lines):
        header = next((r for r in table.rows if any(LEVEL_HEADER.fullmatch(squash(c)) for c in r.cells)), None)
        if header is None:
            continue
        cells = [squash(c) for c in header.cells]
        level_cols = [i for i, c in enumerate(cells) if _LEVEL_COL.match(c)]
        target_col = next((i for i, c in enumerate(cells) if _TARGET_COL.search(c) and not _ACTUAL_COL.search(c)), None)
        actual_col = next((i for i, c in enumerate(cells) if _ACTUAL_COL.search(c)), None)
        if not level_cols or target_col is None:
            continue
        width = max(target_col, actual_col or 0) + 1
        current = [""] * len(level_cols)
        for row in table.rows:
            if row is header or is_header_row(row.cells):
                continue
            rc = [c.strip() for c in row.cells]
            if len(rc) < width:  # read from the right: … name, target[, actual]
                tail = 2 if actual_col is not None else 1
                if len(rc) < tail + 1:
                    continue
                name, values = rc[-tail - 1], rc[-tail:]
                names = [""] * (len(level_cols) - 1) + [name]
            else:
                names = [rc[i] for i in level_cols]
                values = [rc[target_col]] + ([rc[actual_col]] if actual_col is not None else [])
            for k, nm in enumerate(names):
                if nm:
                    current[k] = squash(nm)  # empty cells keep the name above
            if not names[-1] or not values[0] or NAME_BAD.search(squash(names[-1])) and len(names[-1]) > 30:
                continue
            out.append(TargetRow(doc=doc, table=table.caption, levels=[c for c in current if c], target=values[0],
                                 actual=values[1] if len(values) > 1 and values[1] else None,
                                 page=row.line.page, line=row.line.no, quote=" ".join(c for c in rc if c)))
    return out
