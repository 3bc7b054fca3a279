"""Frameworks: indicator trees (levels, weights) whose leaves point at rules; grade bands; sources."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assistant.datafiles import load_yaml
from assistant.errors import ScoringError
from assistant.scoring.rules import Rule


class RuleSource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc: str
    page: int | None = None
    section: str = ""
    taken_from: str = "table"  # "table": the report's scoring table is the only source of this rule


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    levels: list[str] = Field(min_length=1)
    weight: Decimal
    rule: Rule
    source: RuleSource | None = None
    note: str = ""  # why the rule is written this way (e.g. a reading chosen to reproduce published scores)

    @model_validator(mode="after")
    def _points_match_weight(self) -> Indicator:
        if self.rule.points != self.weight:
            raise ValueError(f"rule points {self.rule.points} differ from the indicator weight {self.weight}")
        return self

    @property
    def name(self) -> str:
        return self.levels[-1]


class GradeBand(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ge: Decimal
    grade: str


class Published(BaseModel):
    model_config = ConfigDict(extra="forbid")
    doc: str
    total: Decimal


class Framework(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    source: RuleSource
    grade_bands: list[GradeBand]
    rounding: str = "每个指标计算完毕后四舍五入（round half up）保留两位小数"
    published: dict[int, Published] = Field(default_factory=dict)  # year → the report that scored it
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _unique(self) -> Framework:
        ids = [i.id for i in self.indicators]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate indicator ids: {', '.join(sorted(dupes))}")
        return self

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))

    def grade(self, total: Decimal) -> str:
        for band in sorted(self.grade_bands, key=lambda b: b.ge, reverse=True):
            if total >= band.ge:
                return band.grade
        return self.grade_bands[-1].grade

    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if key in (ind.id, f"{self.id}.{ind.id}", ind.name):
                return ind
        partial = [ind for ind in self.indicators if key and key in ind.name]
        if len(partial) == 1:  # '满意度' → 公众或服务对象满意度
            return partial[0]
        raise ScoringError(f"指标体系 {self.id} 中没有规则 '{key}'")


def frameworks_dir() -> Path:
    return Path(str(resources.files("assistant.scoring").joinpath("frameworks")))


def load_framework_file(path: Path) -> Framework:
    try:
        data = load_yaml(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ScoringError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ScoringError(f"{path}: field '{where}': {err['msg']}") from exc


@cache
def frameworks() -> dict[str, Framework]:
    out = {}
    for path in sorted(frameworks_dir().glob("*.yaml")):
        fw = load_framework_file(path)
        out[fw.id] = fw
    return out


def get_framework(name: str) -> Framework:
    fws = frameworks()
    if name not in fws:
        raise ScoringError(f"没有指标体系 '{name}'（现有：{'、'.join(fws)}）")
    return fws[name]


def framework_for(doc_id: str) -> Framework | None:
    """The framework a report was scored with: the one it defines or one that names it as published."""
    for fw in frameworks().values():
        if doc_id in {fw.source.doc, *(p.doc for p in fw.published.values())}:
            return fw
    return None


def find_rule(key: str) -> tuple[Framework, Indicator]:
    """A rule by 'framework.indicator', indicator id, or indicator name (first framework that has it)."""
    if "." in key:
        fw_id, _, ind = key.partition(".")
        if fw_id in frameworks():
            return frameworks()[fw_id], frameworks()[fw_id].indicator(ind)
    for fw in frameworks().values():  # exact names first, in every framework …
        for ind in fw.indicators:
            if key in (ind.id, ind.name):
                return fw, ind
    for fw in frameworks().values():  # … then a unique part of a name
        try:
            return fw, fw.indicator(key)
        except ScoringError:
            continue
    raise ScoringError(f"没有规则 '{key}'；运行 'jixiao rules' 查看全部规则")
