"""Apply rules to figures exactly (Decimal), and say why: every score comes with its trace.

Rounding: half up to 2 decimals once, at the end of each indicator (the trace says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel

from assistant.errors import ScoringError
from assistant.figures import Money
from assistant.scoring.rules import (
    ChecklistRule,
    ChoiceRule,
    ExecutionRule,
    LinearRule,
    ManualRule,
    PerUnitRule,
    Rule,
    SumRule,
    TiersRule,
    ValueSpec,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)


def round_half_up(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def fmt(value: Decimal, places: int = 4) -> str:
    """A number for a trace: exact when short, else rounded half up to `places` and marked ≈."""
    exact = value.normalize()
    if -exact.as_tuple().exponent <= places:  # type: ignore[operator]
        return f"{exact:f}"
    return "≈" + f"{round_half_up(value, Decimal(1).scaleb(-places)).normalize():f}"


@dataclass
class Outcome:
    score: Decimal
    steps: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


def lookup(figures: Any, path: str) -> Any:
    """A figure by dotted path ('procurement.actual', 'discretionary.绩效指标明确性')."""
    node = figures
    for part in path.split("."):
        if isinstance(node, dict):
            if part not in node:
                raise ScoringError(f"缺少数据项 '{path}'")
            node = node[part]
        elif isinstance(node, BaseModel) and part in type(node).model_fields:
            node = getattr(node, part)
        else:
            raise ScoringError(f"缺少数据项 '{path}'")
    if node is None:
        raise ScoringError(f"缺少数据项 '{path}'")
    return node


def _number(value: Any, path: str) -> Decimal:
    if isinstance(value, Money):
        return value.value
    if isinstance(value, bool):
        raise ScoringError(f"数据项 '{path}' 应为数字")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    raise ScoringError(f"数据项 '{path}' 应为数字，现为 {value!r}")


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


def resolve(spec: ValueSpec, figures: Any, out: Outcome) -> Any:
    if spec.input is not None:
        raw = lookup(figures, spec.input)
        out.inputs[spec.input] = _show(raw)
        if spec.unit in ("choice", "list"):
            return raw
        value = _number(raw, spec.input)
        if value < 0:
            raise ScoringError(f"数据项 '{spec.input}' 为负数（{value}）")
        return value
    assert spec.ratio is not None
    num_path, den_path = spec.ratio
    num_raw, den_raw = lookup(figures, num_path), lookup(figures, den_path)
    out.inputs[num_path], out.inputs[den_path] = _show(num_raw), _show(den_raw)
    num = num_raw.to("元") if isinstance(num_raw, Money) else _number(num_raw, num_path)
    den = den_raw.to("元") if isinstance(den_raw, Money) else _number(den_raw, den_path)
    if num < 0 or den < 0:
        raise ScoringError(f"数据项 '{num_path}' 和 '{den_path}' 不能为负数")
    if den == 0:
        raise ScoringError(f"数据项 '{den_path}' 为 0，无法计算比率")
    rate = num / den * 100
    out.steps.append(f"比率 = {_show(num_raw)} ÷ {_show(den_raw)} × 100% = {fmt(rate)}%")
    return rate


def _check_percent(value: Decimal, spec: ValueSpec, limit: Decimal = Decimal(100)) -> None:
    if spec.unit == "%" and spec.input is not None and value > limit:
        raise ScoringError(f"数据项 '{spec.input}' 为 {value}%，超过 {limit}%")


def evaluate(rule: Rule, figures: Any) -> Outcome:
    out = Outcome(score=ZERO)
    _evaluate(rule, figures, out)
    return out


def _evaluate(rule: Rule, figures: Any, out: Outcome) -> Decimal:
    label = f"{rule.name}：" if rule.name else ""
    if isinstance(rule, TiersRule):
        v = resolve(rule.value, figures, out)
        _check_percent(v, rule.value)
        for tier in rule.tiers:
            if tier.holds(v):
                out.steps.append(f"{label}{fmt(v)}{'%' if rule.value.unit == '%' else ''} 满足 {tier.describe()} → {tier.score} 分")
                return _done(out, tier.score)
        raise ScoringError(f"规则「{rule.name}」的分档不包含数值 {fmt(v)}")
    if isinstance(rule, LinearRule):
        v = resolve(rule.value, figures, out)
        if rule.zero_if is not None and rule.zero_if.holds(v):
            out.steps.append(f"{label}{fmt(v)}% 满足 {rule.zero_if.describe()} → 0 分")
            return _done(out, ZERO)
        if v > rule.max_value:
            raise ScoringError(f"规则「{rule.name}」的数值 {fmt(v)} 超过上限 {rule.max_value}")
        raw = v / 100 * rule.points
        score = min(raw, rule.points)
        out.steps.append(f"{label}{fmt(v)}% × {rule.points} 分 = {fmt(raw)} 分" + (" (以分值为上限)" if raw > rule.points else ""))
        return _done(out, score)
    if isinstance(rule, PerUnitRule):
        v = resolve(rule.value, figures, out)
        if rule.value.unit == "%":
            _check_percent(v, rule.value)
        if rule.zero_below is not None and v < rule.zero_below:
            out.steps.append(f"{label}{fmt(v)} < {rule.zero_below} → 0 分")
            return _done(out, ZERO)
        gap = v - rule.threshold if rule.direction == "above" else rule.threshold - v
        gap = max(gap, ZERO)
        units = gap / rule.step
        if rule.whole_units:
            units = units.to_integral_value(rounding="ROUND_FLOOR")
        lost = units * rule.deduction
        score = max(rule.points - lost, rule.floor)
        word = "超出" if rule.direction == "above" else "低于"
        pct = "%" if rule.value.unit == "%" else ""
        out.steps.append(
            f"{label}{word}{rule.threshold}{pct} 的部分 {fmt(gap)} ÷ {rule.step} × {rule.deduction} 分 = 扣 {fmt(lost)} 分；"
            f"{rule.points} − {fmt(lost)} = {fmt(rule.points - lost)}" + (f"，不低于 {rule.floor} → {fmt(score)} 分" if score != rule.points - lost else " 分")
        )
        return _done(out, score)
    if isinstance(rule, ChoiceRule):
        v = resolve(rule.value, figures, out)
        if str(v) not in rule.options:
            raise ScoringError(f"数据项 '{rule.value.input}' 应为 {'、'.join(rule.options)} 之一，现为 {v!r}")
        score = rule.options[str(v)]
        out.steps.append(f"{label}{v} → {score} 分")
        return _done(out, score)
    if isinstance(rule, ChecklistRule):
        total = ZERO
        for item in rule.items:
            ok = lookup(figures, item.input)
            out.inputs[item.input] = str(ok)
            if not isinstance(ok, bool):
                raise ScoringError(f"数据项 '{item.input}' 应为 true 或 false")
            total += item.points if ok else ZERO
            out.steps.append(f"{label}{item.name}：{'是' if ok else '否'} → {item.points if ok else 0} 分")
        return _done(out, total)
    if isinstance(rule, ManualRule):
        score = _number(lookup(figures, f"discretionary.{rule.key}.score"), f"discretionary.{rule.key}.score")
        try:
            reason = str(lookup(figures, f"discretionary.{rule.key}.reason") or "").strip()
        except ScoringError:
            reason = ""
        out.inputs[f"discretionary.{rule.key}"] = f"{score}"
        if not ZERO <= score <= rule.points:
            raise ScoringError(f"discretionary.{rule.key}.score：{score} 不在 0–{rule.points} 之间")
        if score < rule.points and not reason:
            raise ScoringError(f"discretionary.{rule.key}.reason：得分低于 {rule.points} 时须写明理由")
        out.steps.append(f"{label}酌情评分 {score} 分" + (f"（理由：{reason}）" if reason else ""))
        if reason:
            out.reason = reason if not out.reason else f"{out.reason}；{reason}"
        return _done(out, score)
    if isinstance(rule, ExecutionRule):
        progress = resolve(rule.value, figures, out)
        if not isinstance(progress, list) or len(progress) != len(rule.schedule):
            raise ScoringError(f"数据项 '{rule.value.input}' 应列出 {len(rule.schedule)} 个季度百分比")
        ratios = []
        for q, (p, s) in enumerate(zip(progress, rule.schedule, strict=True), start=1):
            p = _number(p, f"{rule.value.input}[{q}]")
            if not ZERO <= p <= 100:
                raise ScoringError(f"数据项 '{rule.value.input}' 第 {q} 季度为 {p}%，不在 0–100% 之间")
            ratios.append(p / s)
        terms = [min(Decimal(1), r) if rule.cap_quarter else r for r in ratios]
        quarter_part = sum(terms, ZERO) * rule.quarter_points
        mean = sum((min(Decimal(1), r) if rule.cap_mean else r for r in ratios), ZERO) / len(ratios)
        mean_part = mean * rule.mean_points
        for q, (p, s, r) in enumerate(zip(progress, rule.schedule, ratios, strict=True), start=1):
            out.steps.append(f"第{q}季度执行率 r{q} = {fmt(Decimal(p))}% ÷ {s}% = {fmt(r)}" + (" → 取 1" if rule.cap_quarter and r > 1 else ""))
        out.steps.append(f"各季度得分 Σmin(1, r) × {rule.quarter_points} = {fmt(quarter_part)} 分")
        out.steps.append(f"全年平均执行率 = Σr ÷ {len(ratios)} = {fmt(mean)}；× {rule.mean_points} 分 = {fmt(mean_part)} 分")
        return _done(out, min(quarter_part + mean_part, rule.points))
    if isinstance(rule, SumRule):
        if rule.zero_if_input:
            flag = lookup(figures, rule.zero_if_input)
            out.inputs[rule.zero_if_input] = str(flag)
            if flag is True:
                out.steps.append(f"{label}存在 {rule.zero_if_input} → 本项指标得 0 分")
                return _done(out, ZERO)
        total = ZERO
        for part in rule.parts:
            sub = Outcome(score=ZERO)
            _evaluate(part, figures, sub)
            out.steps += sub.steps
            out.inputs.update(sub.inputs)
            if sub.reason:
                out.reason = sub.reason if not out.reason else f"{out.reason}；{sub.reason}"
            total += sub.score
        if len(rule.parts) > 1:
            out.steps.append(f"{label}各部分合计 = {fmt(total)} 分")
        return _done(out, min(total, rule.points))
    raise ScoringError(f"unknown rule type {type(rule).__name__}")  # pragma: no cover


def _done(out: Outcome, score: Decimal) -> Decimal:
    out.score = score
    return score
