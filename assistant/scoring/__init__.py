"""The deterministic scorer: rules as data (frameworks/*.yaml), exact Decimal arithmetic, traces."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.errors import ScoringError
from assistant.scoring.framework import Framework, Indicator, find_rule, frameworks, get_framework
from assistant.scoring.rules import ValueSpec
from assistant.scoring.sheet import IndicatorScore, ScoreSheet, score_figures, score_indicator

__all__ = ["Framework", "Indicator", "IndicatorScore", "ScoreSheet", "apply_rule", "find_rule", "frameworks",
           "get_framework", "parse_assignments", "score_figures"]


def _parse_scalar(text: str) -> Any:
    t = text.strip()
    if t.lower() in ("true", "yes", "是"):
        return True
    if t.lower() in ("false", "no", "否"):
        return False
    if "," in t and all(_is_number(p) for p in t.split(",")):
        return [Decimal(p.strip().rstrip("%")) for p in t.split(",")]
    if _is_number(t):
        return Decimal(t.rstrip("%％").replace("万元", "").strip())
    if t.lower() in ("nan", "inf", "-inf", "infinity", "+inf", "snan"):
        raise ScoringError(f"'{t}' 不是有效的数值")
    return t


def _is_number(t: str) -> bool:
    try:
        return Decimal(t.strip().rstrip("%％").replace("万元", "").strip()).is_finite()
    except InvalidOperation:
        return False


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """['staff.external=3', 'value=8%'] → nested dict; errors name the bad pair."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ScoringError(f"'{pair}' 不是 键=值 的形式（如 value=8 或 staff.external=3）")
        node = out
        parts = key.strip().split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        try:
            node[parts[-1]] = _parse_scalar(value)
        except ScoringError as exc:  # name the pair: 'value=nan：…'
            raise ScoringError(f"{key.strip()}={value.strip()}：{exc}") from exc
    return out


def apply_rule(key: str, values: dict[str, Any]) -> tuple[Framework, IndicatorScore]:
    """Score one indicator from ad-hoc inputs. `value` stands for the rule's own input (a rate in %,
    a count, a choice) so that "编外人员控制率 8%" is `value=8`."""
    framework, indicator = find_rule(key)
    if "value" in values:
        spec = getattr(indicator.rule, "value", None)
        if spec is None:
            raise ScoringError(f"规则 '{key}' 需要多个数据项，请逐项给出（见 'jixiao rules show {key}'）")
        rule = indicator.rule.model_copy(update={"value": ValueSpec(input="value", unit=spec.unit)})
        indicator = indicator.model_copy(update={"rule": rule})
    return framework, score_indicator(framework, indicator, values)


def apply_parts(key: str, values: dict[str, Any]) -> tuple[Framework, IndicatorScore]:
    """Score a rule of several parts ('“三公”经费控制率' and '日常公用经费控制率') from one value for
    each part, keyed by the part's name as the rule prints it."""
    framework, indicator = find_rule(key)
    parts = list(getattr(indicator.rule, "parts", None) or [])
    if not parts:
        raise ScoringError(f"规则 '{key}' 没有分项")
    given: dict[str, Any] = {}
    new_parts = []
    for i, part in enumerate(parts):
        spec = getattr(part, "value", None)
        name = getattr(part, "name", None)
        if spec is None or name not in values:
            raise ScoringError(f"规则 '{key}' 还需要「{name}」的数值（见 'jixiao rules show {key}'）")
        given[f"part{i}"] = values[name]
        new_parts.append(part.model_copy(update={"value": ValueSpec(input=f"part{i}", unit=spec.unit)}))
    rule = indicator.rule.model_copy(update={"parts": new_parts})
    return framework, score_indicator(framework, indicator.model_copy(update={"rule": rule}), given)


def part_names(key: str) -> list[str]:
    """The names of a rule's parts, where it has parts."""
    _, indicator = find_rule(key)
    return [getattr(p, "name", "") for p in getattr(indicator.rule, "parts", None) or []]


def required_inputs(indicator: Indicator) -> list[str]:
    """The figure paths a rule reads, for help and error messages."""
    paths: list[str] = []

    def walk(rule: Any) -> None:
        spec = getattr(rule, "value", None)
        if spec is not None:
            paths.extend([spec.input] if spec.input else list(spec.ratio))
        for item in getattr(rule, "items", []):
            paths.append(item.input)
        if getattr(rule, "type", "") == "manual":
            paths.append(f"discretionary.{rule.key}.score")
        for part in getattr(rule, "parts", []):
            walk(part)

    walk(indicator.rule)
    return paths


def total_weight_ok(framework: Framework) -> bool:
    return framework.total_weight == Decimal(100)
