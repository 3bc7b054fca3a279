"""Reading a performance-target row: the target as a condition, the actual as a number."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.numbers import NUM, Span
from assistant.ingest.model import TargetRow

_COND = re.compile(rf"^\s*(?P<op>[≥≤＞＜><=＝]|不低于|不高于|大于等于|小于等于)?\s*(?P<v>{NUM})\s*(?P<unit>[%％]|[\u4e00-\u9fff]{{1,3}})?\s*$")
_RANGE = re.compile(rf"^\s*(?P<a>{NUM})\s*[%％]?\s*[—\-－~～至]\s*(?P<b>{NUM})\s*(?P<unit>[%％])?\s*$")
_ACTUAL = re.compile(rf"^\s*(?P<v>{NUM})\s*(?P<unit>[%％]|[\u4e00-\u9fff]{{1,3}})?\s*$")


def _unit(u: str | None) -> str:
    return "%" if u in ("%", "％") else re.sub(r"\s", "", u or "")


def unmet(t: TargetRow) -> str | None:
    """Why a row's actual value misses its target ('150 人 < 200 人'), or None if it meets it or either
    is not a plain number (有所提升, 约 10 家)."""
    if not t.actual:
        return None
    a = _ACTUAL.match(t.actual.replace(" ", "") if "平方" in t.actual else t.actual)
    if not a:
        return None
    actual = Span.printed(a.group("v"), exact_integers=True)
    r = _RANGE.match(t.target)
    if r:
        lo, hi = Decimal(r.group("a").replace(",", "")), Decimal(r.group("b").replace(",", ""))
        if actual.hi < lo or actual.lo > hi:
            return f"{t.actual} 不在 {t.target} 之内"
        return None
    c = _COND.match(t.target.replace("平方 米", "平方米"))
    if not c or _unit(c.group("unit")) != _unit(a.group("unit")):
        return None
    target = Decimal(c.group("v").replace(",", ""))
    op = c.group("op") or "="
    if op in ("≥", ">=", "不低于", "大于等于"):
        bad = actual.hi < target
    elif op in ("≤", "不高于", "小于等于"):
        bad = actual.lo > target
    elif op in ("＞", ">"):
        bad = actual.hi <= target
    elif op in ("＜", "<"):
        bad = actual.lo >= target
    else:
        bad = actual.hi < target  # a bare target ('380 家') is a quantity to reach
    return f"实际 {t.actual.strip()}，目标 {t.target.strip()}" if bad else None


def actual_value(t: TargetRow) -> tuple[Decimal, str] | None:
    if not t.actual:
        return None
    a = _ACTUAL.match(t.actual)
    return (Decimal(a.group("v").replace(",", "")), _unit(a.group("unit"))) if a else None
