"""The carrying-forward vocabulary (carry.yaml), validated: quantities and their cue words, lists,
constants, claims, direction words and the problems section. Errors name the file, line and field."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.datafiles import error_location
from assistant.errors import JixiaoError
from assistant.figures import _line_of


class VocabError(JixiaoError):
    """carry.yaml (or a user's copy) is not valid."""


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid pattern: {exc}") from exc
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Direction(_Strict):
    diff: tuple[str, str]
    up: str
    down: str


class Cue(_Strict):
    cue: str
    after: str | None = None

    _patterns = field_validator("cue", "after")(lambda cls, v: v if v is None else _regex(v))


class Quantity(_Strict):
    kind: Literal["money", "percent", "count", "score", "date"]
    value: dict[str, Any]
    label: str
    cues: list[Cue] = Field(default_factory=list)
    topic: str | None = None
    not_topic: str | None = None
    exclude: str | None = None
    after: str | None = None
    units: list[str] = Field(default_factory=list)
    direction: Direction | None = None

    @field_validator("cues", mode="before")
    @classmethod
    def _cues(cls, value: Any) -> Any:
        return [{"cue": v} if isinstance(v, str) else v for v in value] if isinstance(value, list) else value

    @field_validator("topic", "not_topic", "exclude", "after")
    @classmethod
    def _patterns(cls, value: str | None) -> str | None:
        return None if value is None else _regex(value)

    @field_validator("value")
    @classmethod
    def _value(cls, value: dict[str, Any]) -> dict[str, Any]:
        known = {"field", "ratio", "done_ratio", "quarter_ratio", "quarter_mean_ratio", "bool_percent",
                 "score"}
        if len(value) != 1 or next(iter(value)) not in known:
            raise ValueError(f"expected one of {', '.join(sorted(known))}")
        return value


class ListCue(_Strict):
    cue: str
    families: list[str]

    _cue = field_validator("cue")(lambda cls, v: _regex(v))


class Constant(_Strict):
    pattern: str
    why: str

    _pattern = field_validator("pattern")(lambda cls, v: _regex(v))


class Condition(_Strict):
    quantity: str | None = None
    field: str | None = None
    indicator: str | None = None  # an indicator's id: holds when its full marks are as `full` says
    full: bool = True
    op: Literal["==", "!=", "<", "<=", ">", ">="] = "=="
    value: float = 0

    @model_validator(mode="after")
    def _one(self) -> Condition:
        if sum(x is not None for x in (self.quantity, self.field, self.indicator)) != 1:
            raise ValueError("give one of quantity, field or indicator")
        return self


class Claim(_Strict):
    pattern: str
    holds: Condition
    says: str

    _pattern = field_validator("pattern")(lambda cls, v: _regex(v))


class Directions(_Strict):
    up: str
    down: str
    change: str
    growth: str

    _patterns = field_validator("up", "down", "change", "growth")(lambda cls, v: _regex(v))


class IndicatorNumbers(_Strict):
    score: str
    deduction: str
    weight: str


class Problems(_Strict):
    section: str
    measures: str
    unit_start: str
    topics: dict[str, str]

    _patterns = field_validator("section", "measures", "unit_start")(lambda cls, v: _regex(v))

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: dict[str, str]) -> dict[str, str]:
        return {k: _regex(v) for k, v in value.items()}


class Vocab(_Strict):
    quantities: dict[str, Quantity]
    lists: list[ListCue] = Field(default_factory=list)
    filler: str
    indicator_numbers: IndicatorNumbers
    constants: list[Constant] = Field(default_factory=list)
    quotes: list[str]
    titles: list[str]
    total_cells: str
    compared: str
    grade: str
    causes: str
    directions: Directions
    claims: list[Claim] = Field(default_factory=list)
    problems: Problems

    _patterns = field_validator("grade", "causes", "filler", "total_cells", "compared")(
        lambda cls, v: _regex(v))

    @model_validator(mode="after")
    def _references(self) -> Vocab:
        for claim in self.claims:
            if claim.holds.quantity and claim.holds.quantity not in self.quantities:
                raise ValueError(f"claim '{claim.says}': unknown quantity '{claim.holds.quantity}'")
        for q in self.quantities.values():
            if q.direction:
                for path in q.direction.diff:
                    if path not in self.quantities:
                        raise ValueError(f"direction of '{q.label}': unknown quantity '{path}'")
        return self


def parse_vocab(text: str, path: str) -> Vocab:
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise VocabError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict) or node is None:
        raise VocabError(f"{path}: expected a mapping (quantities, constants, claims, …)")
    try:
        return Vocab.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc, field = error_location(err)
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            line = _line_of(node, loc)
            problems.append(f"line {line}: {field}: {msg}" if line else f"{field}: {msg}")
        raise VocabError(f"{path}: " + "; ".join(problems)) from exc


@cache
def bundled_vocab() -> Vocab:
    ref = resources.files("assistant.drafting").joinpath("carry.yaml")
    return parse_vocab(ref.read_text("utf-8"), str(ref))


def load_vocab(path: Path | None = None) -> Vocab:
    if path is None:
        return bundled_vocab()
    try:
        return parse_vocab(path.read_text("utf-8"), str(path))
    except FileNotFoundError as exc:
        raise VocabError(f"{path}: file not found") from exc
