"""Computations the report prints: an expression and its result ('=（1-131/146）×100%=10.27%'),
'A 的 R% 即 B', and a table's own column formula (得分率 = 得分 ÷ 分值, 合计 = 各列之和) that one
row breaks while the other rows keep it."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.model import Finding
from assistant.checks.numbers import NUM, Span, judge, show
from assistant.checks.text import clip, ev, rx, sentences
from assistant.ingest import Document

HUNDRED = Decimal(100)
_TOKEN = re.compile(rf"\s*(?:(?P<num>{NUM})\s*(?P<pct>[%％])?|(?P<op>[×*xX÷/+\-－—（()）]))")
_OPS = {"×": "*", "x": "*", "X": "*", "*": "*", "÷": "/", "/": "/", "+": "+", "-": "-", "－": "-", "—": "-",
        "（": "(", "(": "(", ")": ")", "）": ")"}


def _tokens(expr: str) -> list[object]:
    out: list[object] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            if expr[pos:].strip() == "":
                break
            raise ValueError(expr)
        if m.group("num"):
            span = Span.printed(m.group("num"), exact_integers=True)
            out.append(span.scale(Decimal("0.01")) if m.group("pct") else span)
        else:
            out.append(_OPS[m.group("op")])
        pos = m.end()
    return out


def evaluate(expr: str) -> Span:
    """Interval value of a printed expression (+ − × ÷, brackets, percentages as fractions)."""
    toks = _tokens(expr)
    pos = 0

    def atom() -> Span:
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t == "(":
            v = add()
            if pos < len(toks) and toks[pos] == ")":
                pos += 1
            return v
        if t == "-":
            return atom().scale(Decimal(-1))
        if not isinstance(t, Span):
            raise ValueError(expr)
        return t

    def mul() -> Span:
        nonlocal pos
        v = atom()
        while pos < len(toks) and toks[pos] in ("*", "/"):
            op = toks[pos]
            pos += 1
            v = v * atom() if op == "*" else v / atom()
        return v

    def add() -> Span:
        nonlocal pos
        v = mul()
        while pos < len(toks) and toks[pos] in ("+", "-"):
            op = toks[pos]
            pos += 1
            v = v + mul() if op == "+" else v - mul()
        return v

    v = add()
    if pos != len(toks):
        raise ValueError(expr)
    return v


def expressions(doc: Document) -> list[Finding]:
    out = []
    for p in doc.paragraphs:
        if p.kind == "heading":
            continue
        for m in rx("expression").finditer(p.text):
            expr = m.group("expr").strip()
            if not re.search(r"[×*xX÷/+]|(?<=\d)\s*[-－]\s*(?=[\d（(])", expr) or re.fullmatch(r"\s*20\d\d\s*[-－—]\s*20\d\d\s*", expr):
                continue  # '2021-2024' is a span of years, not a subtraction
            try:
                value = evaluate(expr)
            except (ValueError, ZeroDivisionError, IndexError):
                continue
            result = m.group("result")
            if m.group("pct"):
                value = value.scale(HUNDRED)
            sev = judge(result, value, exact_integers=True)
            if sev:
                out.append(Finding(
                    doc=doc.id, kind="formula", severity=sev, rule="formulas.expressions",
                    message=f"算式「{expr}」的结果应为 {show(value.mid)}{m.group('pct') or ''}，报告写为 {result}{m.group('pct') or ''}。",
                    evidence=[ev(p, clip(p.text, m.start(), m.end(), pad=20))],
                    computation=f"{expr} = {show(value.mid, 4)}",
                ))
    return out


def part_of(doc: Document) -> list[Finding]:
    """'210 万的 15% 即 30 万' → 31.5 万."""
    out = []
    approx = re.compile(rx("approximate").pattern)
    for p in doc.paragraphs:
        if p.kind == "heading":
            continue  # prose in a table cell (测算明细) too
        for m in rx("part_of").finditer(p.text):
            if approx.search(p.text[max(0, m.start("part") - 3): m.start("part")]):
                continue
            # a whole percentage of a payment schedule ('支付费用的 15%') is a term, not a rounded measurement
            rate = Span.printed(m.group("rate"), exact_integers=True).scale(Decimal("0.01"))
            computed = Span.printed(m.group("whole"), exact_integers=True) * rate
            sev = judge(m.group("part"), computed, most="medium")
            if sev:
                out.append(Finding(
                    doc=doc.id, kind="formula", severity=sev, rule="formulas.part_of",
                    message=f"{m.group('whole')}{m.group('unit')}的 {m.group('rate')}% 为 {show(computed.mid)}{m.group('unit2')}，报告写为 {m.group('part')}{m.group('unit2')}。",
                    evidence=[ev(p, clip(p.text, m.start(), m.end()))],
                    computation=f"{m.group('whole')} × {m.group('rate')}% = {show(computed.mid, 4)}",
                ))
    return out



def per_unit_sum(doc: Document) -> list[Finding]:
    """'单位获奖成本=补助资金总额+获奖人数': a cost per head printed as an amount plus a count."""
    out = []
    for p, s in sentences(doc, ("text", "table_row")):
        for m in rx("per_unit_sum").finditer(s):
            out.append(Finding(
                doc=doc.id, kind="formula", severity="low", rule="formulas.per_unit_sum",
                message=f"「{m.group('name')}」的公式写成「{m.group('a')}+{m.group('b')}」，金额加人数得不到单位成本（应为 ÷）。",
                evidence=[ev(p, m.group(0))],
            ))
    return out


CHECKS = (expressions, part_of, per_unit_sum)
