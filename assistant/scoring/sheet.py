"""Score a year's figures against a framework: every indicator with its trace, the total, the grade."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from assistant.errors import ScoringError
from assistant.figures import Figures
from assistant.scoring.engine import Outcome, evaluate, fmt, round_half_up
from assistant.scoring.framework import Framework, Indicator


class IndicatorScore(BaseModel):
    id: str
    levels: list[str]
    weight: Decimal
    score: Decimal  # rounded half up to 2 decimals
    unrounded: Decimal
    rule: str  # the verbatim rule text
    rule_id: str
    inputs: dict[str, str]
    trace: list[str]
    reason: str | None = None
    published: Decimal | None = None
    discrepancy: str | None = None

    @property
    def name(self) -> str:
        return self.levels[-1]

    @property
    def deduction(self) -> Decimal:
        return self.weight - self.score


class ScoreSheet(BaseModel):
    framework: str
    framework_name: str
    unit: str
    year: int
    total: Decimal
    grade: str
    published_total: Decimal | None = None
    published_doc: str | None = None
    indicators: list[IndicatorScore] = Field(default_factory=list)
    discrepancies: list[str] = Field(default_factory=list)

    def get(self, key: str) -> IndicatorScore:
        for ind in self.indicators:
            if key in (ind.id, ind.name):
                return ind
        raise ScoringError(f"评分结果中没有指标 '{key}'")


def score_indicator(framework: Framework, indicator: Indicator, figures: Figures | dict) -> IndicatorScore:
    out: Outcome = evaluate(indicator.rule, figures)
    score = round_half_up(out.score)
    trace = [*out.steps]
    trace.append(f"合计 {fmt(out.score)} 分，{framework.rounding} → {score} 分")
    return IndicatorScore(
        id=indicator.id, levels=indicator.levels, weight=indicator.weight, score=score, unrounded=out.score,
        rule=indicator.rule.text.strip(), rule_id=f"{framework.id}.{indicator.id}", inputs=out.inputs,
        trace=trace, reason=out.reason,
    )


def score_figures(framework: Framework, figures: Figures, published: dict[str, Decimal] | None = None) -> ScoreSheet:
    """Every indicator, the total and the grade; where a published score differs, say so."""
    published = published or {}
    results: list[IndicatorScore] = []
    discrepancies: list[str] = []
    errors: list[str] = []
    for ind in framework.indicators:
        try:
            res = score_indicator(framework, ind, figures)
        except ScoringError as exc:
            errors.append(f"{ind.name}: {exc}")
            continue
        pub = published.get(ind.name)
        if pub is not None:
            res.published = pub
            if pub != res.score:
                res.discrepancy = f"报告列示得分 {pub} 分，按其评分规则计算为 {res.score} 分（相差 {fmt(pub - res.score)} 分）"
                discrepancies.append(f"{ind.name}: {res.discrepancy}")
        results.append(res)
    if errors:
        raise ScoringError("；".join(errors))
    total = sum((r.score for r in results), Decimal(0))
    pub_info = framework.published.get(figures.year)
    if pub_info is not None and pub_info.total != total:
        discrepancies.append(f"总分：报告列示 {pub_info.total} 分，按规则计算为 {total} 分")
    return ScoreSheet(
        framework=framework.id, framework_name=framework.name, unit=figures.unit, year=figures.year,
        total=total, grade=framework.grade(total),
        published_total=pub_info.total if pub_info else None, published_doc=pub_info.doc if pub_info else None,
        indicators=results, discrepancies=discrepancies,
    )
