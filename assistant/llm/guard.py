"""The guard between a language model and a reader: a reply is shown only if it passes.

For answers (`check_answer`): every cited id exists; the reply cites at least one piece of evidence
when there is any; every number in it occurs in the evidence it cites or in the structured facts
(the deterministic answer, the indicator record, the scorer's trace) with the same value and unit
after normalisation (`assistant.llm.numbers`) — a year or page number may also come from where the
cited evidence stands (report title, section, page), a score or an amount may not; every quoted span (「…」, “…”, "…", 『…』) is verbatim
in the evidence it cites or the heading it stands under (or is a name from the facts).

For draft paragraphs (`check_paragraph`): the polished paragraph carries exactly the numbers of the
original, as a multiset, and quotes only what the original says.

Problems are returned as short Chinese sentences for the note the reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.ingest.patterns import squash
from assistant.llm.numbers import Quantity, describe, multiset, quantities

_IDS = re.compile(r"(?<![A-Za-z])E(\d+)(?!\d)")
_QUOTES = re.compile(r"「([^」]{1,400})」|“([^”]{1,400})”|\"([^\"]{1,400})\"|『([^』]{1,400})』")
_THINK = re.compile(r"<think>.*?(</think>|$)", re.S)


@dataclass
class Evidence:
    id: str  # E1, E2, …
    text: str  # the verbatim quote
    where: str = ""  # title, section, page: what the reader sees beside it



@dataclass
class Verdict:
    ok: bool
    problems: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # evidence ids in order of first citation


def clean_reply(text: str) -> str:
    """The reply without a reasoning model's <think> block and surrounding whitespace."""
    return _THINK.sub("", text).strip()


def cited_ids(reply: str) -> list[str]:
    return list(dict.fromkeys(f"E{m.group(1)}" for m in _IDS.finditer(reply)))


def quoted_spans(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _QUOTES.finditer(text)]


def _found(q: Quantity, pool: Iterable[Quantity]) -> bool:
    return any(q.matches(p) for p in pool)


def check_answer(reply: str, evidence: list[Evidence], facts: list[str], names: Iterable[str] = (),
                 max_chars: int = 3000) -> Verdict:
    """Whether a model's answer may be shown. `facts`: texts whose numbers are known good (the
    deterministic answer, the indicator record, scorer traces); `names`: indicator and report names a
    quote may repeat."""
    problems: list[str] = []
    if not reply.strip():
        return Verdict(False, ["模型没有给出回答"])
    if len(reply) > max_chars:
        problems.append(f"回答过长（{len(reply)} 字）")
    by_id = {e.id: e for e in evidence}
    cited = cited_ids(reply)
    unknown = [i for i in cited if i not in by_id]
    if unknown:
        problems.append(f"引用了不存在的证据编号 {'、'.join(unknown)}")
    used = [by_id[i] for i in cited if i in by_id]
    if evidence and not used:
        problems.append("没有引用任何证据编号")
    pool = [q for e in used for q in quantities(e.text)] + [q for t in facts for q in quantities(t)]
    where = [q for e in used for q in quantities(e.where)]  # a year, a page: not a score or an amount
    invented = [q.text for q in quantities(reply) if not _found(q, pool) and not (not q.unit and _found(q, where))]
    if invented:
        problems.append(f"数字 {'、'.join(dict.fromkeys(invented))} 不在所引证据或评分结果中")
    sources = [squash(e.text) for e in used] + [squash(e.where) for e in used]  # a heading is the report's too
    known = {squash(n) for n in names if n}
    misquoted = [s for s in quoted_spans(reply)
                 if squash(s) and not any(squash(s) in src for src in sources) and squash(s) not in known]
    if misquoted:
        shown = "、".join(f"「{s[:30]}{'…' if len(s) > 30 else ''}」" for s in misquoted)
        problems.append(f"引文 {shown} 与所引原文不一致")
    return Verdict(not problems, problems, [i for i in cited if i in by_id])


def check_paragraph(original: str, polished: str) -> Verdict:
    """Whether a polished draft paragraph may replace the original."""
    if not polished.strip():
        return Verdict(False, ["模型没有给出段落"])
    problems: list[str] = []
    before, after = multiset(original), multiset(polished)
    if before != after:
        lost, added = before - after, after - before
        if lost:
            problems.append(f"缺少数字 {describe(lost, original)}")
        if added:
            problems.append(f"多出数字 {describe(added, polished)}")
    source = squash(original)
    misquoted = [s for s in quoted_spans(polished) if squash(s) and squash(s) not in source]
    if misquoted:
        problems.append(f"引文 {'、'.join(f'「{s[:30]}」' for s in misquoted)} 不在原段落中")
    if "\n\n" in polished.strip() or polished.lstrip().startswith(("#", "|", "- ")):
        problems.append("改变了段落结构")
    return Verdict(not problems, problems)
