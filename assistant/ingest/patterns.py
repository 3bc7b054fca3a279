"""Load `patterns.yaml` once: the heading, page-mark, kind and table vocabularies of ingestion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from assistant.datafiles import load_yaml


@dataclass(frozen=True)
class Patterns:
    headings: list[tuple[int, re.Pattern[str]]]
    max_heading_chars: int
    page_marks: list[re.Pattern[str]]
    strip: re.Pattern[str]
    sentence_end: re.Pattern[str]
    kinds: list[tuple[str, re.Pattern[str]]]
    third_party: list[re.Pattern[str]]
    self_evaluation: list[str]
    unit_patterns: list[re.Pattern[str]]
    total_patterns: list[re.Pattern[str]]
    grade_patterns: list[re.Pattern[str]]
    header_words: frozenset[str]
    header_pattern: re.Pattern[str]
    column_heading_words: re.Pattern[str]
    level1_names: frozenset[str]
    level2_parents: dict[str, str]
    total_row_words: frozenset[str]
    subtotal_row_words: frozenset[str]


@cache
def patterns() -> Patterns:
    raw = load_yaml(resources.files("assistant.ingest").joinpath("patterns.yaml").read_text("utf-8"))
    return Patterns(
        headings=[(h["level"], re.compile(h["pattern"])) for h in raw["headings"]],
        max_heading_chars=raw["max_heading_chars"],
        page_marks=[re.compile(p) for p in raw["page_marks"]],
        strip=re.compile("|".join(raw["strip"])),
        sentence_end=re.compile(raw["sentence_end"]),
        kinds=[(k["kind"], re.compile(k["pattern"])) for k in raw["kinds"]],
        third_party=[re.compile(p) for p in raw["third_party_patterns"]],
        self_evaluation=raw["self_evaluation_patterns"],
        unit_patterns=[re.compile(p, re.M) for p in raw["unit_patterns"]],
        total_patterns=[re.compile(p) for p in raw["total_patterns"]],
        grade_patterns=[re.compile(p, re.M) for p in raw["grade_patterns"]],
        header_words=frozenset(raw["header_words"]),
        header_pattern=re.compile(raw["header_pattern"]),
        column_heading_words=re.compile(raw["column_heading_words"]),
        level1_names=frozenset(raw["level1_names"]),
        level2_parents=raw["level2_parents"],
        total_row_words=frozenset(raw["total_row_words"]),
        subtotal_row_words=frozenset(raw["subtotal_row_words"]),
    )


_WS = re.compile(r"\s+")
# A sentence: up to and including 。；！？ (or a line end); what answers and checks quote.
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def squash(text: str) -> str:
    """Whitespace-normalised form used for every 'verbatim' comparison: no whitespace, no markup."""
    return _WS.sub("", patterns().strip.sub("", text))


def canonical_source(text: str) -> str:
    """The document as quotes are checked against: page marks and markup removed, then squashed."""
    p = patterns()
    kept = [ln for ln in text.replace("\f", "\n").split("\n") if not any(m.match(ln) for m in p.page_marks)]
    return squash("".join(kept))
