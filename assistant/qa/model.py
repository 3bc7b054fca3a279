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
    # With a language model (assistant.llm): None when none was asked; False when its checked reply is
    # the answer shown (the deterministic one is kept in exact_answer); True when the guard rejected it.
    llm_rejected: bool | None = None
    llm_note: str | None = None  # for the reader: the model's reply was checked, or why it was not used
    exact_answer: str | None = None
