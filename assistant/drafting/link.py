"""What a number in last year's text states: a quantity of the figures vocabulary, found by the words
before it (cues), the sentence and heading around it (topics) and, when last year's figures are
given, confirmed by its value. A number none of these explains is not linked (and will be marked)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.drafting.numbers import Token, equal_as_printed, rounded, to_unit
from assistant.drafting.quantities import QValue, Values
from assistant.drafting.vocab import Quantity, Vocab

_CLAUSE = re.compile(r"[，,；;：:]")


@dataclass(frozen=True)
class Link:
    quantity: str
    how: str  # 'cue+value', 'cue', 'value', 'list+value', 'list'
    cue: str = ""  # the cue words as printed


@dataclass(frozen=True)
class Miss:
    reason: str
    near: str | None = None  # a quantity the number nearly equals last year (a misprint or a rounding)


def compatible(q: Quantity, tok: Token) -> bool:
    if q.kind == "money":
        return tok.kind == "money" or (tok.kind == "bare" and (tok.comma or tok.decimals == 2))
    if q.kind == "percent":
        return tok.kind == "percent"
    if q.kind == "count":
        return tok.kind == "count" and (not q.units or tok.unit in q.units)
    if q.kind == "score":
        return tok.kind in ("score", "bare")
    return tok.kind == "date" and bool(tok.parts and tok.parts[0] and tok.parts[2])


def in_token_unit(qv: QValue, tok: Token) -> Decimal | None:
    if not isinstance(qv.value, Decimal):
        return None
    if tok.kind in ("money", "bare") and qv.unit in ("元", "万元", "亿元"):
        return to_unit(qv.value, qv.unit, tok.unit or "万元")
    return qv.value


def matches(qv: QValue | None, tok: Token) -> bool:
    if qv is None or tok.value is None:
        return False
    value = in_token_unit(qv, tok)
    return value is not None and equal_as_printed(tok.value, tok.decimals, value)


def nearly(qv: QValue | None, tok: Token) -> bool:
    """Printed a little off last year's value: within 0.05 or 1% (a misprint or another rounding)."""
    if qv is None or tok.value is None or tok.kind in ("count", "date"):
        return False
    value = in_token_unit(qv, tok)
    if value is None:
        return False
    gap = abs(rounded(value, tok.decimals) - tok.value)
    return gap <= max(Decimal("0.05"), abs(value) / 100)


def distinctive(tok: Token) -> bool:
    """A value unlikely to equal a figure by chance: money with cents or of three digits, a rate with
    decimals other than 0% and 100%."""
    if tok.value is None:
        return False
    if tok.kind in ("money", "bare"):
        return abs(tok.value) >= 100 or (tok.decimals == 2 and abs(tok.value) >= 1)
    if tok.kind == "percent":
        return tok.decimals > 0 and tok.value not in (0, 100)
    return False


class Linker:
    def __init__(self, vocab: Vocab, new: Values, old: Values | None) -> None:
        self.vocab = vocab
        self.new = new
        self.old = old
        filler = vocab.filler
        self._cues = {qid: [(re.compile(f"(?P<cue>{c.cue}){filler}$"), c.after) for c in q.cues]
                      for qid, q in vocab.quantities.items()}
        self._lists = [(re.compile(f"(?:{lc.cue})[为：:]?\\s*$"), lc.families) for lc in vocab.lists]
        self.overrides: dict[str, QValue] = {}  # last year's values the report itself printed (its total)

    def old_value(self, qid: str) -> QValue | None:
        if qid in self.overrides:
            return self.overrides[qid]
        return self.old.get(qid) if self.old is not None else None

    def list_families(self, before: str) -> list[str] | None:
        for pattern, families in self._lists:
            if pattern.search(before):
                return families
        return None

    def candidates(self, tok: Token, before: str, after: str, heading: str) -> list[tuple[str, int, str]]:
        """(quantity, specificity, cue as printed), most specific first."""
        out: list[tuple[str, int, str]] = []
        for qid, q in self.vocab.quantities.items():
            if not compatible(q, tok):
                continue
            if q.after and not re.search(q.after, after):
                continue
            # a topic in the heading above is enough when last year's value will confirm the link
            topical = bool(q.topic and (re.search(q.topic, before)
                                        or (self.old is not None and re.search(q.topic, heading))))
            if q.topic and not topical:
                continue
            if q.not_topic and re.search(q.not_topic, _CLAUSE.split(before)[-1]):
                continue
            if not q.cues:
                if q.after:
                    out.append((qid, 1, ""))
                continue
            best: re.Match[str] | None = None
            for pattern, needs_after in self._cues[qid]:
                m = pattern.search(before)
                if m and needs_after and not re.search(needs_after, after):
                    continue
                if m and q.exclude and re.search(f"(?:{q.exclude})$", before[:m.start("cue")]):
                    continue
                if m and (best is None or len(m.group("cue")) > len(best.group("cue"))):
                    best = m
            if best is not None:  # a cue met in its topic is more specific than the same cue elsewhere
                out.append((qid, len(best.group("cue")) + (10 if topical else 0), best.group("cue")))
        out.sort(key=lambda c: -c[1])
        return out

    def link(self, tok: Token, before: str, after: str, heading: str, listed: list[str] | None = None,
             by_value: bool = False, prefer: str | None = None) -> Link | Miss:
        """`listed`: the quantities an item of a list may state; `by_value`: a table cell, which may be
        linked by its value alone; `prefer`: the family the list's previous item stated."""
        cands = [(qid, 100, "") for qid in listed] if listed else self.candidates(tok, before, after, heading)
        tag = "list" if listed else "cue"
        if self.old is None:  # words alone: only when they point at one quantity
            if not cands:
                return Miss("数据文件中无此项")
            if len(cands) > 1 and cands[1][1] == cands[0][1]:
                labels = "、".join(self.vocab.quantities[c[0]].label for c in cands if c[1] == cands[0][1])
                return Miss(f"可能指{labels}，未提供上年数据文件，无法确定")
            return Link(cands[0][0], tag, cands[0][2])
        confirmed = [c for c in cands if matches(self.old_value(c[0]), tok)]
        if confirmed:
            return Link(confirmed[0][0], f"{tag}+value", confirmed[0][2])
        near = next((c[0] for c in cands if nearly(self.old_value(c[0]), tok)), None)
        if listed and near and prefer and near.startswith(prefer + "."):
            return Link(near, "list+near")  # the list's family, last year's value rounded differently
        found = self._by_value(tok) if by_value else None
        if found:
            return Link(found, "value")
        if near:
            return Miss("与上年数据不符", near=near)
        if cands:
            label = self.vocab.quantities[cands[0][0]].label
            return Miss(f"与上年数据中的{label}不符，未能确认所指")
        return Miss("数据文件中无此项")

    def _by_value(self, tok: Token) -> str | None:
        """The one quantity whose value last year prints as this number does (distinctive numbers)."""
        if self.old is None or not distinctive(tok):
            return None
        hits = [qid for qid, q in self.vocab.quantities.items()
                if q.kind in ("money", "percent") and compatible(q, tok)
                and matches(self.old_value(qid), tok)]
        if not hits:
            return None
        news = set()
        for h in hits:  # several quantities printed alike last year: fine if they print alike this year too
            qv = self.new.get(h)
            value = in_token_unit(qv, tok) if qv else None
            news.add(None if value is None else rounded(value, tok.decimals))
        return hits[0] if len(hits) == 1 or (len(news) == 1 and None not in news) else None
