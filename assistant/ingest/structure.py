"""Lines → heading tree and re-joined paragraphs, each paragraph with its page and heading path.

A line is a heading when it looks like one (a numbering pattern, short, not a sentence, not a table
row) *and* the document's own structure agrees:
- a printed table of contents (目录: entries with dotted leaders or page numbers) is read as such,
  never as headings, and confirms the headings it lists, numbered or not;
- a heading's number continues its siblings' ('14.' with no 1.–13. before it is a list item; a
  restart at '一、' inside 三、 is a series nested under it);
- a run of numbered lines with nothing between them is a list (of annexes, of tables), and a line
  that the same heading repeats a few lines later is a mention of it;
- a glossary entry ('一、财政拨款收入：指…') is text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from assistant.ingest.lines import Line
from assistant.ingest.model import Paragraph, Section
from assistant.ingest.patterns import patterns, squash

_TOC_TITLE = re.compile(r"^目\s*录$")
_TOC_LEADER = re.compile(r"[\s.…·．。]{2,}\s*\d{0,3}\s*$|\t\s*\d{1,3}\s*$|\s+\d{1,3}\s*$")
_MULTI_WS = re.compile(r"\s+")
_AMOUNT_END = re.compile(r"\d\.\d{2}\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff，。、；：）》”]")
_DEFINITION = re.compile(r"[：:]\s*(?:是)?指")
_SECOND_NUMBER = re.compile(r"\s[一二三四五六七八九十]+、")
_TABLE_LINE = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d.])")  # an amount printed with 2 decimals
_PROSE = re.compile(r"[。，；！？]")
# a row of a compact table: a label then two or more figures ('绩效目标合理性 绩效目标合理性 4 2.5 62.5%')
_ROW_NUMBERS = re.compile(r"\S(?:\s+-?\d+(?:\.\d+)?%?){2,}$")
_YEAR_LINE = re.compile(r"^(?:19|20)\d{2}$")
_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[.、．]|"
    r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]|附件\s*\d*\s*[：:]?\s*(?:\d+[.、．])?|附表\s*[：:]?)\s*"
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def cn_number(text: str) -> int | None:
    """'三' → 3, '十二' → 12, '二十一' → 21."""
    if not text or any(c not in _CN for c in text):
        return None
    if "十" not in text:
        return _CN[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


def ordinal(text: str) -> int | None:
    """The number a heading's numbering gives it, or None (附件, 表N and unnumbered titles)."""
    m = re.match(r"^第([一二三四五六七八九十]+)部分", text)
    if m:
        return cn_number(m.group(1))
    m = re.match(r"^([一二三四五六七八九十]+)\s*、", text)
    if m:
        return cn_number(m.group(1))
    m = re.match(r"^[（(]\s*([一二三四五六七八九十]+|\d{1,2})\s*[）)]", text)
    if m:
        g = m.group(1)
        return int(g) if g.isdigit() else cn_number(g)
    m = re.match(r"^(\d{1,2})\s*[.、．]", text)
    if m:
        return int(m.group(1))
    if text[:1] and text[0] in _CIRCLED:
        return _CIRCLED.index(text[0]) + 1
    return None


def line_width(lines: list[Line]) -> int:
    """The width the PDF extractor broke text lines at (75th percentile of body line lengths)."""
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) >= 10 and "\t" not in ln.raw)
    return lengths[int(len(lengths) * 0.75)] if lengths else 0


def heading_level(line: Line, width: int = 0) -> int | None:
    """The heading level of a line by its look, or None for body text, table rows and long numbered
    paragraphs. In a document whose text lines were broken at a narrow width, a numbered line that
    fills the width and does not end a sentence is the first line of a list item, not a heading
    (unless its number continues its siblings': see `_place`)."""
    level = heading_look(line)
    return None if level is None or is_weak(line, level, width) else level


def is_weak(line: Line, level: int, width: int) -> bool:
    """A heading look that could as well be a list item: it fills a narrow line width without ending
    (the first line of a long item), or it is a clause that ends in 。 as items of a list of duties
    do ('（一）贯彻执行有关…法律、法规、规章和方针、政策。'; '（一）部门主要职能。' is a title)."""
    p = patterns()
    text = line.text
    fills = 0 < level < 6 and 0 < width < 60 and len(text) >= 0.85 * width and not p.sentence_end.search(text)
    listed = text.endswith("。") and (bool(re.search(r"[，,]", text)) or len(text) > 24)
    return fills or (0 < level < 6 and listed)


def heading_look(line: Line) -> int | None:
    """The heading level a line's numbering and shape suggest, before its place in the document."""
    p = patterns()
    text = line.text
    if not text or "\t" in line.raw.strip("\t ") or line.raw.startswith("\t"):
        return None
    if len(text) > p.max_heading_chars:
        return None
    if text.endswith("。") and "，" in text:  # a sentence, not a title like '（一）部门主要职能。'
        return None
    if "。" in text[:-1]:  # a sentence ends inside: a numbered paragraph, not a heading
        return None
    if text[-1] in "；，、;,":  # a list item or a broken sentence, not a title
        return None
    if _AMOUNT_END.search(text):  # '二、事业收入 0.00' is a row of a flattened budget table
        return None
    if _DEFINITION.search(text):  # '一、财政拨款收入：指…' is a glossary entry
        return None
    if _SECOND_NUMBER.search(text):  # '三、其他资金 五、教育支出': two columns of a flattened table
        return None
    for level, pattern in p.headings:
        if pattern.match(text):
            return level
    return None


def _join(a: str, b: str) -> str:
    """Join a broken line: no space between CJK text, one space between Latin words/numbers."""
    if not a:
        return b
    if _CJK.search(a[-1]) or _CJK.search(b[:1]):
        return a + b
    return a + " " + b


def toc_key(title: str) -> str:
    """Headings and their table-of-contents entries differ in full/half-width brackets and spaces."""
    return squash(unicodedata.normalize("NFKC", title))


def title_key(title: str) -> str:
    """A title without its numbering, for matching a TOC entry or a mention with the heading."""
    return toc_key(_NUMBERING.sub("", toc_key(title)))


# ---------------------------------------------------------------- table of contents


@dataclass
class TocEntry:
    title: str
    key: str  # title_key of the entry
    level: int | None  # its numbering's heading level, None for an unnumbered entry
    page: int | None


@dataclass
class Toc:
    entries: list[TocEntry] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # line indexes of the block

    def pages(self) -> dict[str, int]:
        return {toc_key(e.title): e.page for e in self.entries if e.page is not None}


def _toc_entry_text(raw: str) -> tuple[str, int | None, bool]:
    """(title, page, had a leader or page number)."""
    text = patterns().strip.sub("", raw).strip()
    m = _TOC_LEADER.search(text)
    if m and m.start() > 0:
        page = re.search(r"(\d{1,3})\s*$", m.group(0))
        return text[: m.start()].strip(" .…·．"), int(page.group(1)) if page else None, True
    return text, None, False


def read_toc(lines: list[Line]) -> Toc:
    """The printed table of contents: from a 目录 title, the entries (lines with leaders or page
    numbers, numbered titles, and short lines that continue one), up to the first line that is none
    of these or repeats the first entry (the body has begun)."""
    for i, ln in enumerate(lines[:150]):
        if not _TOC_TITLE.match(ln.text.replace(" ", "")):
            continue
        toc = Toc(used={i})
        first_key = None
        for j in range(i + 1, min(len(lines), i + 200)):
            t = lines[j].text
            if not t or lines[j].is_page_mark:
                toc.used.add(j)
                continue
            title, page, marked = _toc_entry_text(lines[j].raw)
            level = heading_level(Line(no=0, raw=title, text=title))
            looks_numbered = bool(_NUMBERING.match(title)) and len(title) <= 60
            if not (marked or level is not None or looks_numbered or (_YEAR_LINE.match(t) and toc.entries)):
                break
            key = title_key(title)
            if first_key is not None and key == first_key and not marked:
                break  # the first entry again: the body starts here
            if _YEAR_LINE.match(t):  # a year the extractor moved to its own line
                toc.used.add(j)
                continue
            first_key = first_key or key
            toc.entries.append(TocEntry(title=title, key=key, level=level, page=page))
            toc.used.add(j)
        if toc.entries:
            return toc
    return Toc()


def _matches_entry(text: str, entry: TocEntry) -> bool:
    """A body line prints a TOC entry: the same words, or them after a prefix (the unit's name for
    '部门', a year) — '上海市普陀区司法局主要职能' for '一、部门主要职能'."""
    body = title_key(text).rstrip("。")
    want = entry.key.rstrip("。")
    if not want or not body:
        return False
    if body == want:
        return True
    same_number = ordinal(text) is not None and ordinal(text) == ordinal(entry.title)
    if len(want) >= 4 and body.endswith(want) and len(body) - len(want) <= (30 if same_number else 12):
        return True
    return want.startswith("部门") and len(want) >= 5 and body.endswith(want[2:]) and len(body) - len(want) <= 14


def _standalone(lines: list[Line], i: int, width: int) -> bool:
    """A line that is not the continuation of a sentence broken at the line width: the line before
    it ends a paragraph (or is short, blank, a page mark or a table label)."""
    j = i - 1
    while j >= 0 and (not lines[j].text or lines[j].is_page_mark):
        return True
    if j < 0:
        return True
    prev = lines[j].text
    if patterns().sentence_end.search(prev) or width == 0 or "\t" in lines[j].raw or len(prev) < 0.7 * width:
        return True
    if heading_look(lines[j]) is not None:
        return True
    return len(prev) < 0.9 * width and not re.search(r"[，、；,]", prev)  # a title above it


# ---------------------------------------------------------------- building


@dataclass
class _Builder:
    doc: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    roots: list[Section] = field(default_factory=list)
    stack: list[Section] = field(default_factory=list)
    buf: list[Line] = field(default_factory=list)
    toc_pages: dict[str, int] = field(default_factory=dict)
    page_known: bool = True
    toc_page: int | None = None

    def path(self) -> list[str]:
        return [s.title for s in self.stack]

    def page_of(self, line: Line) -> int | None:
        return line.page if self.page_known else self.toc_page

    def flush(self) -> None:
        if not self.buf:
            return
        text = ""
        for ln in self.buf:
            text = _join(text, ln.text)
        first = self.buf[0]
        self.paragraphs.append(
            Paragraph(
                id=f"{self.doc}#p{len(self.paragraphs)}",
                text=text,
                page=self.page_of(first),
                heading_path=self.path(),
                line=first.no,
            )
        )
        self.buf = []

    def heading(self, line: Line, level: int, title: str, text: str) -> Section:
        self.flush()
        key = toc_key(title)
        if not self.page_known and key in self.toc_pages:
            self.toc_page = self.toc_pages[key]
        node = Section(title=title, level=level, page=self.page_of(line), line=line.no)
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        (self.stack[-1].children if self.stack else self.roots).append(node)
        self.stack.append(node)
        self.paragraphs.append(
            Paragraph(id=f"{self.doc}#p{len(self.paragraphs)}", text=text, page=node.page,
                      heading_path=self.path(), line=line.no, kind="heading")
        )
        return node

    def table_row(self, line: Line, text: str) -> None:
        self.flush()
        self.paragraphs.append(
            Paragraph(id=f"{self.doc}#p{len(self.paragraphs)}", text=text, page=self.page_of(line),
                      heading_path=self.path(), line=line.no, kind="table_row")
        )


@dataclass
class _Candidate:
    level: int
    ordinal: int | None
    confirmed: bool  # listed in the table of contents
    weak: bool = False  # could be a list item: a heading only where its number continues its siblings'
    tail: list[int] = field(default_factory=list)  # following line indexes that finish the title


def _title_tail(lines: list[Line], i: int) -> list[int]:
    """Lines right after a heading that finish it: a year the extractor moved to its own line, or a
    fragment of one to three characters ('说明')."""
    out = []
    j = i + 1
    while j < len(lines) and len(out) < 2:
        t = lines[j].text
        if not t or lines[j].is_page_mark or "\t" in lines[j].raw:
            break
        if _YEAR_LINE.match(t) or (len(t) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", t)):
            out.append(j)
            j += 1
            continue
        break
    return out


def _joined_title(lines: list[Line], i: int, tail: list[int]) -> tuple[str, str]:
    """(display title, verbatim text): a moved year goes back before its 年度."""
    title = _MULTI_WS.sub(" ", lines[i].text)
    verbatim = lines[i].text
    for j in tail:
        t = lines[j].text
        verbatim += t
        if _YEAR_LINE.match(t) and re.search(r"\s年度", title):
            title = re.sub(r"\s(年度)", t + r"\1", title, count=1)
        else:
            title += t
    return title, verbatim


def _candidates(lines: list[Line], toc: Toc, width: int) -> dict[int, _Candidate]:
    cands: dict[int, _Candidate] = {}
    for i, ln in enumerate(lines):
        if i in toc.used or ln.is_page_mark:
            continue
        level = heading_look(ln)
        if level is not None:
            confirmed = any(e.key == title_key(ln.text) for e in toc.entries)
            weak = is_weak(ln, level, width) and not confirmed
            cands[i] = _Candidate(level=level, ordinal=ordinal(ln.text), confirmed=confirmed, weak=weak)
    # TOC entries printed in the body without their numbering ('收入支出决算总表' for '一、收入支出决算总表')
    start = max(toc.used) + 1 if toc.used else 0
    pos = start
    for entry in toc.entries:
        for i in range(pos, len(lines)):
            ln = lines[i]
            t = ln.text
            if (not t or "\t" in ln.raw or len(t) > 48 or i in toc.used or ln.is_page_mark
                    or patterns().sentence_end.search(t) and not t.endswith(("：", ":"))
                    or not _standalone(lines, i, width)):
                continue
            if _matches_entry(t, entry):
                if i not in cands:
                    level = entry.level if entry.level is not None else 1
                    cands[i] = _Candidate(level=level, ordinal=ordinal(entry.title), confirmed=True)
                else:
                    cands[i].confirmed, cands[i].weak = True, False
                pos = i + 1
                break
    for i, c in cands.items():
        c.tail = _title_tail(lines, i)
    _drop_lists_and_mentions(lines, cands)
    return cands


def _drop_lists_and_mentions(lines: list[Line], cands: dict[int, _Candidate]) -> None:
    """Numbered lines with nothing between them are a list (of tables, of annexes); a heading whose
    words the next heading repeats within a few lines is a mention of it ('附件：1.…' above '附件1：…')."""
    order = sorted(cands)
    runs: list[list[int]] = []
    for i in order:
        c = cands[i]
        if c.confirmed or c.ordinal is None:
            continue
        prev = runs[-1][-1] if runs else None
        between_empty = prev is not None and all(not lines[k].text for k in range(prev + 1, i))
        if (prev is not None and between_empty and cands[prev].level == c.level
                and cands[prev].ordinal is not None and c.ordinal == cands[prev].ordinal + 1):
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) >= 3:
            for i in run:
                del cands[i]
    order = sorted(cands)
    for a, b in zip(order, order[1:], strict=False):
        if (b - a <= 12 and cands[a].level == cands[b].level and title_key(lines[a].text)
                and title_key(lines[a].text) == title_key(lines[b].text)):
            cands[b].confirmed = cands[b].confirmed or cands[a].confirmed
            del cands[a]


@dataclass
class _Series:
    """The last number used at one heading level under one parent."""

    last: dict[tuple[int, int], int] = field(default_factory=dict)  # (id of parent, pattern level) → ordinal


def build_structure(doc: str, lines: list[Line], pages_known: bool) -> tuple[list[Section], list[Paragraph]]:
    p = patterns()
    toc = read_toc(lines)
    b = _Builder(doc=doc, toc_pages=toc.pages(), page_known=pages_known)
    width = line_width(lines)
    cands = _candidates(lines, toc, width)
    series = _Series()
    nested: dict[int, int] = {}  # id(section) → the pattern level of a series nested under it
    skip: set[int] = set()
    in_cell_run = False  # inside a table whose cells are one per line (continuation lines belong to it)
    for i, ln in enumerate(lines):
        if ln.is_page_mark or i in toc.used or i in skip:
            continue
        if not ln.text:
            in_cell_run = False
            # A blank after a short, unterminated line ends a title-like paragraph;
            # long lines are PDF-broken mid-sentence and continue after blanks.
            if b.buf and len(b.buf[-1].text) < 20:
                b.flush()
            continue
        if "\t" in ln.raw:
            cells = [c.strip() for c in p.strip.sub("", ln.raw).split("\t")]
            text = "  ".join(c for c in cells if c)
            one_cell = ln.raw.startswith("\t") and ln.raw.count("\t") == 1
            if one_cell and in_cell_run and b.paragraphs and b.paragraphs[-1].kind == "table_row":
                # one cell per line: the cells of a row (up to a blank line) make one paragraph
                last = b.paragraphs[-1]
                b.paragraphs[-1] = last.model_copy(update={"text": (last.text + "  " + text).strip()})
            else:
                b.table_row(ln, text)
            in_cell_run = True
            continue
        if in_cell_run:  # continuation of a multi-line table cell
            last = b.paragraphs[-1]
            b.paragraphs[-1] = last.model_copy(update={"text": _join(last.text, ln.text)})
            continue
        cand = cands.get(i)
        level = _place(cand, b, series, nested) if cand else None
        if cand is not None and level is not None:
            title, text = _joined_title(lines, i, cand.tail)
            node = b.heading(ln, level, title, text)
            if cand.ordinal is not None:
                parent = b.stack[-2] if len(b.stack) >= 2 else None
                series.last[(id(parent), cand.level)] = cand.ordinal
            inner = _NUMBERING.sub("", ln.text, count=1)  # '2、（1）预算执行率' opens （1） too
            inner_level = heading_look(Line(no=0, raw=inner, text=inner)) if inner != ln.text else None
            if inner_level is not None and ordinal(inner) is not None:
                series.last[(id(node), inner_level)] = ordinal(inner)  # type: ignore[assignment]
            skip.update(cand.tail)
            continue
        if (_TABLE_LINE.search(ln.text) or _ROW_NUMBERS.search(ln.text)) and not _PROSE.search(ln.text):
            # a row of a table flattened to text ('一、一般公共服务支出 2,106.66'): a row of its own
            b.table_row(ln, ln.text)
            continue
        if not b.buf:
            _run_in_heading(ln, b, series)
        b.buf.append(ln)
        if p.sentence_end.search(ln.text):
            b.flush()
    b.flush()
    return b.roots, b.paragraphs


def _run_in_heading(ln: Line, b: _Builder, series: _Series) -> None:
    """'1、存在的问题。通过本次…': a numbered paragraph whose first sentence is a short title uses its
    number, so that the next heading ('2、改进措施') continues the series."""
    first, _, rest = ln.text.partition("。")
    if not rest or len(rest) < 5 or len(first) > 14:  # a title, then the paragraph on the same line
        return
    level = heading_look(Line(no=0, raw=first, text=first))
    n = ordinal(first)
    if level is None or n is None:
        return
    parent = next((s for s in reversed(b.stack) if s.level < level), None)
    series.last[(id(parent), level)] = n


def _place(c: _Candidate, b: _Builder, series: _Series, nested: dict[int, int]) -> int | None:
    """The level to open a heading at, or None when its number does not fit its siblings'."""
    if c.ordinal is None:
        return None if c.weak else c.level
    # the parent it would get: the nearest open section of a smaller level
    stack = [s for s in b.stack if s.level < c.level]
    parent = stack[-1] if stack else None
    last = series.last.get((id(parent), c.level))
    if c.weak:
        return c.level if last is not None and c.ordinal == last + 1 else None
    if last is not None and (c.ordinal == last + 1 or c.confirmed):
        return c.level  # the table of contents wins over numbers taken by look-alike lines
    if last is None and (c.ordinal == 1 or c.confirmed):
        return c.level
    if last is not None and last < c.ordinal <= last + 3 and c.confirmed:
        return c.level
    if last is not None and last < c.ordinal <= last + 2:
        return c.level  # a heading the text lost ('二、' printed as a long sentence)
    # a restart at 1 under an open sibling of the same level: a series nested under it
    open_sibling = next((s for s in reversed(b.stack) if s.level == c.level), None)
    if c.ordinal == 1 and open_sibling is not None and last is not None:
        nested[id(open_sibling)] = c.level
        return c.level + 1
    for s in reversed(b.stack):  # the next number of a nested series
        if nested.get(id(s)) == c.level:
            prev = series.last.get((id(s), c.level))
            if prev is not None and c.ordinal == prev + 1:
                return c.level + 1
    return None
