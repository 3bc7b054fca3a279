"""Consistency checker: where a report contradicts itself.

Four kinds of findings, each with plain-Chinese message, severity and verbatim evidence:
- `narrative_vs_table`: the same indicator with a different weight or score in two places;
- `figure_conflict`: the same rate stated with different values in two places;
- `arithmetic`: table scores that do not add up; a rate that does not follow from the amounts
  printed beside it; a stated deduction that is not weight − score;
- `rule_vs_score`: the report's own rule, applied to the inputs it prints, gives another score;
- `grade_vs_total`: a grade that does not match the total under the grade bands.
Differences of at most 0.01 (rounding) are low severity, never errors.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from assistant.errors import JixiaoError
from assistant.ingest import Document, IndicatorRecord
from assistant.ingest.narrative import STATEMENT
from assistant.ingest.patterns import SENTENCE, squash
from assistant.scoring import apply_rule
from assistant.scoring.engine import fmt, round_half_up
from assistant.scoring.framework import framework_for
from assistant.scoring.sheet import IndicatorScore

Severity = Literal["high", "medium", "low"]
CENT = Decimal("0.01")
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_RULE_SENTENCE = re.compile(r"得\s*\d+(?:\.\d+)?\s*分|得满分|不得分|扣除|（不含）|[≥≤＜＞<>]|以上|以下|\d%\s*[-—至]")
_LABEL = re.compile(r"[\u4e00-\u9fff“”]{1,12}$")
_AMOUNT = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万元")


class Evidence(BaseModel):
    page: int | None
    quote: str


class Finding(BaseModel):
    doc: str
    kind: Literal["narrative_vs_table", "figure_conflict", "arithmetic", "rule_vs_score", "grade_vs_total"]
    severity: Severity
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    computation: str | None = None


@cache
def _patterns() -> dict:
    return yaml.safe_load(resources.files("assistant").joinpath("check_patterns.yaml").read_text("utf-8"))


def _severity(diff: Decimal) -> Severity:
    return "low" if abs(diff) <= CENT else "high"


def _sentences(doc: Document):  # type: ignore[no-untyped-def]
    for p in doc.paragraphs:
        if p.kind != "text":
            continue
        for m in SENTENCE.finditer(p.text):
            yield p, m.group(0).strip()


def narrative_vs_table(doc: Document) -> list[Finding]:
    by_id = {r.id: r for r in doc.records}
    out = []
    for n in doc.records:
        t = by_id.get(n.linked_to or "")
        if n.source != "narrative" or t is None:
            continue
        w_diff = t.weight is not None and n.weight is not None and t.weight != n.weight
        s_diff = t.score is not None and n.score is not None and t.score != n.score
        if not (w_diff or s_diff):
            continue
        parts = []
        if w_diff:
            parts.append(f"分值正文为 {fmt(n.weight)} 分、表中为 {fmt(t.weight)} 分")
        if s_diff:
            parts.append(f"得分正文为 {fmt(n.score)} 分、表中为 {fmt(t.score)} 分")
        diff = max(abs((n.weight or 0) - (t.weight or 0)), abs((n.score or 0) - (t.score or 0)))
        out.append(Finding(
            doc=doc.id, kind="narrative_vs_table", severity=_severity(diff),
            message=f"「{n.name}」在正文和{t.table}中不一致：{'；'.join(parts)}。",
            evidence=[Evidence(page=n.page, quote=n.quote), Evidence(page=t.page, quote=t.quote)],
        ))
    return out


def name_mismatches(doc: Document) -> list[Finding]:
    """The same indicator (same 分值 and 得分, same place) named differently in the text and the table."""
    by_id = {r.id: r for r in doc.records}
    out = []
    for n in doc.records:
        t = by_id.get(n.linked_to or "")
        if n.source != "narrative" or n.linked_by != "numbers" or t is None:
            continue
        m = STATEMENT.search(n.quote)
        text_name = m.group("name") if m else n.quote
        out.append(Finding(
            doc=doc.id, kind="narrative_vs_table", severity="low",
            message=f"同一指标在正文中称「{text_name}」，在{t.table}中称「{t.name}」（分值、得分相同）。",
            evidence=[Evidence(page=n.page, quote=n.quote), Evidence(page=t.page, quote=t.quote)],
        ))
    return out


def figure_conflicts(doc: Document) -> list[Finding]:
    pat = _patterns()
    name_re = re.compile(pat["rate_names"] + r"\s*(?:为|达|达到|是)?\s*(\d+(?:\.\d+)?)\s*%")
    seen: dict[str, list[tuple[Decimal, int | None, str]]] = {}
    for p, sentence in _sentences(doc):
        if len(_PCT.findall(sentence)) >= pat["series_min"] or _RULE_SENTENCE.search(sentence):
            continue  # a series of rates, or a scoring rule's thresholds, are not statements of fact
        for m in name_re.finditer(sentence):
            # The figure's full name is the run of words ending in the rate word: “三公”经费控制率 and
            # 日常公用经费控制率 are different figures; so are 第一季度预算执行率 and 预算执行率.
            label = _LABEL.search(sentence[: m.end(1)])
            name = label.group(0) if label else m.group(1)
            seen.setdefault(name, []).append((Decimal(m.group(2)), p.page, sentence))
    out = []
    for name, values in seen.items():
        distinct = sorted({v for v, _, _ in values})
        if len(distinct) < 2:
            continue
        first = {v: (page, s) for v, page, s in reversed(values)}
        diff = distinct[-1] - distinct[0]
        out.append(Finding(
            doc=doc.id, kind="figure_conflict", severity="low" if diff <= CENT else "medium",
            message=f"「{name}」前后表述不一致：{'、'.join(f'{fmt(v)}%' for v in distinct)}。",
            evidence=[Evidence(page=first[v][0], quote=first[v][1]) for v in distinct],
        ))
    return out


def arithmetic(doc: Document) -> list[Finding]:
    out = []
    for c in doc.checks:
        if c.ok or c.stated is None:
            continue
        diff = c.computed - c.stated
        out.append(Finding(
            doc=doc.id, kind="arithmetic", severity=_severity(diff),
            message=f"{c.table}中「{c.group}」各项得分合计为 {fmt(c.computed)} 分，表中列示 {fmt(c.stated)} 分。",
            evidence=[Evidence(page=c.page, quote=c.table)], computation=f"Σ 得分 = {fmt(c.computed)}",
        ))
    # a stated deduction ('本指标扣 1.5 分') that is not weight − score
    for n in doc.records:
        if n.source != "narrative" or not n.reason or n.weight is None or n.score is None:
            continue
        m = re.search(r"扣\s*(\d+(?:\.\d+)?)\s*分", n.reason)
        if m and Decimal(m.group(1)) != n.weight - n.score:
            out.append(Finding(
                doc=doc.id, kind="arithmetic", severity=_severity(Decimal(m.group(1)) - (n.weight - n.score)),
                message=f"「{n.name}」写明扣 {m.group(1)} 分，但分值 {fmt(n.weight)} − 得分 {fmt(n.score)} = {fmt(n.weight - n.score)} 分。",
                evidence=[Evidence(page=n.page, quote=m.group(0)), Evidence(page=n.page, quote=n.quote)],
            ))
    # a rate printed beside the two amounts it is computed from
    rate_re = re.compile(_patterns()["ratio_sentence"]["rate"] + r"\s*(?:为|达|达到)?\s*(\d+(?:\.\d+)?)\s*%")
    for p, sentence in _sentences(doc):
        amounts = [Decimal(a.replace(",", "")) for a in _AMOUNT.findall(sentence)]
        rates = rate_re.findall(sentence)
        if len(amounts) != 2 or len(rates) != 1 or min(amounts) == 0:
            continue
        stated = Decimal(rates[0][1])
        computed = min(amounts) / max(amounts) * 100
        if abs(round_half_up(computed) - stated) > CENT:
            out.append(Finding(
                doc=doc.id, kind="arithmetic", severity="medium",
                message=f"{rates[0][0]}写为 {fmt(stated)}%，但按同句金额计算为 {fmt(round_half_up(computed))}%。",
                evidence=[Evidence(page=p.page, quote=sentence)],
                computation=f"{fmt(min(amounts))} ÷ {fmt(max(amounts))} × 100% = {fmt(computed)}%",
            ))
        elif round_half_up(computed) != stated:
            out.append(Finding(
                doc=doc.id, kind="arithmetic", severity="low",
                message=f"{rates[0][0]} {fmt(stated)}% 与按金额计算的 {fmt(round_half_up(computed))}% 相差 0.01 个百分点（舍入）。",
                evidence=[Evidence(page=p.page, quote=sentence)],
                computation=f"{fmt(min(amounts))} ÷ {fmt(max(amounts))} × 100% = {fmt(computed)}%",
            ))
    return out


class Rescore(BaseModel):
    """An indicator scored again by the report's own rule from the figures its text prints."""

    name: str
    result: IndicatorScore
    printed: IndicatorRecord
    evidence: list[Evidence]
    note: str = ""


def _put(values: dict, path: str, value: object) -> None:
    node = values
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def rescore_from_text(doc: Document) -> list[Rescore]:
    fw = framework_for(doc.id)
    if fw is None:
        return []
    sentences = list(_sentences(doc))
    table = {r.name: r for r in doc.records if r.source == "table" and r.score is not None}
    out = []
    for ind_id, spec in _patterns()["printed_inputs"].items():
        ind = next((i for i in fw.indicators if i.id == ind_id), None)
        if ind is None or ind.name not in table:
            continue
        read: dict[str, list[Decimal]] = {}
        evidence: list[Evidence] = []
        for key, pattern in spec["read"].items():
            rx = re.compile(pattern)
            hit = next(((p, s, m) for p, s in sentences for m in [rx.search(s)] if m), None)
            if hit is None:
                break
            p, sentence, m = hit
            read[key] = [Decimal(v.replace(",", "")) for v in m.groupdict().values()]
            evidence.append(Evidence(page=p.page, quote=sentence))
        else:
            values: dict = {}
            for path, key in spec["inputs"].items():
                _put(values, path, read[key] if len(read[key]) > 1 else read[key][0])
            for path, value in spec.get("assume", {}).items():
                _put(values, path, Decimal(str(value)))
            try:
                _, result = apply_rule(f"{fw.id}.{ind.id}", values)
            except JixiaoError:
                continue
            out.append(Rescore(name=ind.name, result=result, printed=table[ind.name], evidence=evidence,
                               note=spec.get("note", "")))
    return out


def rule_vs_score(doc: Document) -> list[Finding]:
    out = []
    for r in rescore_from_text(doc):
        if r.result.score == r.printed.score:
            continue
        diff = r.result.score - (r.printed.score or Decimal(0))
        out.append(Finding(
            doc=doc.id, kind="rule_vs_score", severity=_severity(diff),
            message=(f"「{r.name}」表中得分 {fmt(r.printed.score)} 分，按报告自身的评分规则和正文数据计算为 "
                     f"{fmt(r.result.score)} 分{r.note}。"),
            evidence=[*r.evidence, Evidence(page=r.printed.page, quote=r.printed.quote)],
            computation="；".join(r.result.trace),
        ))
    return out


def grade_vs_total(doc: Document) -> list[Finding]:
    if doc.total_score is None or not doc.grade:
        return []
    fw = framework_for(doc.id)
    bands = sorted(fw.grade_bands, key=lambda b: -b.ge) if fw else None
    if bands is None:  # the 财预〔2020〕10号 bands: 90 优, 80 良, 60 中, below 差
        expected = "优" if doc.total_score >= 90 else "良" if doc.total_score >= 80 else "中" if doc.total_score >= 60 else "差"
    else:
        expected = next(b.grade for b in bands if doc.total_score >= b.ge)
    synonyms = _patterns()["grade_synonyms"]
    stated = synonyms.get(doc.grade, doc.grade)
    if stated == synonyms.get(expected, expected):
        return []
    return [Finding(doc=doc.id, kind="grade_vs_total", severity="high",
                    message=f"总分 {fmt(doc.total_score)} 分对应等级应为「{expected}」，报告写为「{doc.grade}」。",
                    evidence=[Evidence(page=None, quote=doc.grade)])]


CHECKS = (narrative_vs_table, name_mismatches, figure_conflicts, arithmetic, rule_vs_score, grade_vs_total)


def check_document(doc: Document) -> list[Finding]:
    findings = [f for check in CHECKS for f in check(doc)]
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(findings, key=lambda f: order[f.severity])


def verbatim(doc_text: str, finding: Finding) -> bool:
    return all(squash(e.quote) in doc_text for e in finding.evidence)
