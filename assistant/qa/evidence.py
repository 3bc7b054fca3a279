"""Extractive evidence: the sentences and table rows of the top passages that answer a question,
scored by how much of what it asks about they cover (after normalisation), whether they carry the
kind of number it asks for (money for 多少钱/预算, % for 率, 分 for 得分, counts for 多少个), the years
and numbers it names, and the search rank. Quoted verbatim; never composed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.ingest import Document
from assistant.ingest.patterns import SENTENCE
from assistant.qa.scope import Identity, identities
from assistant.qa.understand import Question, qa_patterns
from index.normalize import normalize

if TYPE_CHECKING:
    from assistant.api import Session
    from index.store import SearchHit

_MONEY = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元)|(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%])")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％]")
_COUNT = re.compile(r"\d+\s*(?:个|项|家|人|份|届|次|名|场|名)")
_POINTS = re.compile(r"\d+(?:\.\d+)?\s*分")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


@dataclass
class Unit:
    """A sentence or a table row of a retrieved passage, with its score for the question."""

    hit: SearchHit
    text: str  # verbatim
    score: float
    cover: float
    covered: frozenset[str]
    rank: int


def bigrams(text: str) -> set[str]:
    return {run[i : i + 2] for run in _CJK.findall(normalize(text)) for i in range(len(run) - 1)}


def content_bigrams(q: Question, idents: list[Identity]) -> set[str]:
    """What the question asks about: its Chinese words minus question words and the words that only
    say which report (places and units of the reports in scope)."""
    text = q.search_text
    removable = list(qa_patterns()["question_words"])
    for ident in idents:
        removable += [*ident.places, *ident.units]
    for word in sorted(set(removable), key=len, reverse=True):
        if word:
            text = text.replace(word, " ")
    text = re.sub(r"\d+(\.\d+)?%?|[a-z]+", " ", text)
    want = bigrams(text)
    # the words of the report's title only say which report ('龙岗专项资金'), not what is asked
    if len(idents) == 1:
        title = {b for b in idents[0].title_bigrams if b in q.text}
        if len(title) >= 2 and len(want - title) >= 2:
            want -= title
    return want


def _units(hit: SearchHit) -> list[str]:
    if hit.kind in ("indicator", "summary"):
        return []
    if hit.kind == "table":
        return [row.strip() for row in hit.text.split("\n") if row.strip()]
    return [m.group(0).strip() for m in SENTENCE.finditer(hit.text) if len(m.group(0).strip()) >= 4]


_YEARS = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_RANGE_TEXT = re.compile(r"20\d{2}\s*[-—–~至到]\s*20\d{2}")


def score_units(q: Question, hits: list[SearchHit], want: set[str], required: set[str] | None = None,
                weight: Callable[[str], float] | None = None) -> list[Unit]:
    """`required`: words the question names that an answer must contain (a place no report is from);
    `weight`: how much each asked-about bigram counts (rare words more than 预算 or 经费)."""
    w = weight or (lambda _b: 1.0)
    total = sum(w(b) for b in want)
    anchors = [str(y) for y in q.years] + [f"{n.normalize():f}" for n in [*q.numbers, *q.percents]]
    out = []
    for rank, hit in enumerate(hits):
        context = bigrams(hit.section.split(" > ")[-1]) if hit.section else set()
        header = bigrams(hit.header) if hit.header else set()  # a row's column headings speak for it
        for text in _units(hit):
            own = bigrams(text) | header
            covered = (own & want) | (context & want)
            cover = (sum(w(b) for b in own & want) + 0.5 * sum(w(b) for b in (context & want) - own)) / total if total else 0.0
            score = cover
            wanted = {"money": _MONEY, "percent": _PERCENT, "count": _COUNT}
            for kind, rx in wanted.items():
                if kind in q.quantity:
                    score += 0.25 if rx.search(text) else -0.1  # the kind of number asked for, or not
            if "score" in q.quantity and _POINTS.search(text):
                score += 0.15
            if re.search(r"\d", text):
                score += 0.05
            flat = text.replace(" ", "").replace(",", "")
            score += min(0.3, 0.15 * sum(1 for a in anchors if a in flat))
            years = set(_YEARS.findall(flat)) | set(_YEARS.findall(hit.header or ""))
            if q.years and years and not years & {str(y) for y in q.years} and not _RANGE_TEXT.search(flat):
                score -= 0.3  # about another year
            if required and not any(r in normalize(text) for r in required):
                score -= 0.5
            score -= 0.02 * rank
            if len(text) > 300:
                score -= 0.1
            if re.search(r"得分\s*=|×\s*\d?\s*分|得满分|不得分|扣除|得\s*\d+(?:\.\d+)?\s*分[；;]", text) and not q.has("rule"):
                score -= 0.2  # a scoring rule is not a figure
            out.append(Unit(hit=hit, text=text, score=score, cover=cover, covered=frozenset(covered), rank=rank))
    out.sort(key=lambda u: -u.score)
    return out


def find(session: Session, q: Question, docs: list[Document] | None, k: int = 12,
         required: set[str] | None = None) -> list[Unit]:
    """Scored units of the top passages (in the given reports, or all)."""
    ids = {d.id for d in docs} if docs else None
    hits = session.search(q.search_text or q.raw, k=k, mode="hybrid", docs=ids)
    idents = [i for i in identities(session.corpus) if ids is None or i.doc.id in ids]
    keyword = session.search_index.keyword
    return score_units(q, hits, content_bigrams(q, idents), required, weight=keyword.idf)


def pick(units: list[Unit], limit: int = 3, anchors: list[str] | None = None) -> list[Unit]:
    """The best unit, then units that cover what it leaves out (from the same report), and a unit of
    the same passage that names a year or number the question names ('其中2019年…')."""
    anchors = anchors or []
    if not units:
        return []
    best = units[0]
    chosen = [best]
    covered = set(best.covered)
    for u in units[1:]:
        if len(chosen) >= limit:
            break
        if u.hit.doc != best.hit.doc or u.text == best.text or u.score < best.score - 0.45:
            continue
        new = set(u.covered) - covered
        same = u.hit.passage_id == best.hit.passage_id
        anchored = same and any(a in u.text.replace(" ", "") for a in anchors) and not any(
            a in c.text.replace(" ", "") for c in chosen for a in anchors if a in u.text.replace(" ", ""))
        if len(new) >= 2 or (re.search(r"\d", u.text) and same and u.cover >= 0.3) or anchored:
            chosen.append(u)
            covered |= new
    chosen.sort(key=lambda u: (u.rank, u.hit.text.find(u.text)))
    return chosen


def neighbour_with_number(best: Unit, q: Question, units: list[Unit]) -> Unit | None:
    """'主要用于：委托中介机构开展各类审计…' answers 'what', its neighbour in the same paragraph says how
    much: where the best unit lacks the kind of number asked for, the adjacent one that has it."""
    rx = [r for k, r in (("money", _MONEY), ("percent", _PERCENT), ("count", _COUNT)) if k in q.quantity]
    if not rx or any(r.search(best.text) for r in rx):
        return None
    same = [u for u in units if u.hit.passage_id == best.hit.passage_id and u.text != best.text]
    pos = best.hit.text.find(best.text)
    same.sort(key=lambda u: abs(u.hit.text.find(u.text) - pos))
    return next((u for u in same[:2] if any(r.search(u.text) for r in rx)), None)
