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


CHECKS = (copied_explanations, formulas)
