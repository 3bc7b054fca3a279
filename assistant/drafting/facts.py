"""Facts: every number a draft may print, with where it came from. Templates print numbers only
through the `show` filter, which records each one in the ledger, so a draft can say where every
number it contains came from, and none is typed into a template by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from jinja2 import Undefined

Kind = Literal["money", "percent", "score", "count", "points"]


@dataclass(frozen=True)
class Fact:
    value: Decimal
    kind: Kind
    source: str  # 'figures:budget.actual', 'scorer:budget_execution.score', 'derived: a ÷ b', 'framework:…'
    unit: str = ""  # for money: 元 / 万元 / 亿元 as entered

    def text(self) -> str:
        if self.kind == "money":
            return f"{self.value:,} {self.unit or '万元'}"
        if self.kind == "percent":
            return f"{self.value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
        if self.kind == "points":  # a change in percentage points
            return f"{abs(self.value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
        if self.kind == "score":
            return f"{self.value.normalize():f}" if self.value == self.value.to_integral_value() else \
                f"{self.value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
        return f"{self.value.normalize():f}"


@dataclass
class Placed:
    section: str
    text: str
    source: str


@dataclass
class Ledger:
    """Every number placed in a draft, in order."""

    section: str = ""
    placed: list[Placed] = field(default_factory=list)

    def show(self, fact: Fact) -> str:
        if isinstance(fact, Undefined):
            str(fact)  # StrictUndefined raises here, naming the missing variable
        if not isinstance(fact, Fact):
            raise TypeError(f"only facts can be shown in a draft, got {fact!r}")
        text = fact.text()
        self.placed.append(Placed(self.section, text, fact.source))
        return text


def rate(numerator: Decimal, denominator: Decimal, source: str) -> Fact:
    """A percentage from two figures, exact until printed (printed half up to 2 decimals)."""
    return Fact(numerator / denominator * 100, "percent", f"derived: {source}")
