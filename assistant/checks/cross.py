"""Two reports of the same unit giving different values for the same quantity of the same year."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.checks.model import Evidence, Finding
from assistant.checks.numbers import NUM, Span, dec
from assistant.checks.repeats import _TRAIL, _statements
from assistant.checks.text import patterns
from assistant.ingest import Document

_FIG = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元|[%％]|人|家|个|项|场)(?![\u4e00-\u9fff]?[次率])")
_YEAR = re.compile(r"(20\d\d)\s*年")
_CUT = re.compile(r"[，,；;：:。]")  # a figure's name: its clause up to it


def _unit(doc: Document) -> str:
    return re.sub(patterns()["unit_prefixes"], "", doc.unit or "")


def _figures(doc: Document) -> dict[tuple[str, str, str], list[tuple[str, Evidence]]]:
    """(label, year, unit) → the values the report gives it, each with where."""
    seen: dict[tuple[str, str, str], list[tuple[str, Evidence]]] = {}
    own_year = doc.year or ""
    for p, s in _statements(doc):
        years = set(_YEAR.findall(s))
        year = next(iter(years)) if len(years) == 1 else own_year if not years else ""
        for m in _FIG.finditer(s):
            head = s[: m.start()]
            cut = max((x.end() for x in _CUT.finditer(head)), default=0)
            label = _TRAIL.sub("", re.sub(r"\s", "", head[cut:]))
            if len(label) >= 4 and year:
                seen.setdefault((label, year, m.group("unit")), []).append(
                    (m.group("num"), Evidence(page=p.page, line=p.line, quote=s, doc=doc.id)))
    return seen


def check_corpus(docs: Iterable[Document]) -> list[Finding]:
    docs = [d for d in docs if d.unit]
    figs = {d.id: _figures(d) for d in docs}
    out = []
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if _unit(a) != _unit(b):
                continue
            out += _differ(a, b, figs[a.id], figs[b.id])
            # and where only `b` gives a label one value: the other way round
            out += _differ(b, a, figs[b.id], {k: v for k, v in figs[a.id].items() if len({dec(x) for x, _ in v}) > 1})
    return out


def _differ(a: Document, b: Document, fa: dict, fb: dict) -> list[Finding]:
    """Where `a` gives a label one value, each other value `b` gives it (once per value). A label `a`
    itself uses for several values names a kind of line, not one quantity."""
    out = []
    for key, vals in fa.items():
        if len({dec(v) for v, _ in vals}) != 1 or key not in fb:
            continue
        va, ea = vals[0]
        seen: set = set()
        for vb, eb in fb[key]:
            if Span.printed(va).gap(Span.printed(vb)) == 0 or dec(vb) in seen:
                continue
            seen.add(dec(vb))
            out.append(Finding(
                doc=b.id, kind="cross_report", severity="medium", rule="cross.check_corpus",
                message=f"「{key[0]}」（{key[1]}年）本报告为 {vb}{key[2]}，报告 {a.id} 为 {va}{key[2]}。",
                evidence=[eb, ea],
            ))
    return out
