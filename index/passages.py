"""Passages: what the index stores. They follow the heading tree (a paragraph or a few short ones,
never crossing a heading), plus one passage per indicator record rendered as a sentence."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from pydantic import BaseModel

from assistant.ingest.model import Document, IndicatorRecord, Paragraph
from assistant.ingest.patterns import patterns

PASSAGE_FORMAT = 4  # bump when the way passages are cut changes: every document is re-embedded
TARGET_CHARS = 240
MAX_CHARS = 480
_SENTENCE = re.compile(r"(?<=[。！？；])")


class Passage(BaseModel):
    id: str
    doc: str
    title: str
    context: str  # the document's header (unit, year, subject, title): in every passage of the document
    section: str  # heading path joined with ' > '
    page: int | None
    text: str  # what is shown and cited; verbatim for paragraphs
    kind: str  # "paragraph" | "table" | "indicator" | "summary"
    quote: str  # the verbatim span a citation shows
    record_id: str | None = None
    header: str = ""  # a table's column headings (verbatim), for its rows
    hash: str

    def embed_text(self) -> str:
        return embed_text(self.context, self.section, self.header, self.text)


def embed_text(context: str, section: str, header: str, text: str) -> str:
    """Text given to the models: the heading path (and a table's header) adds the context a short
    paragraph or a row of numbers lacks. A function too, for backends that store the parts."""
    head = f"{context}｜{section}" if section else context
    if header:
        head += f"｜{header}"
    return f"{head}\n{text}"


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _split_long(text: str) -> list[str]:
    if len(text) <= MAX_CHARS:
        return [text]
    out, buf = [], ""
    for sentence in _SENTENCE.split(text):
        if buf and len(buf) + len(sentence) > MAX_CHARS:
            out.append(buf)
            buf = ""
        buf += sentence
    if buf:
        out.append(buf)
    return out


def _groups(paragraphs: list[Paragraph]) -> Iterable[list[Paragraph]]:
    group: list[Paragraph] = []
    for p in paragraphs:
        if p.kind == "heading":
            if group:
                yield group
            group = []
            continue
        same = group and group[-1].heading_path == p.heading_path and group[-1].kind == p.kind
        size = sum(len(g.text) for g in group)
        if group and (not same or size >= TARGET_CHARS or size + len(p.text) > MAX_CHARS):
            yield group
            group = []
        group.append(p)
    if group:
        yield group


def record_sentence(doc: Document, rec: IndicatorRecord) -> str:
    from assistant.templating import render  # jinja2 only when passages are built

    return render("passages/indicator.j2", doc=doc, rec=rec).strip()


_AMOUNT = re.compile(r"\d\.\d{2}|\d{3,}")


def table_header(doc: Document, first: Paragraph) -> str:
    """The column headings printed just above a table's rows ('年度 年初预算 年中追加 …'): short lines
    without amounts, in the same section, with nothing else between them and the rows; where those
    lines are not headings (a passage that starts mid-table), the nearest row of headings above it in
    the same section ('子项  事项  合同实施单位  实施摘要')."""
    idx = next(i for i, p in enumerate(doc.paragraphs) if p.id == first.id)
    out: list[str] = []
    for p in reversed(doc.paragraphs[max(0, idx - 3) : idx]):
        if p.kind == "heading" or p.heading_path != first.heading_path or len(p.text) > 80 or _AMOUNT.search(p.text):
            break
        if p.kind == "text" and re.search(r"[。；]$", p.text):
            break
        out.insert(0, p.text)
    if not any(column_headings(t) for t in out):
        for p in reversed(doc.paragraphs[max(0, idx - 60) : idx]):
            if p.heading_path != first.heading_path or _CAPTION.match(p.text):
                break  # another section, or another table's caption ('附表4-1-3：…'): not this table's
            if column_headings(p.text):
                return p.text
    return " ".join(out)


_CELLS = re.compile(r"\t|\s{2,}")
_CAPTION = re.compile(r"^\s*(?:\d+\s+)?附?表\s*[\d一二三四五六七八九十]")


def column_headings(row: str) -> bool:
    """A row of column headings ('子项  事项  合同实施单位  实施摘要'): three or more distinct short labels
    and no figure; it names what the rows below hold and states nothing itself ('不适用  不适用' is a
    row of values)."""
    cells = [re.sub(r"\s", "", c) for c in _CELLS.split(row.strip()) if c.strip()]
    if len(cells) < 3 or len(set(cells)) < len(cells) or re.search(r"\d", row) or any(len(c) > 10 for c in cells):
        return False
    words = patterns().column_heading_words  # '部门（单位）名称  罗湖区科技创新局  负责人  石兴中' is a row of values
    return 2 * sum(bool(words.search(c)) for c in cells) > len(cells)


def build_passages(doc: Document) -> list[Passage]:
    passages: list[Passage] = []
    for group in _groups(doc.paragraphs):
        joiner = "" if group[0].kind == "text" else "\n"
        text = joiner.join(p.text for p in group)
        section = " > ".join(group[0].heading_path)
        header = table_header(doc, group[0]) if group[0].kind == "table_row" else ""
        if group[0].kind == "table_row" and column_headings(group[0].text) and group[0].text not in header:
            # the table's own first row names its columns ('科目编码  科目名称  基本支出 …'), under its caption
            header = f"{header} {group[0].text}".strip() if header and not column_headings(header) else group[0].text
        for k, chunk in enumerate(_split_long(text)):
            pid = f"{doc.id}#{group[0].id.rsplit('#', 1)[-1]}" + (f".{k}" if k else "")
            passages.append(Passage(
                id=pid, doc=doc.id, title=doc.title, context=doc.header, section=section, page=group[0].page, text=chunk,
                kind="paragraph" if group[0].kind == "text" else "table", quote=chunk, header=header,
                hash=_hash(section, header, chunk),
            ))
    # who, when, what and how it scored: totals and grades are found by search as well
    from assistant.templating import render

    summary = render("passages/summary.j2", doc=doc).strip()
    passages.append(Passage(id=f"{doc.id}#summary", doc=doc.id, title=doc.title, context=doc.header, section="",
                            page=None, text=summary, kind="summary", quote=doc.title, hash=_hash(summary)))
    for rec in doc.records:
        if rec.score is None and rec.weight is None:
            continue
        text = record_sentence(doc, rec)
        passages.append(Passage(
            id=f"{doc.id}#{rec.id.split(':', 1)[1]}", doc=doc.id, title=doc.title, context=doc.header, section=rec.table,
            page=rec.page, text=text, kind="indicator", quote=rec.quote, record_id=rec.id, hash=_hash(text),
        ))
    return passages
