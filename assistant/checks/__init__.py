"""Consistency checker: where a report contradicts itself, or another report of the same unit.

Precision first: a high finding is a certainty, recomputed from rows and figures that passed
validation; doubtful inputs (a table that failed its sum check, rows a page break may have cut) give at
most a low finding or none. Every printed figure stands for the interval its rounding allows
(numbers.Span), so a difference rounding explains is never a finding, and one of a single unit in the
last digit is low. Each module is one kind of contradiction; patterns live in patterns.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.checks import (
    breaks,
    categories,
    claims,
    cross,
    definitions,
    formulas,
    met,
    parts,
    rates,
    refs,
    repeats,
    rescore,
    scores,
    series,
    sums,
    tables,
    wording,
    years,
)
from assistant.checks.model import SEVERITY_ORDER, Evidence, Finding, Severity
from assistant.ingest import Document
from assistant.ingest.patterns import squash

__all__ = ["Evidence", "Finding", "Severity", "check_corpus", "check_document", "verbatim"]

CHECKS = (*scores.CHECKS, *breaks.CHECKS, *rescore.CHECKS, *rates.CHECKS, *formulas.CHECKS, *sums.CHECKS, *repeats.CHECKS,
          *series.CHECKS, *claims.CHECKS, *categories.CHECKS, *definitions.CHECKS, *met.CHECKS,
          *wording.CHECKS, *tables.CHECKS, *years.CHECKS, *refs.CHECKS, *parts.CHECKS)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """The same contradiction found twice (two rules, or a sentence the report prints twice) is
    reported once, with the evidence of both (the more severe finding wins)."""
    out: dict[tuple[str, str], Finding] = {}
    for f in sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]):
        key = (f.kind, f.message)
        if key not in out:
            out[key] = f
            continue
        have = {squash(e.quote) for e in out[key].evidence}
        extra = [e for e in f.evidence if squash(e.quote) not in have]
        out[key] = out[key].model_copy(update={"evidence": out[key].evidence + extra})
    return list(out.values())


def check_document(doc: Document) -> list[Finding]:
    findings = _dedupe([f for check in CHECKS for f in check(doc)])
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def check_corpus(docs: Iterable[Document]) -> list[Finding]:
    """Every report's own findings and those between reports of the same unit."""
    docs = list(docs)
    findings = [f for d in docs for f in check_document(d)] + cross.check_corpus(docs)
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def verbatim(doc_text: str, finding: Finding) -> bool:
    return all(squash(e.quote) in doc_text for e in finding.evidence if e.doc in (None, finding.doc))
