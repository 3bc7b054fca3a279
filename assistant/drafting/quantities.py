"""The value of each quantity of the vocabulary in one year: from the figures file (a field, or a rate
of two fields) or from the scorer (the total, an indicator's score), with where it came from."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from assistant.drafting.vocab import Condition, Vocab
from assistant.errors import ScoringError
from assistant.figures import Figures, Money
from assistant.ingest.narrative import indicator_key
from assistant.scoring import get_framework
from assistant.scoring.rules import ExecutionRule
from assistant.scoring.sheet import IndicatorScore, ScoreSheet

_INDEX = re.compile(r"^(?P<name>\w+)\[(?P<i>\d+)\]$")
DEFAULT_SCHEDULE = [Decimal(25), Decimal(50), Decimal(75), Decimal(100)]


@dataclass(frozen=True)
class QValue:
    value: Decimal | datetime.date
    unit: str  # money: the unit it was entered in; percent: '%'; otherwise ''
    source: str  # 'figures:procurement.plan', 'derived: a ÷ b', 'scorer:total'


def field_value(figures: Any, path: str) -> Any:
    """A figure by dotted path, with list items as name[i] ('quarterly_progress[0]')."""
    node = figures
    for part in path.split("."):
        m = _INDEX.match(part)
        name, index = (m.group("name"), int(m.group("i"))) if m else (part, None)
        if isinstance(node, BaseModel) and name in type(node).model_fields:
            node = getattr(node, name)
        elif isinstance(node, dict) and name in node:
            node = node[name]
        else:
            return None
        if index is not None:
            node = node[index] if isinstance(node, list) and index < len(node) else None
        if node is None:
            return None
    return node


def _number(value: Any) -> Decimal | None:
    if isinstance(value, Money):
        return value.to("元")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    return None


def _schedule(figures: Figures) -> list[Decimal]:
    try:
        framework = get_framework(figures.framework)
    except ScoringError:  # an unknown framework is reported by the scorer, not here
        return DEFAULT_SCHEDULE
    for ind in framework.indicators:
        if isinstance(ind.rule, ExecutionRule):
            return [Decimal(s) for s in ind.rule.schedule]
    return DEFAULT_SCHEDULE


class Values:
    """Every quantity of the vocabulary for one year's figures and score sheet."""

    def __init__(self, figures: Figures, sheet: ScoreSheet, vocab: Vocab) -> None:
        self.figures = figures
        self.sheet = sheet
        self.vocab = vocab
        self._schedule = _schedule(figures)
        self._by_key = {indicator_key(i.name): i for i in sheet.indicators}

    @property
    def year(self) -> int:
        return self.figures.year

    def get(self, qid: str) -> QValue | None:
        quantity = self.vocab.quantities.get(qid)
        if quantity is None:
            return None
        (how, arg), = quantity.value.items()
        f = self.figures
        if how == "field":
            raw = field_value(f, arg)
            if isinstance(raw, Money):
                return QValue(raw.value, raw.unit, f"figures:{arg}")
            if isinstance(raw, datetime.date):
                return QValue(raw, "", f"figures:{arg}")
            number = _number(raw)
            if number is None:
                return None
            return QValue(number, "%" if quantity.kind == "percent" else "", f"figures:{arg}")
        if how == "ratio":
            num, den = (_number(field_value(f, p)) for p in arg)
            if num is None or not den:
                return None
            return QValue(num / den * 100, "%", f"derived: {arg[0]} ÷ {arg[1]}")
        if how == "done_ratio":
            total, failed = (_number(field_value(f, p)) for p in arg)
            if total is None or failed is None or not total:
                return None
            return QValue((total - failed) / total * 100, "%", f"derived: ({arg[0]} − {arg[1]}) ÷ {arg[0]}")
        if how == "quarter_ratio":
            i = int(arg) - 1
            return QValue(Decimal(f.quarterly_progress[i]) / self._schedule[i] * 100, "%",
                          f"derived: quarterly_progress[{i}] ÷ 序时进度 {self._schedule[i]}%")
        if how == "quarter_mean_ratio":
            ratios = [Decimal(p) / s for p, s in zip(f.quarterly_progress, self._schedule, strict=True)]
            return QValue(sum(ratios, Decimal(0)) / len(ratios) * 100, "%",
                          "derived: Σ(quarterly_progress ÷ 序时进度) ÷ 4")
        if how == "bool_percent":
            return QValue(Decimal(100), "%", f"figures:{arg}") if field_value(f, arg) is True else None
        if how == "score" and arg == "total":
            return QValue(self.sheet.total, "", "scorer:total")
        return None  # pragma: no cover - the vocabulary validator allows nothing else

    def indicator(self, name: str) -> IndicatorScore | None:
        return self._by_key.get(indicator_key(name))

    def indicator_by_id(self, ind_id: str) -> IndicatorScore | None:
        return next((i for i in self.sheet.indicators if i.id == ind_id), None)

    def holds(self, cond: Condition) -> bool | None:
        """Whether a claim's condition holds this year (None when the figures cannot say)."""
        if cond.field is not None:
            raw = field_value(self.figures, cond.field)
            return None if raw is None else bool(raw)
        if cond.indicator is not None:
            ind = self.indicator_by_id(cond.indicator)
            return None if ind is None else (ind.score == ind.weight) == cond.full
        assert cond.quantity is not None
        q = self.get(cond.quantity)
        if q is None or not isinstance(q.value, Decimal):
            return None
        v, ref = q.value, Decimal(str(cond.value))
        return {"==": v == ref, "!=": v != ref, "<": v < ref, "<=": v <= ref, ">": v > ref,
                ">=": v >= ref}[cond.op]
