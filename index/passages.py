"""Passages: what the index stores. They follow the heading tree (a paragraph or a few short ones,
never crossing a heading), plus one passage per indicator record rendered as a sentence."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from pydantic import BaseModel

from assistant.ingest.model import Document, IndicatorRecord, Paragraph
from assistant.templating import render

PASSAGE_FORMAT = 3  # bump when the way passages are cut changes: every document is re-embedded
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
    kind: str  # "paragraph" | "table" | "indicator"
    quote: str  # the verbatim span a citation shows
    record_id: str | None = None
    hash: str

    def embed_text(self) -> str:
        """Text given to the models: the heading path adds the context a short paragraph lacks."""
        return f"{self.context}｜{self.section}\n{self.text}" if self.section else f"{self.context}\n{self.text}"


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
    return render("passages/indicator.j2", doc=doc, rec=rec).strip()


def build_passages(doc: Document) -> list[Passage]:
    passages: list[Passage] = []
    for group in _groups(doc.paragraphs):
        joiner = "" if group[0].kind == "text" else "\n"
        text = joiner.join(p.text for p in group)
        section = " > ".join(group[0].heading_path)
        for k, chunk in enumerate(_split_long(text)):
            pid = f"{doc.id}#{group[0].id.rsplit('#', 1)[-1]}" + (f".{k}" if k else "")
            passages.append(Passage(
                id=pid, doc=doc.id, title=doc.title, context=doc.header, section=section, page=group[0].page, text=chunk,
                kind="paragraph" if group[0].kind == "text" else "table", quote=chunk,
                hash=_hash(section, chunk),
            ))
    for rec in doc.records:
        if rec.score is None and rec.weight is None:
            continue
        text = record_sentence(doc, rec)
        passages.append(Passage(
            id=f"{doc.id}#{rec.id.split(':', 1)[1]}", doc=doc.id, title=doc.title, context=doc.header, section=rec.table,
            page=rec.page, text=text, kind="indicator", quote=rec.quote, record_id=rec.id, hash=_hash(text),
        ))
    return passages
