"""The problems section follows this year's scores: a problem about an indicator that now scores full
marks is marked (with its measures), and an indicator that now loses points but has no problem in the
old text gets a 〔待补〕 paragraph, with the scorer's numbers and the problem the figures file lists."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assistant.drafting.carried import CarriedParagraph, Entry, first_sentence
from assistant.drafting.quantities import Values
from assistant.drafting.vocab import Vocab
from assistant.figures import Figures
from assistant.ingest.model import Document, Paragraph
from assistant.scoring.sheet import IndicatorScore


def num(value: Decimal) -> str:
    """A score as printed in a note: 2.00 → 2, 0.20 → 0.2."""
    return f"{value.normalize():f}"


@dataclass
class ProblemsPlan:
    marks: dict[int, str] = field(default_factory=dict)  # paragraph index → why its problem may be gone
    added: dict[int, list[CarriedParagraph]] = field(default_factory=dict)  # after paragraph index → 〔待补〕


def _units(doc: Document, vocab: Vocab) -> tuple[list[list[int]], int] | None:
    """The problems section's units (a heading, or an enumerated paragraph, with what follows it) and the
    last paragraph before its measures; None when the report has no problems section."""
    spec = vocab.problems
    paras = doc.paragraphs
    start = next((i for i, p in enumerate(paras) if p.kind == "heading" and re.search(spec.section, p.text)),
                 None)
    if start is None:
        return None
    prefix = paras[start].heading_path
    units: list[list[int]] = []
    last_problem, in_measures = start, False
    for j in range(start + 1, len(paras)):
        p = paras[j]
        if p.heading_path[:len(prefix)] != prefix:
            break
        if p.kind == "heading" and re.search(spec.measures, p.text):
            in_measures = True
        if p.kind == "heading" or re.match(spec.unit_start, p.text) or not units:
            units.append([j])
        else:
            units[-1].append(j)
        if not in_measures:
            last_problem = j
    return units, last_problem


def plan_problems(doc: Document, vocab: Vocab, new: Values, figures: Figures) -> ProblemsPlan:
    found_units = _units(doc, vocab)
    if found_units is None:
        return ProblemsPlan()
    units, last_problem = found_units
    plan = ProblemsPlan()
    covered: set[str] = set()
    for unit in units:
        title = first_sentence(doc.paragraphs[unit[0]].text)
        ids = [k for k, pattern in vocab.problems.topics.items() if re.search(pattern, title)]
        found = [ind for ind in (new.indicator_by_id(k) for k in ids) if ind is not None]
        covered.update(ind.id for ind in found)
        if found and all(ind.score == ind.weight for ind in found):
            names = "、".join(f"“{ind.name}”得满分（{num(ind.score)} 分）" for ind in found)
            plan.marks[unit[0]] = f"本年{names}，此问题可能已不存在，请核对或删除"
            for j in unit[1:]:
                plan.marks[j] = "所述问题本年可能已不存在（见上）"
    where = doc.paragraphs[last_problem]
    added = [_missing(ind, where, vocab, figures) for ind in new.sheet.indicators
             if ind.deduction > 0 and ind.id not in covered]
    if added:
        plan.added[last_problem] = added
    return plan


def _missing(ind: IndicatorScore, where: Paragraph, vocab: Vocab, figures: Figures) -> CarriedParagraph:
    pattern = vocab.problems.topics.get(ind.id)
    listed = next((p for p in figures.problems if pattern and re.search(pattern, p)), None)
    path = " > ".join(where.heading_path)
    numbers = {"扣": num(ind.deduction), "分值": num(ind.weight), "得分": num(ind.score)}
    entries = [Entry(path, where.line, "", text, "renewed", f"scorer:{ind.rule_id}", "score",
                     reason=f"{ind.name}{label}（新增段落）", trace=ind.trace) for label, text in numbers.items()]
    text = f"〔待补：本年“{ind.name}”扣 {numbers['扣']} 分（分值 {numbers['分值']} 分，得分 {numbers['得分']} 分）"
    if ind.reason:
        text += f"；扣分原因：{ind.reason}"
    if listed:
        text += f"；数据文件所列问题：“{listed}”"
    text += "。原报告未述及此问题，请补写〕"
    entries.append(Entry(path, where.line, "", None, "marked", "〔待补〕", "problem", reason=f"{ind.name}新扣分"))
    return CarriedParagraph("text", list(where.heading_path), where.line, "", text, ["marked"], entries,
                            added=True)
