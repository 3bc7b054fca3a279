"""Lines → heading tree and re-joined paragraphs, each paragraph with its page and heading path."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from assistant.ingest.lines import Line
from assistant.ingest.model import Paragraph, Section
from assistant.ingest.patterns import patterns, squash

_TOC_TITLE = re.compile(r"^目\s*录$")
_TOC_ENTRY = re.compile(r"^(.+?)[\s.…·]*\t\s*(\d{1,3})\s*$")
_MULTI_WS = re.compile(r"\s+")
_AMOUNT_END = re.compile(r"\d\.\d{2}\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff，。、；：）》”]")


def line_width(lines: list[Line]) -> int:
    """The width the PDF extractor broke text lines at (75th percentile of body line lengths)."""
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) >= 10 and "\t" not in ln.raw)
    return lengths[int(len(lengths) * 0.75)] if lengths else 0


def heading_level(line: Line, width: int = 0) -> int | None:
    """The heading level of a line, or None for body text, table rows and long numbered paragraphs.

    In a document whose text lines were broken at a narrow width, a numbered line that fills the
    width and does not end a sentence is the first line of a list item, not a heading."""
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
    for level, pattern in p.headings:
        if pattern.match(text):
            if (0 < level < 6 and 0 < width < 60 and len(text) >= 0.85 * width
                    and not p.sentence_end.search(text)):
                return None
            return level
    return None


def _join(a: str, b: str) -> str:
    """Join a broken line: no space between CJK text, one space between Latin words/numbers."""
    if not a:
        return b
    if _CJK.search(a[-1]) or _CJK.search(b[:1]):
        return a + b
    return a + " " + b


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

    def heading(self, line: Line, level: int) -> None:
        self.flush()
        title = _MULTI_WS.sub(" ", line.text)
        key = toc_key(title)
        if not self.page_known and key in self.toc_pages:
            self.toc_page = self.toc_pages[key]
        node = Section(title=title, level=level, page=self.page_of(line), line=line.no)
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        (self.stack[-1].children if self.stack else self.roots).append(node)
        self.stack.append(node)
        self.paragraphs.append(
            Paragraph(id=f"{self.doc}#p{len(self.paragraphs)}", text=title, page=node.page,
                      heading_path=self.path(), line=line.no, kind="heading")
        )

    def table_row(self, line: Line, text: str) -> None:
        self.flush()
        self.paragraphs.append(
            Paragraph(id=f"{self.doc}#p{len(self.paragraphs)}", text=text, page=self.page_of(line),
                      heading_path=self.path(), line=line.no, kind="table_row")
        )


def toc_key(title: str) -> str:
    """Headings and their table-of-contents entries differ in full/half-width brackets and spaces."""
    return squash(unicodedata.normalize("NFKC", title))


def _read_toc(lines: list[Line]) -> tuple[dict[str, int], set[int]]:
    """Entries of a printed table of contents (title → page) and the line indexes it occupies."""
    for i, ln in enumerate(lines[:120]):
        if _TOC_TITLE.match(ln.text.replace(" ", "")):
            entries: dict[str, int] = {}
            used = {i}
            seen: set[str] = set()
            for j in range(i + 1, min(len(lines), i + 200)):
                t = lines[j].text
                if not t:
                    used.add(j)
                    continue
                m = _TOC_ENTRY.match(lines[j].raw.strip())
                title = m.group(1).strip() if m else t
                key = toc_key(title)
                if key in seen:  # the body starts where the first entry repeats
                    break
                seen.add(key)
                if m:
                    entries[key] = int(m.group(2))
                used.add(j)
            return entries, used
    return {}, set()


def build_structure(doc: str, lines: list[Line], pages_known: bool) -> tuple[list[Section], list[Paragraph]]:
    p = patterns()
    toc, toc_lines = _read_toc(lines)
    b = _Builder(doc=doc, toc_pages=toc, page_known=pages_known)
    width = line_width(lines)
    in_cell_run = False  # inside a table whose cells are one per line (continuation lines belong to it)
    for i, ln in enumerate(lines):
        if ln.is_page_mark:
            continue
        if i in toc_lines:
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
        level = heading_level(ln, width)
        if level is not None:
            b.heading(ln, level)
            continue
        b.buf.append(ln)
        if p.sentence_end.search(ln.text):
            b.flush()
    b.flush()
    return b.roots, b.paragraphs
