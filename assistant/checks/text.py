"""The parsed document as the rules read it: sentences with their paragraph, evidence, patterns."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from assistant.checks.model import Evidence
from assistant.datafiles import load_yaml
from assistant.ingest import Document
from assistant.ingest.model import IndicatorRecord, Paragraph, TargetRow
from assistant.ingest.patterns import SENTENCE


@cache
def patterns() -> dict[str, Any]:
    return load_yaml(resources.files("assistant.checks").joinpath("patterns.yaml").read_text("utf-8"))


@cache
def rx(name: str) -> re.Pattern[str]:
    """A pattern of patterns.yaml by dotted name, with {NUM} standing for a printed number."""
    node: Any = patterns()
    for part in name.split("."):
        node = node[part]
    from assistant.checks.numbers import NUM

    return re.compile(str(node).replace("{NUM}", f"(?:{NUM})"))


def sentences(doc: Document, kinds: tuple[str, ...] = ("text",)) -> Iterator[tuple[Paragraph, str]]:
    for p in doc.paragraphs:
        if p.kind in kinds:
            for m in SENTENCE.finditer(p.text):
                s = m.group(0).strip()
                if s:
                    yield p, s


def paragraph_sentences(doc: Document) -> Iterator[tuple[Paragraph, list[str]]]:
    """Each text paragraph with its sentences as printed, for rules that read a sentence after others."""
    for p in doc.paragraphs:
        if p.kind == "text":
            yield p, [m.group(0) for m in SENTENCE.finditer(p.text)]


def row_runs(doc: Document, is_row: Callable[[Paragraph], bool] = lambda p: p.kind == "table_row",
             bridge: bool = True) -> list[list[Paragraph]]:
    """Runs of table rows. `bridge`: a short text line between rows (a wrapped name cell) does not end
    a run."""
    runs: list[list[Paragraph]] = []
    cur: list[Paragraph] = []
    for p in doc.paragraphs:
        if is_row(p):
            cur.append(p)
        elif bridge and p.kind == "text" and len(p.text) <= 40 and "。" not in p.text and cur:
            continue
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def ev(p: Paragraph, quote: str) -> Evidence:
    return Evidence(page=p.page, line=p.line, quote=quote.strip())


def ev_record(r: IndicatorRecord) -> Evidence:
    return Evidence(page=r.page, line=r.line, quote=r.quote)


def ev_target(t: TargetRow) -> Evidence:
    return Evidence(page=t.page, line=t.line, quote=t.quote)


def clip(text: str, start: int, end: int, pad: int = 40) -> str:
    """A verbatim window of a paragraph around a match, cut at sentence marks where possible."""
    a = max(0, start - pad)
    b = min(len(text), end + pad)
    left = max(text.rfind(c, a, start) for c in "。；！？")
    right = [i for i in (text.find(c, end, b) for c in "。；！？") if i >= 0]
    return text[left + 1 if left >= 0 else a: (min(right) + 1) if right else b].strip()


def in_problem_section(p: Paragraph) -> bool:
    """A paragraph under a heading about problems (存在的问题, 问题及原因, 不足): where deficiencies are listed."""
    return any(re.search(patterns()["problem_heading"], h) for h in p.heading_path)
