"""One indicator fully met in one place and deficient in another: full marks in the scoring table,
named among the problems the report lists."""

from __future__ import annotations

import re

from assistant.checks.model import Finding
from assistant.checks.text import ev, ev_record, in_problem_section, patterns, sentences
from assistant.ingest import Document
from assistant.ingest.narrative import indicator_key


def full_marks_among_problems(doc: Document) -> list[Finding]:
    deficient = re.compile(patterns()["deficient_words"])
    full = [r for r in doc.records if r.source == "table" and not r.subtotal and r.weight and r.score == r.weight
            and len(indicator_key(r.name)) >= 4]
    out = []
    done: set[str] = set()
    for p, s in sentences(doc):
        if not in_problem_section(p) or not deficient.search(s):
            continue
        for r in full:
            key = indicator_key(r.name)
            if key in done or key not in s.replace(" ", ""):
                continue
            done.add(key)
            out.append(Finding(
                doc=doc.id, kind="met_vs_deficient", severity="low", rule="met.full_marks_among_problems",
                message=f"「{r.name}」在评分表中得满分（{r.score} 分），而问题部分称其存在不足。",
                evidence=[ev_record(r), ev(p, s)],
            ))
    return out


CHECKS = (full_marks_among_problems,)
