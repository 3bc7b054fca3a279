"""The report's own scoring rule applied to the inputs its text prints (the framework's rules as data)."""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel

from assistant.checks.model import Evidence, Finding
from assistant.checks.text import ev, ev_record, patterns, sentences
from assistant.errors import JixiaoError
from assistant.ingest import Document, IndicatorRecord
from assistant.scoring import apply_rule
from assistant.scoring.engine import fmt
from assistant.scoring.framework import framework_for
from assistant.scoring.sheet import IndicatorScore


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
    found = list(sentences(doc))
    table = {r.name: r for r in doc.records if r.source == "table" and r.score is not None}
    out = []
    for ind_id, spec in patterns()["printed_inputs"].items():
        ind = next((i for i in fw.indicators if i.id == ind_id), None)
        if ind is None or ind.name not in table:
            continue
        read: dict[str, list[Decimal]] = {}
        evidence: list[Evidence] = []
        for key, pattern in spec["read"].items():
            r = re.compile(pattern)
            hit = next(((p, s, m) for p, s in found for m in [r.search(s)] if m), None)
            if hit is None:
                break
            p, sentence, m = hit
            read[key] = [Decimal(v.replace(",", "")) for v in m.groupdict().values()]
            evidence.append(ev(p, sentence))
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
            doc=doc.id, kind="rule_vs_score", severity="low" if abs(diff) <= Decimal("0.01") else "high",
            rule="rescore.rule_vs_score",
            message=(f"「{r.name}」表中得分 {fmt(r.printed.score)} 分，按报告自身的评分规则和正文数据计算为 "
                     f"{fmt(r.result.score)} 分{r.note}。"),
            evidence=[*r.evidence, ev_record(r.printed)],
            computation="；".join(r.result.trace),
        ))
    return out


CHECKS = (rule_vs_score,)
