"""Route a question: its intent, the documents it is about, the indicator it names, its numbers.

Everything the router knows comes from `patterns.yaml` and the corpus itself (units, years, record
names, framework indicator names): no chain of ifs about particular reports.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml

from assistant.corpus import Corpus
from assistant.ingest import Document
from assistant.ingest.patterns import squash
from assistant.scoring import frameworks
from index.lexicon import expand
from index.normalize import normalize

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)|(?<![\d.])(\d{2})\s*年")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|分)?")


@cache
def qa_patterns() -> dict:
    return yaml.safe_load(resources.files("assistant.qa").joinpath("patterns.yaml").read_text("utf-8"))


@dataclass
class Route:
    question: str
    text: str  # normalised, typos fixed
    intent: str
    districts: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    docs: list[Document] = field(default_factory=list)
    unheld: str | None = None  # a district/year the corpus does not hold
    indicator: str | None = None
    numbers: list[Decimal] = field(default_factory=list)
    percents: list[Decimal] = field(default_factory=list)


def doc_district(doc: Document) -> str | None:
    for d in qa_patterns()["districts"]:
        if d in (doc.unit or "") or d in doc.title:
            return d
    return None


def doc_years(doc: Document) -> set[int]:
    if not doc.year:
        return set()
    parts = [int(p) for p in doc.year.split("-")]
    return set(range(parts[0], parts[-1] + 1))


def fix_typos(text: str) -> str:
    for wrong, right in qa_patterns()["typos"].items():
        text = text.replace(wrong, right)
    return text


def _years(text: str) -> list[int]:
    out = []
    for m in _YEAR.finditer(text):
        y = int(m.group(1)) if m.group(1) else 2000 + int(m.group(2))
        if 2000 <= y <= 2100 and y not in out:
            out.append(y)
    return out


def _districts(text: str) -> list[str]:
    pats = qa_patterns()
    found = [d for d in pats["districts"] if d in text]
    low = text.lower()
    for en, cn in pats["english_districts"].items():
        if en in low and cn not in found:
            found.append(cn)
    return found


_NAMES: weakref.WeakKeyDictionary[Corpus, list[str]] = weakref.WeakKeyDictionary()


def indicator_names(corpus: Corpus) -> list[str]:
    """Every indicator name of the corpus and the frameworks, longest first; computed once per corpus."""
    if corpus not in _NAMES:
        names = {lv for r in corpus.records() for lv in r.levels if len(lv) >= 3}
        names |= {ind.name for fw in frameworks().values() for ind in fw.indicators}
        _NAMES[corpus] = sorted(names, key=len, reverse=True)
    return _NAMES[corpus]


def find_indicator(text: str, corpus: Corpus) -> str | None:
    """The longest indicator name the question contains (English words mapped through the lexicon)."""
    flat = squash(expand(text))
    for name in indicator_names(corpus):
        if squash(normalize(name)) in flat:
            return name
    return None


def route(question: str, corpus: Corpus) -> Route:
    text = normalize(fix_typos(question.strip()))
    r = Route(question=question, text=text, intent="figure")
    r.districts = _districts(text)
    r.years = _years(text)
    r.kinds = [kind for hint, kind in qa_patterns()["kind_hints"].items() if hint in text]
    r.indicator = find_indicator(text, corpus)
    for m in _NUMBER.finditer(text):
        if m.group(1) and not (m.group(2) is None and len(m.group(1)) == 4 and m.group(1).startswith("20")):
            value = Decimal(m.group(1))
            (r.percents if m.group(2) == "%" else r.numbers).append(value)

    docs = list(corpus)
    held_districts = {doc_district(d) for d in docs}
    missing = [d for d in r.districts if d not in held_districts]
    if missing:
        r.unheld = f"{'、'.join(missing)}区的报告"
    if r.districts:
        docs = [d for d in docs if doc_district(d) in r.districts]
    if r.years:
        by_year = [d for d in docs if doc_years(d) & set(r.years)]
        if not by_year and not r.unheld:
            where = "、".join(r.districts) + "区" if r.districts else ""
            r.unheld = f"{where}{'、'.join(str(y) for y in r.years)}年的报告"
        docs = by_year
    if r.kinds and len(docs) > 1:
        narrowed = [d for d in docs if d.kind in r.kinds]
        # narrow only where the indicator (if any) is still found
        if narrowed and (not r.indicator or any(r.indicator in lv for d in narrowed for rec in d.records for lv in rec.levels)):
            docs = narrowed
    r.docs = docs

    for intent in qa_patterns()["intents"]:
        if not any(re.search(p, text) for p in intent["patterns"]):
            continue
        if intent.get("requires_number") and not (r.percents or r.numbers):
            continue
        if intent.get("requires_two_docs") and len(r.docs) < 2:
            continue
        r.intent = intent["name"]
        break
    return r
