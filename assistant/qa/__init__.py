"""Question answering: route by intent, answer from records, passages and the scorer, cite verbatim."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from assistant.qa.answerers import answer
from assistant.qa.model import Answer, Citation, IndicatorFacts
from assistant.qa.router import Route, route

if TYPE_CHECKING:
    from assistant.api import Session

__all__ = ["Answer", "Citation", "IndicatorFacts", "Route", "ask", "route"]


def ask(session: Session, question: str) -> Answer:
    start = time.perf_counter()
    if not question.strip():
        return Answer(question=question, answer="请输入问题。", answered=False, intent="none")
    result = answer(session, route(question, session.corpus))
    result.answer = result.answer.strip()
    result.seconds = round(time.perf_counter() - start, 4)
    return result
