"""Tables whose cells survive extraction as tab-separated rows (or one cell per line) → rows of cells,
and scoring tables among them → indicator records.

The reader is driven by the header and by checks, not by the layouts seen so far:
- column roles come from the header row (一级…四级指标 or 名称/参考分值 pairs, 分值/权重, the text
  columns 指标解释/评分标准/评价意见, 得分);
- a row shorter than the header lost its leading merged cells: its names are the last levels (or the
  level its indicator code says: A → 一级, A1 → 二级, A101 → 三级);
- a page break repeats the header and may cut a row: the fragment after it (a name tail, text, the
  score) continues the row above, and PART_BREAK marks each seam so that every part stays verbatim;
- a row is kept only if its name is a name (not a number or header word) and its score, where
  printed, is a number no larger than its weight; a missing 得分 cell is read from the row's own
  verdict ('综上，该指标得0.00分').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.ingest.codes import split_code
from assistant.ingest.lines import Line
from assistant.ingest.model import IndicatorRecord
from assistant.ingest.patterns import patterns, squash

NUM = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")
LEVEL_HEADER = re.compile(r"[一二三四]级\s*指标")
_LEADING_HEADER = re.compile(r"^(?:[一二三四]级\s*指标|评价指标)\s*")
NAME_BAD = re.compile(r"[，。；：,;:（(]")
_VERDICT = re.compile(r"(?:该|本)指标(?:最终)?得(?:分为?)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分")
PART_BREAK = " … "


@dataclass
class Row:
    cells: list[str]
    line: Line
    after_break: bool = False  # the row follows a repeated header (a page break inside the table)


@dataclass
class CellTable:
    caption: str
    rows: list[Row] = field(default_factory=list)


def caption_before(lines: list[Line], idx: int) -> str:
    for j in range(idx - 1, max(-1, idx - 40), -1):
        t = lines[j].text
        if t and "\t" not in lines[j].raw and not NUM.match(t) and len(t) <= 60:
            return re.sub(r"\s+", " ", t)
    return "评分表"


def is_header_cell(cell: str) -> bool:
    c = squash(cell)
    p = patterns()
    return c in p.header_words or bool(LEVEL_HEADER.fullmatch(c) or p.header_pattern.match(c))


def is_header_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(is_header_cell(c) for c in filled)


def cell_tables(lines: list[Line]) -> list[CellTable]:
    """Find tables with a '一级指标' header and collect their rows of cells."""
    tables: list[CellTable] = []
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
            table = CellTable(caption=caption_before(lines, start))
            i = _collect_rows(lines, start, table)
            if len(table.rows) >= 3:
                tables.append(table)
            continue
        i += 1
    return tables


def _collect_rows(lines: list[Line], i: int, table: CellTable) -> int:
    """Read rows from line i until the table ends; return the index after it."""
    cur: list[str] | None = None  # cells of a one-cell-per-line row being built
    cur_line: Line | None = None
    last_was_cell = False
    seen_data = False
    after_break = False
    n = len(lines)

    def push(cells: list[str], line: Line) -> None:
        nonlocal seen_data, after_break
        header = is_header_row(cells)
        table.rows.append(Row(cells, line, after_break=after_break and not header))
        if header:
            after_break = seen_data  # a header after data rows repeats it at a page top
        elif any(c.strip() for c in cells):
            seen_data, after_break = True, False

    while i < n:
        ln = lines[i]
        raw = patterns().strip.sub("", ln.raw)
        if ln.is_page_mark:
            i += 1
            continue
        is_cell_line = raw.startswith("\t") and raw.count("\t") == 1
        if not raw.strip() and not is_cell_line:
            if cur is not None and cur_line is not None:
                push(cur, cur_line)
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
                push(cur, cur_line)
                cur, cur_line = None, None
            push([c.strip() for c in raw.split("\t")], ln)
            last_was_cell = False
        elif last_was_cell and cur:  # a cell continued on the next line
            cur[-1] = (cur[-1] + "\n" + raw.strip()).strip()
        else:
            break
        i += 1
    if cur is not None and cur_line is not None:
        push(cur, cur_line)
    return i


def seam(before: str, after: str) -> str:
    return f"{before}{PART_BREAK}{after}" if before else after


def dec(text: str) -> Decimal | None:
    t = text.strip()
    return Decimal(t) if NUM.match(t) else None


def cell_name(cell: str) -> str:
    return squash(_LEADING_HEADER.sub("", cell.strip()))


# ---------------------------------------------------------------- column roles

_EXPLAIN_COL = re.compile(r"指标解释|指标说明|指标内涵")
_RULE_COL = re.compile(r"评分标准|评分规则|评分办法|计分方法")
_REASON_COL = re.compile(r"评价意见|扣分原因|扣分说明|评分说明|得分说明|评价说明")


@dataclass
class Layout:
    levels: int = 3
    pairs: bool = False  # (名称, 参考分值) per level
    text_roles: list[str] = field(default_factory=list)  # 'explanation' / 'rule' / 'reason' per text column


def layout(rows: list[Row]) -> Layout:
    lay = Layout()
    level_names: set[str] = set()
    for r in rows:
        if not is_header_row(r.cells):
            continue
        cells = [squash(c) for c in r.cells]
        level_names.update(c for c in cells if LEVEL_HEADER.fullmatch(c))
        if sum(1 for c in cells if c == "参考分值") >= 2:
            lay.pairs = True
        roles = []
        for c in cells:
            role = ("reason" if _REASON_COL.search(c) else "rule" if _RULE_COL.search(c)
                    else "explanation" if _EXPLAIN_COL.search(c) else None)
            if role:
                roles.append(role)
        if len(roles) > len(lay.text_roles):
            lay.text_roles = roles
    if level_names:
        lay.levels = len(level_names)
    return lay


# ---------------------------------------------------------------- rows → records


@dataclass
class _Leaf:
    levels: list[str]
    codes: list[str | None]
    weight: Decimal | None
    score: Decimal | None
    texts: dict[str, str]
    row: Row
    quote: str


def _is_name(cell: str, coded: bool) -> bool:
    c = cell.strip()
    if not c or NUM.match(c) or is_header_cell(c):
        return False
    if coded and split_code(c).code:
        return True
    return len(c) <= 30 and not NAME_BAD.search(squash(c))


_ROLE_ORDER = ("explanation", "rule", "reason")


def _text_roles(lay: Layout, n: int) -> list[str]:
    """Roles for n text cells: the header's text columns where it tells them apart (说明, 评分标准,
    评价意见), else the first is the explanation and the rest the rule."""
    base = lay.text_roles if len(set(lay.text_roles)) >= 2 else ["explanation", "rule"]
    if n <= len(base):
        return base[:n]
    return [base[min(i, len(base) - 1)] for i in range(n)]


def records_from_cell_table(doc: str, t_index: int, table: CellTable) -> tuple[list[IndicatorRecord], dict]:
    p = patterns()
    lay = layout(table.rows)
    coded = sum(1 for r in table.rows for c in r.cells[: lay.levels + 1] if split_code(c).code) >= 3
    current: list[str] = [""] * lay.levels
    codes: list[str | None] = [None] * lay.levels
    table_level1 = {cell_name(r.cells[0]) for r in table.rows if r.cells and r.cells[0].strip()}
    leaves: list[_Leaf] = []
    group_weights: dict[str, Decimal] = {}
    stated: dict[str, object] = {"coded": coded}

    def set_level(k: int, cell: str) -> None:
        cn = split_code(cell) if coded else None
        if cn is not None and cn.code:
            name = squash(cn.name)
            codes[k] = cn.code
            if cn.weight is not None:
                group_weights[f"L{k + 1}:{name}"] = cn.weight
        else:
            name = cell_name(cell)
            codes[k] = None
        current[k] = name
        for j in range(k + 1, lay.levels):  # a new group starts empty below it
            if coded:
                current[j], codes[j] = "", None

    for row in table.rows:
        cells = [c.strip() for c in row.cells]
        if is_header_row(cells):
            continue
        first = squash(cells[0]) if cells else ""
        filled = [c for c in cells if c]
        if first in p.total_row_words and filled:
            stated["total"] = dec(filled[-1])
            stated["total_page"] = row.line.page
            stated["total_quote"] = " ".join(filled)
            nums = [dec(c) for c in filled[1:] if dec(c) is not None]
            if len(nums) >= 2:
                stated["total_weight"] = nums[0]
            continue
        if first.startswith("评分等级") and filled:
            stated["grade"] = filled[-1]
            continue
        if first.startswith("填表人"):
            continue
        if lay.pairs:
            _pairs_row(cells, lay, leaves, current, codes, group_weights, row, set_level)
            continue
        _plain_row(cells, lay, coded, leaves, current, codes, row, set_level, table_level1)

    recs = []
    for leaf in leaves:
        levels = [c for c in leaf.levels if c]
        if leaf.score is None:  # the 得分 cell is missing: the row's own verdict states it
            verdicts = _VERDICT.findall(leaf.texts.get("reason", "") or " ".join(leaf.texts.values()))
            if verdicts:
                leaf.score = Decimal(verdicts[-1])
                stated.setdefault("scores_from_text", []).append(levels[-1] if levels else "")  # type: ignore[union-attr]
        name = leaf.levels[-1]
        if not name or NUM.match(name) or is_header_cell(name):
            continue
        rejected = leaf.score is not None and leaf.weight is not None and leaf.score > leaf.weight
        if rejected:
            stated.setdefault("rejected", []).append(f"{name}: 得分 {leaf.score} > 分值 {leaf.weight}")  # type: ignore[union-attr]
        # a row scoring above its 分值 is no record, but is kept for the checker (rejected_rows)
        (stated.setdefault("rejected_rows", []) if rejected else recs).append(  # type: ignore[union-attr]
            IndicatorRecord(
                id=f"{doc}:t{t_index}:r{len(recs)}" + ("x" if rejected else ""),
                doc=doc,
                table=table.caption,
                levels=levels,
                code=next((c for c in reversed(leaf.codes) if c), None),
                weight=leaf.weight,
                score=leaf.score,
                explanation=leaf.texts.get("explanation") or None,
                rule=leaf.texts.get("rule") or None,
                reason=leaf.texts.get("reason") or None,
                page=leaf.row.line.page,
                line=leaf.row.line.no,
                source="table",
                quote=leaf.quote,
            )
        )
    stated["group_weights"] = group_weights
    return recs, stated


def _pairs_row(cells, lay, leaves, current, codes, group_weights, row, set_level) -> None:  # type: ignore[no-untyped-def]
    """(名称, 参考分值) per level, then text cells, then 得分 (the 002 framework layout)."""
    names = [cell_name(cells[2 * k]) if 2 * k < len(cells) else "" for k in range(lay.levels)]
    wcells = [cells[2 * k + 1] if 2 * k + 1 < len(cells) else "" for k in range(lay.levels)]
    rest = cells[2 * lay.levels:]
    score = dec(rest[-1]) if rest else None
    if _continues(names, score) and leaves:
        _continue_texts(leaves[-1], [c for c in cells if c])
        return
    for k, nm in enumerate(names):
        if nm and not NAME_BAD.search(nm):
            current[k] = nm  # empty cells keep the name above: merged cells span rows
    for k, wc in enumerate(wcells):
        w = dec(wc)
        if w is not None and k < lay.levels - 1 and names[k]:
            group_weights[f"L{k + 1}:{names[k]}"] = w
    if not names[-1] or NAME_BAD.search(names[-1]):
        return
    texts = [c for c in rest[:-1] if c] if score is not None else [c for c in rest if c]
    leaves.append(_Leaf(levels=list(current), codes=list(codes), weight=dec(wcells[-1]) if wcells else None,
                        score=score, texts=dict(zip(_text_roles(lay, len(texts)), texts, strict=True)) if texts else {},
                        row=row, quote=" ".join(c for c in cells if c)))
    _merge_texts(leaves[-1], texts, lay)


def _continues(names: list[str], score: Decimal | None) -> bool:
    """A row whose 'names' are empty or sentences is text that ran over a page break."""
    return score is None and all(not nm or NAME_BAD.search(nm) or len(nm) > 24 for nm in names)


def _merge_texts(leaf: _Leaf, texts: list[str], lay: Layout) -> None:
    leaf.texts = {}
    for role, text in zip(_text_roles(lay, len(texts)), texts, strict=True):
        leaf.texts[role] = f"{leaf.texts[role]} {text}" if role in leaf.texts else text


def _continue_texts(leaf: _Leaf, extra: list[str]) -> None:
    """Text cells that went on over a page break: each continues its column (seams marked). The
    fragments line up with the row's text columns from the right (the last is the verdict or rule)."""
    if not extra:
        return
    roles = [r for r in _ROLE_ORDER if r in leaf.texts] or ["explanation"]
    if len(roles) == 1 or len(extra) == 1:
        # one column cut at the page end (or one fragment): its tail is the last fragment
        leaf.texts[roles[-1]] = seam(leaf.texts.get(roles[-1], ""), extra[-1])
        return
    n = min(len(roles), len(extra))
    lead = " ".join(extra[: len(extra) - n + 1])  # surplus leading fragments belong to the first column
    parts = [lead, *extra[len(extra) - n + 1:]]
    for role, text in zip(roles[len(roles) - n:], parts, strict=True):
        leaf.texts[role] = seam(leaf.texts.get(role, ""), text)


def _plain_row(cells, lay, coded, leaves, current, codes, row, set_level, table_level1) -> None:  # type: ignore[no-untyped-def]
    """Level names, an optional 分值, text cells, 得分 last."""
    k = lay.levels
    # Names: the leading cells that are names (or empty, for merged cells). A row that lost its
    # leading merged cells in extraction starts with fewer: they are the last levels, or the level
    # their code says.
    n_names = 0
    while n_names < min(k, len(cells)) and (not cells[n_names] or _is_name(cells[n_names], coded)):
        n_names += 1
    name_cells = cells[:n_names]
    rest = cells[n_names:]
    if n_names < k and rest and not any(not c for c in name_cells) and not (rest and dec(rest[0]) is not None and n_names == 0):
        pad = k - n_names  # right-align: the row lost its leading merged cells
    else:
        pad = 0
    slots = [""] * pad + name_cells + [""] * max(0, k - pad - len(name_cells))
    if coded:  # a code names its own level, wherever the cell sits
        placed = [""] * k
        for c in name_cells:
            cn = split_code(c)
            lvl = cn.level if cn.code else None
            if lvl is not None and lvl <= k:
                placed[lvl - 1] = c
            elif c:
                idx = slots.index(c) if c in slots else k - 1
                placed[idx] = c
        slots = placed
    weight = None
    if rest and dec(rest[0]) is not None and len(rest) > 1:
        weight, rest = dec(rest[0]), rest[1:]
    score = dec(rest[-1]) if rest else None
    texts = [c for c in (rest[:-1] if score is not None else rest) if c]

    prev = leaves[-1] if leaves else None
    leaf_cell = slots[-1]
    has_new_leaf = bool(leaf_cell) and (not coded or bool(split_code(leaf_cell).code))
    names_given = [s for s in slots if s]
    fragment = (
        prev is not None
        and not has_new_leaf
        and (
            not names_given  # text only
            or (coded and row.after_break)  # a name tail after a page break (codes mark every new row)
            or (not coded and weight is None and score is None and row.after_break and prev.score is None)
            or all(NAME_BAD.search(squash(s)) or len(squash(s)) > 24 for s in names_given)
        )
    )
    if not names_given and not texts and score is None and weight is None:
        return
    if fragment and prev is not None:
        if coded:
            for j, s in enumerate(slots):
                if s and j < len(prev.levels):
                    # the name was cut by the page break: re-join it (and the group it belongs to)
                    if j == len(slots) - 1:
                        prev.levels[-1] = squash(prev.levels[-1] + s)
                        current[-1] = prev.levels[-1]
                    else:
                        joined = (codes[j] or "") + current[j] + s
                        set_level_keep(current, codes, j, joined, set_level)
                        prev.levels[j] = current[j]
        if prev.score is None and score is not None:
            prev.score = score
        if prev.weight is None and weight is not None and prev.score is not None and weight >= prev.score:
            prev.weight = weight
        _continue_texts(prev, texts)
        return
    for j, s in enumerate(slots):
        if s:
            set_level(j, s)
    if not coded and k >= 2 and not slots[0] and slots[1]:
        # a merged 一级 cell prints its label mid-group: a new standard 二级 group says which 一级 it is in
        parent = patterns().level2_parents.get(current[1])
        if parent and parent != current[0] and parent in table_level1:
            current[0] = parent
    if not has_new_leaf:
        return
    leaves.append(_Leaf(levels=list(current), codes=list(codes), weight=weight, score=score, texts={},
                        row=row, quote=" ".join(c for c in cells if c)))
    _merge_texts(leaves[-1], texts, lay)


def set_level_keep(current: list[str], codes: list[str | None], j: int, cell: str, set_level) -> None:  # type: ignore[no-untyped-def]
    """Re-set level j from a re-joined cell without clearing the levels below it."""
    below = current[j + 1:], codes[j + 1:]
    set_level(j, cell)
    current[j + 1:], codes[j + 1:] = below
