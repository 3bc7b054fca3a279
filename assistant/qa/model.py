"""What an answer is: text, whether the corpus held it, and citations that quote the source verbatim."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class Citation(BaseModel):
    doc: str
    title: str
    section: str
    page: int | None
    quote: str  # verbatim (whitespace-normalised) in the document


class IndicatorFacts(BaseModel):
    doc: str
    levels: list[str]
    weight: Decimal | None
    score: Decimal | None
    deduction: Decimal | None
    reason: str | None
    rule: str | None = None


class Answer(BaseModel):
    question: str
    answer: str
    answered: bool
    intent: str
    citations: list[Citation] = Field(default_factory=list)
    indicator: IndicatorFacts | None = None
    candidates: list[IndicatorFacts] = Field(default_factory=list)
    trace: list[str] = Field(default_factory=list)
    seconds: float = 0.0
