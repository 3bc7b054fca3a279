"""What a check reports: a finding with its severity and the verbatim evidence it rests on."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["high", "medium", "low"]
Kind = Literal[
    "value_twice",  # the same quantity stated twice with different values
    "rate_vs_amounts",  # a rate the amounts printed with it do not give
    "formula",  # a printed formula or computation that its own inputs do not give
    "table_sum",  # parts that do not add up to the total printed with them
    "series",  # a cumulative series that decreases, or contradicts its own definition
    "claim_vs_table",  # 「均达到」「全部完成」 contradicted by a table of the same report
    "category",  # a row filed under a category its content does not belong to
    "definition",  # an indicator defined one way in one place and another way elsewhere
    "met_vs_deficient",  # an indicator fully met in one place and deficient in another
    "cross_report",  # two reports giving different values for the same unit, year and quantity
    "rule_vs_score",  # the report's scoring rule on its printed inputs gives another score
    "grade_vs_total",  # a grade that the total does not give
    "naming",  # the same indicator named differently (never above low)
]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class Evidence(BaseModel):
    page: int | None
    quote: str  # verbatim (whitespace aside) in the document
    line: int | None = None  # 1-based line of the paragraph or row the quote is in
    doc: str | None = None  # set where the evidence is in another report (cross-report findings)


class Finding(BaseModel):
    doc: str
    kind: Kind
    severity: Severity
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    computation: str | None = None
    rule: str = ""  # which rule made the finding (module.function), for benchmarks and debugging


def cap(severity: Severity, most: Severity) -> Severity:
    """The lower of two severities: doubtful inputs cap what a rule may claim."""
    return severity if SEVERITY_ORDER[severity] >= SEVERITY_ORDER[most] else most
