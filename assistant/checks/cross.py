"""Two reports of the same unit giving different values for the same quantity of the same year."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.checks.model import Evidence, Finding
from assistant.checks.numbers import NUM, Span
from assistant.checks.repeats import _TRAIL, _statements
from assistant.checks.text import patterns
from assistant.ingest import Document

_FIG = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元|[%％])")
_YEAR = re.compile(r"(20\d\d)\s*年")
_CUT = re.compile(r"[，,；;：:。]")  # a figure's name: its clause up to it


def _unit(doc: Document) -> str:
    return re.sub(patterns()["unit_prefixes"], "", doc.unit or "")


def _figures(doc: Document) -> dict[tuple[str, str, str], tuple[str, Evidence]]:
    """(label, year, unit) → the one value the report gives it; labels the report uses twice are dropped."""
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
    return {k: v[0] for k, v in seen.items() if len({x for x, _ in v}) == 1}


def check_corpus(docs: Iterable[Document]) -> list[Finding]:
    docs = [d for d in docs if d.unit]
    figs = {d.id: _figures(d) for d in docs}
    out = []
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if _unit(a) != _unit(b):
                continue
            for key, (va, ea) in figs[a.id].items():
                hit = figs[b.id].get(key)
                if hit is None or Span.printed(va).gap(Span.printed(hit[0])) == 0:
                    continue
                out.append(Finding(
                    doc=a.id, kind="cross_report", severity="medium", rule="cross.check_corpus",
                    message=f"「{key[0]}」（{key[1]}年）本报告为 {va}{key[2]}，报告 {b.id} 为 {hit[0]}{key[2]}。",
                    evidence=[ea, hit[1]],
                ))
    return out
