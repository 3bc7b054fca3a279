"""The rule language: scoring rules written as data (YAML), validated by pydantic.

A rule turns a value taken from the figures into a score:
- `tiers`: the first band whose bounds hold (bounds say inclusive `ge`/`le` or exclusive `gt`/`lt`);
- `linear`: rate% × points, capped at `points`, with `zero_if` bounds (e.g. actual above plan);
- `per_unit`: points − (value − threshold) ÷ step × deduction, never below `floor`
  ("超出一个百分点扣0.1分，直至1分扣完为止", "每下降1%扣0.2分", "每项扣4分");
- `choice`: a categorical value → score ("full" 1.5 / "partial" 1 / "none" 0);
- `checklist`: sub-items, each worth points when its input is true;
- `manual`: a discretionary score with a required reason when below full marks;
- `execution`: the quarterly budget-execution formula (Σ min(1, r_q) + mean(r_q) × mean_points);
- `sum`: the sum of named parts, each a rule of its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: Decimal  # 分值 of this rule (or part)
    text: str = ""  # the verbatim rule text from the report
    name: str = ""


class ValueSpec(BaseModel):
    """Where the value comes from: one figure (`input`), or a ratio of two as a percentage."""

    model_config = ConfigDict(extra="forbid")
    input: str | None = None
    ratio: tuple[str, str] | None = None  # numerator path, denominator path → ×100 %
    unit: Literal["%", "count", "score", "choice", "list"] = "%"

    @model_validator(mode="after")
    def _one(self) -> ValueSpec:
        if (self.input is None) == (self.ratio is None):
            raise ValueError("give exactly one of 'input' or 'ratio'")
        return self


class Bounds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gt: Decimal | None = None
    ge: Decimal | None = None
    lt: Decimal | None = None
    le: Decimal | None = None

    def holds(self, v: Decimal) -> bool:
        return ((self.gt is None or v > self.gt) and (self.ge is None or v >= self.ge)
                and (self.lt is None or v < self.lt) and (self.le is None or v <= self.le))

    def describe(self) -> str:
        parts = []
        if self.ge is not None:
            parts.append(f"≥{self.ge}")
        if self.gt is not None:
            parts.append(f">{self.gt}")
        if self.le is not None:
            parts.append(f"≤{self.le}")
        if self.lt is not None:
            parts.append(f"<{self.lt}")
        return " 且 ".join(parts) or "任意"


class Tier(Bounds):
    score: Decimal


class TiersRule(_Rule):
    type: Literal["tiers"]
    value: ValueSpec
    tiers: list[Tier] = Field(min_length=1)


class LinearRule(_Rule):
    type: Literal["linear"]
    value: ValueSpec
    zero_if: Bounds | None = None
    max_value: Decimal = Decimal(100)  # inputs above this are refused unless the rule allows more


class PerUnitRule(_Rule):
    type: Literal["per_unit"]
    value: ValueSpec
    direction: Literal["above", "below"] = "above"  # deduct for value above / below the threshold
    threshold: Decimal = Decimal(0)
    step: Decimal = Decimal(1)
    deduction: Decimal
    whole_units: bool = False  # count only whole steps (每项) instead of pro rata (每个百分点)
    floor: Decimal = Decimal(0)
    zero_below: Decimal | None = None  # e.g. 满意度在50%以下不得分


class ChoiceRule(_Rule):
    type: Literal["choice"]
    value: ValueSpec
    options: dict[str, Decimal]


class ChecklistItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    input: str
    points: Decimal


class ChecklistRule(_Rule):
    type: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)


class ManualRule(_Rule):
    type: Literal["manual"]
    key: str  # the entry in figures.discretionary that gives the score and the reason


class ExecutionRule(_Rule):
    type: Literal["execution"]
    value: ValueSpec  # a list of four cumulative progress percentages
    schedule: list[Decimal] = Field(default_factory=lambda: [Decimal(25), Decimal(50), Decimal(75), Decimal(100)])
    quarter_points: Decimal = Decimal(1)
    cap_quarter: bool = True  # each quarter's term is min(1, r_q)
    mean_points: Decimal = Decimal(2)
    cap_mean: bool = False  # the mean of r_q is taken uncapped (the only reading matching 002 and 004)


class SumRule(_Rule):
    type: Literal["sum"]
    parts: list[Rule] = Field(min_length=1)
    zero_if_input: str | None = None  # a boolean figure that zeroes the whole indicator


Rule = Annotated[
    TiersRule | LinearRule | PerUnitRule | ChoiceRule | ChecklistRule | ManualRule | ExecutionRule | SumRule,
    Field(discriminator="type"),
]
SumRule.model_rebuild()
