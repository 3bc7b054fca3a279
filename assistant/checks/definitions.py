"""An indicator defined one way in one place and another way elsewhere: an explanation copied from
another indicator of the same table, or a rate given two different formulas."""

from __future__ import annotations

import re

from assistant.checks.model import Finding
from assistant.checks.text import ev, ev_record, sentences
from assistant.ingest import Document
from assistant.ingest.patterns import squash

_FOLD = str.maketrans("，；：（）。", ",;:().")
_FORMULA = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,14}率)\s*[=＝]\s*(?P<rhs>[^。；，,=＝]{3,80})")


def copied_explanations(doc: Document) -> list[Finding]:
    """Keyed by the explanation alone, punctuation folded: a table continued after a page break gets a
    caption of its own, and its PDF text may print '，' as ','."""
    seen: dict[str, list] = {}
    for r in doc.records:
        if r.source == "table" and r.explanation and len(squash(r.explanation)) >= 12:
            seen.setdefault(squash(r.explanation).translate(_FOLD), []).append(r)
    out = []
    for rows in seen.values():
        names = {r.name for r in rows}
        if len(names) < 2:
            continue
        out.append(Finding(
            doc=doc.id, kind="definition", severity="low", rule="definitions.copied_explanations",
            message=f"{'、'.join(f'「{n}」' for n in sorted(names))}的指标解释一字不差，至少一处不是该指标的解释。",
            evidence=[ev_record(r) for r in rows],
        ))
    return out


def _norm(rhs: str) -> str:
    return re.sub(r"[\s（）()×*]|100%|％|%", "", rhs)


def formulas(doc: Document) -> list[Finding]:
    """'X率 = A ÷ B' printed twice with different right-hand sides (numbers aside: those are computations)."""
    seen: dict[str, list] = {}
    for p, s in sentences(doc, ("text", "table_row")):
        for m in _FORMULA.finditer(s):
            rhs = m.group("rhs")
            if re.search(r"\d", _norm(rhs)) or not re.search(r"[/÷]|比率|之比", rhs):
                continue
            seen.setdefault(m.group("name"), []).append((_norm(rhs), p, s))
    out = []
    for name, defs in seen.items():
        distinct = {d for d, _, _ in defs}
        if len(distinct) < 2:
            continue
        first = {d: (p, s) for d, p, s in reversed(defs)}
        out.append(Finding(
            doc=doc.id, kind="definition", severity="low", rule="definitions.formulas",
            message=f"「{name}」有 {len(distinct)} 种不同的计算公式。",
            evidence=[ev(first[d][0], first[d][1]) for d in sorted(distinct)],
        ))
    return out


def ratio_words(doc: Document) -> list[Finding]:
    """A rate defined in words twice ('…的实际成本与计划成本的比率', '…的实际节约成本与计划成本的比率'),
    one numerator the other with a word inserted: the two definitions measure different things. Read on
    the squashed text so a definition printed down a narrow column is read whole."""
    from assistant.checks.text import rx

    text, owner = "", []
    for p in doc.paragraphs:
        s = squash(p.text)
        text += s
        owner += [p] * len(s)
    seen: dict[str, dict[tuple[str, str], object]] = {}
    for m in rx("ratio_definition").finditer(text):
        a = m.group("a").rsplit("的", 1)[-1]
        if len(a) < 2:
            continue
        # '产出成本成本控制率': the run of words ends in the rate's name
        seen.setdefault(m.group("name")[-5:], {}).setdefault((a, m.group("b")), owner[m.end("a") - len(a)])
    out = []
    for name, defs in seen.items():
        keys = list(defs)
        for i, (a1, b1) in enumerate(keys):
            for a2, b2 in keys[i + 1:]:
                if b1 != b2 or a1 == a2:
                    continue
                short, long_ = sorted((a1, a2), key=len)
                if not (short[:2] == long_[:2] and short[-2:] == long_[-2:] and len(long_) - len(short) <= 3):
                    continue
                p1, p2 = defs[(a1, b1)], defs[(a2, b2)]
                out.append(Finding(
                    doc=doc.id, kind="definition", severity="low", rule="definitions.ratio_words",
                    message=f"「{name}」一处定义为「{a1}与{b1}的比率」，一处为「{a2}与{b2}的比率」。",
                    evidence=[ev(p1, p1.text), ev(p2, p2.text)],  # type: ignore[arg-type]
                ))
    return out


CHECKS = (copied_explanations, formulas, ratio_words)
