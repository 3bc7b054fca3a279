"""A carried-forward draft: its paragraphs, the ledger of every number (old value, new value, source or
why it is marked), the counts, the audit for stale numbers, and its Markdown and JSON forms."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Status = Literal["renewed", "kept", "marked"]
MARK = re.compile(r"〔待[核补]：[^〕]*〕")
NUMBER_KINDS = ("money", "percent", "points", "count", "score", "year", "years", "date", "docno", "url",
                "phone", "bare", "other")
_CELL = re.compile(r"\S+(?:[ \u3000]\S+)*")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?|[。！？]")


def mark_text(old: str, reason: str) -> str:
    """〔待核：旧值 X，原因〕 in place of a number (brackets inside the old text made plain)."""
    return f"〔待核：旧值 {old.replace('〔', '[').replace('〕', ']')}，{reason}〕"


def note_text(reason: str) -> str:
    return f"〔待核：{reason}〕"


def cells(text: str) -> list[tuple[int, int, str]]:
    """A table row's cells (separated by two spaces or more), with where each stands."""
    return [(m.start(), m.end(), m.group(0)) for m in _CELL.finditer(text)]


def sentence_spans(text: str, kind: str) -> list[tuple[int, int]]:
    """Sentences up to 。！？ in body text; a heading or a table row is one sentence."""
    if kind != "text":
        return [(0, len(text))]
    return [m.span() for m in _SENTENCE.finditer(text)] or [(0, len(text))]


def first_sentence(text: str) -> str:
    m = _SENTENCE.match(text)
    return m.group(0) if m else text


@dataclass
class Entry:
    """One number (or a word that depends on numbers) of the old text, and what became of it."""

    where: str  # the heading path
    line: int
    old: str
    new: str | None
    status: Status
    source: str  # 'figures:…', 'derived: …', 'scorer:…', 'year', 'constant: …', 'verified: …', '〔待核〕'
    kind: str  # a number kind (money, percent, year, …) or claim / cause / problem / direction / grade / name
    quantity: str | None = None
    reason: str = ""
    at: int | None = None  # where it stood in the old paragraph text
    span: tuple[int, int] | None = None  # where it stands in the new paragraph text
    trace: list[str] = field(default_factory=list)  # a score's: the scorer's steps

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"where": self.where, "line": self.line, "kind": self.kind, "old": self.old,
                                  "new": self.new, "status": self.status, "source": self.source,
                                  "quantity": self.quantity, "reason": self.reason}
        if self.trace:
            out["trace"] = self.trace
        return out


@dataclass
class CarriedParagraph:
    kind: str  # text | table_row | heading
    heading_path: list[str]
    line: int
    old: str
    text: str
    sentences: list[Status] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    added: bool = False  # a 〔待补〕 paragraph the old report did not have


@dataclass
class _Edit:
    start: int
    end: int
    text: str
    entry: Entry | None = None


class ParagraphEdits:
    """The changes to one paragraph, each with its ledger entry; `apply` makes the new paragraph."""

    def __init__(self, kind: str, heading_path: list[str], line: int, text: str) -> None:
        self.kind, self.heading_path, self.line, self.text = kind, heading_path, line, text
        self.where = " > ".join(heading_path)
        self.spans = sentence_spans(text, kind)
        self._edits: list[_Edit] = []

    def entry(self, old: str, status: Status, source: str, kind: str, quantity: str | None = None,
              reason: str = "", at: int | None = None, new: str | None = None) -> Entry:
        return Entry(self.where, self.line, old, new, status, source, kind, quantity, reason, at)

    def keep(self, start: int, end: int, kind: str, why: str) -> None:
        old = self.text[start:end]
        entry = self.entry(old, "kept", f"constant: {why}", kind, at=start, new=old)
        self._edits.append(_Edit(start, end, old, entry))

    def renew(self, start: int, end: int, new: str, source: str, kind: str, quantity: str | None = None,
              reason: str = "", trace: list[str] | None = None) -> None:
        old = self.text[start:end]
        entry = self.entry(old, "renewed", source, kind, quantity, reason, start, new)
        entry.trace = trace or []
        self._edits.append(_Edit(start, end, new, entry))

    def mark(self, start: int, end: int, kind: str, reason: str, quantity: str | None = None) -> None:
        old = self.text[start:end]
        self._edits.append(_Edit(start, end, mark_text(old, reason),
                                 self.entry(old, "marked", "〔待核〕", kind, quantity, reason, start)))

    def note(self, pos: int, reason: str, kind: str, old: str) -> None:
        """A 〔待核〕 note at `pos` about words (a claim, a direction, a cause, a problem)."""
        entry = self.entry(old, "marked", "〔待核〕", kind, reason=reason, at=pos)
        self._edits.append(_Edit(pos, pos, note_text(reason), entry))

    def verified(self, pos: int, old: str, what: str) -> None:
        """A claim the new figures bear out: in the ledger, the text unchanged."""
        self._edits.append(_Edit(pos, pos, "", self.entry(old, "kept", f"verified: {what}", "claim", at=pos)))

    def sentence_of(self, pos: int) -> int:
        return next((n for n, (a, b) in enumerate(self.spans) if a <= pos < b), len(self.spans) - 1)

    def apply(self) -> CarriedParagraph:
        edits = sorted(self._edits, key=lambda e: (e.start, e.end))
        out: list[str] = []
        pos = length = 0
        status: list[set[str]] = [set() for _ in self.spans]
        for e in edits:
            if e.start < pos:  # pragma: no cover - the tokenizer never yields overlapping tokens
                raise AssertionError(f"overlapping edits at line {self.line}: {e}")
            out.append(self.text[pos:e.start])
            length += e.start - pos
            if e.entry is not None:
                e.entry.span = (length, length + len(e.text))
                status[self.sentence_of(e.start)].add(e.entry.status)
            out.append(e.text)
            length += len(e.text)
            pos = e.end
        out.append(self.text[pos:])
        sentences: list[Status] = ["marked" if "marked" in s else "renewed" if "renewed" in s else "kept"
                                   for s in status]
        entries = [e.entry for e in edits if e.entry is not None]
        return CarriedParagraph(self.kind, list(self.heading_path), self.line, self.text, "".join(out),
                                sentences, entries)


@dataclass
class CarriedDraft:
    doc: str
    title: str
    old_year: int
    year: int
    total: Decimal
    grade: str
    paragraphs: list[CarriedParagraph]
    notes: list[str] = field(default_factory=list)

    @property
    def ledger(self) -> list[Entry]:
        return [e for p in self.paragraphs for e in p.entries]

    @property
    def markdown(self) -> str:
        return "\n".join([f"# {self.title}", "", *render(self.paragraphs)]).rstrip() + "\n"

    def counts(self) -> dict[str, dict[str, int]]:
        sentences = Counter(s for p in self.paragraphs if not p.added for s in p.sentences)
        numbers = Counter(e.status for e in self.ledger if e.kind in NUMBER_KINDS)
        words = Counter(f"{e.kind}:{e.status}" for e in self.ledger if e.kind not in NUMBER_KINDS)
        return {
            "sentences": {s: sentences.get(s, 0) for s in ("kept", "renewed", "marked")},
            "numbers": {s: numbers.get(s, 0) for s in ("renewed", "kept", "marked")},
            "words": dict(sorted(words.items())),
            "added": {"paragraphs": sum(1 for p in self.paragraphs if p.added)},
        }

    def unmarked_stale(self) -> list[str]:
        """Digits in the new text that are neither inside a 〔待核〕 mark nor a renewed or kept number of
        the ledger: a stale number that survived unmarked (there should be none)."""
        found = []
        for p in self.paragraphs:
            covered = [m.span() for m in MARK.finditer(p.text)]
            covered += [e.span for e in p.entries if e.span and e.status in ("renewed", "kept")]
            for m in re.finditer(r"\d+", p.text):
                if not any(a <= m.start() and m.end() <= b for a, b in covered):
                    around = p.text[max(0, m.start() - 20):m.end() + 10]
                    found.append(f"line {p.line}: '{m.group(0)}' in 「{around}」")
        return found


def _table(rows: list[str]) -> list[str]:
    split = [[c.replace("|", "\\|") for _, _, c in cells(r)] or [""] for r in rows]
    width = max(len(r) for r in split)
    lines = []
    for n, r in enumerate(split):
        lines.append("| " + " | ".join(r + [""] * (width - len(r))) + " |")
        if n == 0:
            lines.append("|" + "|".join(["---"] * width) + "|")
    return lines


def render(paragraphs: list[CarriedParagraph]) -> list[str]:
    """Markdown lines: headings at their depth, table rows as tables, paragraphs as they are."""
    lines: list[str] = []
    block: list[str] = []
    for p in paragraphs:
        if p.kind == "table_row":
            block.append(p.text)
            continue
        if block:
            lines += [*_table(block), ""]
            block = []
        if p.kind == "heading":
            lines.append("#" * min(6, len(p.heading_path) + 1) + " " + p.text.strip())
        else:
            lines.append(p.text.strip())
        lines.append("")
    if block:
        lines += [*_table(block), ""]
    return lines


def ledger_json(draft: CarriedDraft) -> dict[str, object]:
    """What `draft --from … --json` prints: the counts, and per section its text and every number with
    its old value, new value and source (or why it is marked)."""
    sections: dict[str, list[CarriedParagraph]] = {}
    for p in draft.paragraphs:
        sections.setdefault(p.heading_path[0] if p.heading_path else "（封面）", []).append(p)
    return {
        "title": draft.title, "from": draft.doc, "old_year": draft.old_year, "year": draft.year,
        "total": draft.total, "grade": draft.grade, "counts": draft.counts(), "notes": draft.notes,
        "sections": [{"name": name, "markdown": "\n".join(render(ps)).strip() + "\n",
                      "numbers": [e.as_dict() for p in ps for e in p.entries]}
                     for name, ps in sections.items()],
    }
