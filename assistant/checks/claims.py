"""A claim about a whole set ('满意度均在 95% 以上', '各项指标均已完成') against the report's own target
table, whose rows say otherwise."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.model import Finding
from assistant.checks.targets import actual_value, unmet
from assistant.checks.text import clip, ev, ev_target, patterns, rx, sentences
from assistant.ingest import Document


def floors(doc: Document) -> list[Finding]:
    out = []
    rule = re.compile(patterns()["rule_sentence"].replace("|以上|以下(?!方面)", "").replace("|目标", ""))
    for p, s in sentences(doc):
        for m in rx("claim_floor").finditer(s):
            if rule.search(s.replace(m.group(0), "")):
                continue  # a scoring rule or a target, not a statement of results
            floor = Decimal(m.group("value"))
            below = []
            for t in doc.targets:
                v = actual_value(t)
                if m.group("what") in "".join(t.levels) and v and v[1] == "%" and v[0] < floor:
                    below.append(t)
            if below:
                out.append(Finding(
                    doc=doc.id, kind="claim_vs_table", severity="medium", rule="claims.floors",
                    message=(f"正文称{m.group('what')}均在 {m.group('value')}% 以上，但表中 {len(below)} 项低于此："
                             + "、".join(f"{t.levels[-1]} {t.actual}" for t in below[:5]) + ("等" if len(below) > 5 else "") + "。"),
                    evidence=[ev(p, s)] + [ev_target(t) for t in below[:5]],
                ))
    return out


def all_met(doc: Document) -> list[Finding]:
    """'年度绩效指标均已完成' while a row of the target table misses its target."""
    missed = [(t, why) for t in doc.targets if (why := unmet(t))]
    if not missed:
        return []
    out = []
    for p, s in sentences(doc):
        m = rx("claim_all_met").search(s)
        if not m or re.search(r"得\s*\d|扣|未|不|部分|除", s):
            continue  # a scoring rule, or a claim already qualified
        out.append(Finding(
            doc=doc.id, kind="claim_vs_table", severity="medium", rule="claims.all_met",
            message=(f"正文称「{m.group(0)}」，但绩效目标表中 {len(missed)} 项未达到目标："
                     + "；".join(f"{t.levels[-1]}（{why}）" for t, why in missed[:5]) + "。"),
            evidence=[ev(p, s)] + [ev_target(t) for t, _ in missed[:5]],
        ))
        break  # one finding per report: the same rows contradict every such sentence
    return out


_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def counted_lists(doc: Document) -> list[Finding]:
    """A count the sentence itself spells out: the items named (in quotes, or inside one quote
    separated by 、) must be as many as it says. A list ending in 等 may be partial and is skipped."""
    out = []
    for p, s in sentences(doc):
        for m in rx("counted_list").finditer(s):
            if m.group("etc"):
                continue
            quoted = re.findall(r"“([^”“]+)”", m.group("items"))
            named = len(quoted) if len(quoted) > 1 else len(re.split(r"[、，,]", quoted[0]))
            said = int(m.group("n")) if m.group("n").isdigit() else _CN[m.group("n")]
            if named < 2 or named == said:
                continue
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity="medium", rule="claims.counted_lists",
                message=f"称 {m.group('n')} 个，但同句列举的是 {named} 个：{m.group('items').strip()}。",
                evidence=[ev(p, clip(s, m.start(), m.end()))],
            ))
    return out


CHECKS = (floors, all_met, counted_lists)
