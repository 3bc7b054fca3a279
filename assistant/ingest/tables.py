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
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.ingest.lines import Line
from assistant.ingest.model import IndicatorRecord, TargetRow
from assistant.ingest.patterns import patterns, squash

NUM = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")
LEVEL_HEADER = re.compile(r"[一二三四]级\s*指标")
_LEADING_HEADER = re.compile(r"^(?:[一二三四]级\s*指标|评价指标)\s*")
_NAME_BAD = re.compile(r"[，。；：,;:（(]")
_COMPACT_ROW = re.compile(
    r"^(?P<names>.*?)\s*(?P<w>\d{1,3}(?:\.\d{1,2})?)\s+(?P<s>\d{1,3}(?:\.\d{1,2})?)\s+(?P<rate>\d{1,3}(?:\.\d{1,2})?%)\s*$"
)
_CAPTION_HINT = re.compile(r"评分表|指标体系|评分结果|评分情况|指标评分")


@dataclass
class _Row:
    cells: list[str]
    line: Line


@dataclass
class _Table:
    caption: str
    rows: list[_Row] = field(default_factory=list)


def _caption_before(lines: list[Line], idx: int) -> str:
    for j in range(idx - 1, max(-1, idx - 40), -1):
        t = lines[j].text
        if t and "\t" not in lines[j].raw and not NUM.match(t) and len(t) <= 60:
            return re.sub(r"\s+", " ", t)
    return "评分表"


def _is_header_row(cells: list[str]) -> bool:
    words = patterns().header_words
    filled = [squash(c) for c in cells if c.strip()]
    return bool(filled) and all(c in words or LEVEL_HEADER.fullmatch(c) for c in filled)


def _cell_tables(lines: list[Line]) -> list[_Table]:
    """Find tables with a '一级指标' header and collect their rows of cells."""
    tables: list[_Table] = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if "\t" in ln.raw and "一级指标" in squash(ln.raw):
            start = i
            # back up over header rows just above (e.g. '评价指标 … 得分')
            k = i - 1
            while k >= 0 and (not lines[k].text or "\t" in lines[k].raw) and i - k < 12:
                if "\t" in lines[k].raw and "评价指标" in squash(lines[k].raw):
                    start = k
                k -= 1
            table = _Table(caption=_caption_before(lines, start))
            i = _collect_rows(lines, start, table)
            if len(table.rows) >= 3:
                tables.append(table)
            continue
        i += 1
    return tables


def _collect_rows(lines: list[Line], i: int, table: _Table) -> int:
    """Read rows from line i until the table ends; return the index after it."""
    cur: list[str] | None = None  # cells of a one-cell-per-line row being built
    cur_line: Line | None = None
    last_was_cell = False
    n = len(lines)
    while i < n:
        ln = lines[i]
        raw = patterns().strip.sub("", ln.raw)
        if ln.is_page_mark:
            i += 1
            continue
        is_cell_line = raw.startswith("\t") and raw.count("\t") == 1
        if not raw.strip() and not is_cell_line:
            if cur is not None and cur_line is not None:
                table.rows.append(_Row(cur, cur_line))
                cur, cur_line = None, None
            last_was_cell = False
            i += 1
            continue
        if is_cell_line:  # one cell per line (an empty cell is a lone tab)
            if cur is None:
                cur, cur_line = [], ln
            cur.append(raw.strip())
            last_was_cell = True
        elif "\t" in raw:  # a whole row on one line
            if cur is not None and cur_line is not None:
                table.rows.append(_Row(cur, cur_line))
                cur, cur_line = None, None
            table.rows.append(_Row([c.strip() for c in raw.split("\t")], ln))
            last_was_cell = False
        elif last_was_cell and cur:  # a cell continued on the next line
            cur[-1] = (cur[-1] + "\n" + raw.strip()).strip()
        else:
            break
        i += 1
    if cur is not None and cur_line is not None:
        table.rows.append(_Row(cur, cur_line))
    return i


PART_BREAK = " … "


def _seam(before: str, after: str) -> str:
    return f"{before}{PART_BREAK}{after}" if before else after


def _dec(text: str) -> Decimal | None:
    t = text.strip()
    return Decimal(t) if NUM.match(t) else None


def _name(cell: str) -> str:
    return squash(_LEADING_HEADER.sub("", cell.strip()))


@dataclass
class _Layout:
    levels: int = 3
    pairs: bool = False  # (名称, 参考分值) per level


def _layout(rows: list[_Row]) -> _Layout:
    lay = _Layout()
    level_names: set[str] = set()
    for r in rows:
        if not _is_header_row(r.cells):
            continue
        level_names.update(squash(c) for c in r.cells if LEVEL_HEADER.fullmatch(squash(c)))
        if sum(1 for c in r.cells if squash(c) == "参考分值") >= 2:
            lay.pairs = True
    if level_names:
        lay.levels = len(level_names)
    return lay


def _records_from_cell_table(doc: str, t_index: int, table: _Table) -> tuple[list[IndicatorRecord], dict]:
    """Interpret rows: names by position, 分值 after the names, 得分 in the last cell."""
    p = patterns()
    lay = _layout(table.rows)
    recs: list[IndicatorRecord] = []
    current = [""] * lay.levels
    group_weights: dict[str, Decimal] = {}
    stated: dict[str, object] = {}
    for row in table.rows:
        cells = [c.strip() for c in row.cells]
        if _is_header_row(cells):
            continue
        first = squash(cells[0]) if cells else ""
        filled = [c for c in cells if c]
        if first in p.total_row_words and filled:
            stated["total"] = _dec(filled[-1])
            stated["total_page"] = row.line.page
            stated["total_quote"] = " ".join(filled)
            continue
        if first.startswith("评分等级") and filled:
            stated["grade"] = filled[-1]
            continue
        if first.startswith("填表人"):
            continue
        if lay.pairs:
            names = [_name(cells[2 * k]) if 2 * k < len(cells) else "" for k in range(lay.levels)]
            wcells = [cells[2 * k + 1] if 2 * k + 1 < len(cells) else "" for k in range(lay.levels)]
            rest = cells[2 * lay.levels:]
        else:
            names = [_name(c) for c in cells[: lay.levels]] + [""] * max(0, lay.levels - len(cells))
            wcells = []
            rest = cells[lay.levels:]
        # A 'name' with sentence punctuation is text that ran over a page break.
        is_cont = all(not nm or _NAME_BAD.search(nm) or len(nm) > 24 for nm in names)
        score = _dec(rest[-1]) if rest else None
        if is_cont and recs and score is None:
            extra = [c for c in cells if c]
            last = recs[-1]
            if extra:
                # The cell went on over a page break; PART_BREAK marks the seam, each part is verbatim.
                texts = [last.explanation or "", last.rule or ""]
                if last.rule:  # the row had both text columns: continue each
                    if len(extra) == 1:
                        texts[1] = _seam(last.rule, extra[0])
                    else:
                        texts[0] = _seam(texts[0], extra[0])
                        texts[1] = _seam(texts[1], " ".join(extra[1:]))
                else:
                    # The row's one text cell was cut at the page end: its tail is the last fragment;
                    # earlier fragments belong to a column that was empty above (shown in paragraphs).
                    texts[0] = _seam(texts[0], extra[-1])
                recs[-1] = last.model_copy(update={"explanation": texts[0] or None, "rule": texts[1] or None})
            continue
        for k, nm in enumerate(names):
            if nm and not _NAME_BAD.search(nm):
                current[k] = nm  # empty cells keep the name above: merged cells span rows
        for k, wc in enumerate(wcells):
            w = _dec(wc)
            if w is not None and k < lay.levels - 1 and names[k]:
                group_weights[f"L{k + 1}:{names[k]}"] = w
        leaf_given = names[-1] if names and names[-1] and not _NAME_BAD.search(names[-1]) else ""
        if not leaf_given:
            continue
        weight = _dec(wcells[-1]) if lay.pairs and wcells else None
        texts = [c for c in rest[:-1] if c] if score is not None else [c for c in rest if c]
        if not lay.pairs and texts and _dec(texts[0]) is not None:
            weight = _dec(texts[0])
            texts = texts[1:]
        levels = [c for c in current if c]
        recs.append(
            IndicatorRecord(
                id=f"{doc}:t{t_index}:r{len(recs)}",
                doc=doc,
                table=table.caption,
                levels=levels,
                weight=weight,
                score=score,
                explanation=texts[0] if texts else None,
                rule=" ".join(texts[1:]) if len(texts) > 1 else None,
                page=row.line.page,
                line=row.line.no,
                source="table",
                quote=" ".join(c for c in cells if c),  # the whole row: contiguous in the source
            )
        )
    stated["group_weights"] = group_weights
    return recs, stated


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


def extract_tables(doc: str, lines: list[Line]) -> list[tuple[str, list[IndicatorRecord], dict]]:
    """All scoring tables of a document: (caption, records, stated totals and subtotals)."""
    out = []
    for caption, start, end in _compact_tables(lines):
        recs, stated = _records_from_compact(doc, len(out), caption, lines[start + 1 : end + 1])
        out.append((caption, recs, stated))
    for table in _cell_tables(lines):
        recs, stated = _records_from_cell_table(doc, len(out), table)
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
    for table in _cell_tables(lines):
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
            if row is header or _is_header_row(row.cells):
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
            if not names[-1] or not values[0] or _NAME_BAD.search(squash(names[-1])) and len(names[-1]) > 30:
                continue
            out.append(TargetRow(doc=doc, table=table.caption, levels=[c for c in current if c], target=values[0],
                                 actual=values[1] if len(values) > 1 and values[1] else None,
                                 page=row.line.page, line=row.line.no, quote=" ".join(c for c in rc if c)))
    return out
