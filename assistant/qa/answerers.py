"""Structured answers: from indicator records, report summaries, the heading tree and the scorer.
Each renders a template from prompts_templates/answers/ and cites the verbatim source of every number.
An answerer returns None when its slots are not filled; the pipeline then tries the next one and, in
the end, answers extractively from the retrieved sentences and table rows.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from assistant.check import rescore_from_text
from assistant.errors import JixiaoError
from assistant.ingest import Document, IndicatorRecord
from assistant.ingest.narrative import STATEMENT, explaining_part
from assistant.ingest.patterns import SENTENCE, squash
from assistant.qa import evidence
from assistant.qa.entities import Mention, leaves, name_key
from assistant.qa.model import Answer, Citation, IndicatorFacts
from assistant.qa.understand import Question, bare, project_names, qa_patterns
from assistant.scoring import apply_parts, apply_rule, part_names, text_rules
from assistant.scoring.framework import framework_for
from assistant.templating import render
from index.normalize import normalize

if TYPE_CHECKING:
    from assistant.api import Session

_EXPLAINS = re.compile(r"但|存在|例如|扣|未|不足|偏|问题|只|不够|不合理|模糊|缺口|原因|有待")


# ------------------------------------------------------------------ citations


def locate(doc: Document, quote: str) -> tuple[str, int | None]:
    """Heading path and page of the paragraph holding a quote."""
    key = squash(quote)[:60]
    for p in doc.paragraphs:
        if key and key in squash(p.text):
            return " > ".join(p.heading_path), p.page
    return "", None


def cite(doc: Document, quote: str, page: int | None = None, section: str | None = None) -> Citation:
    where, found_page = locate(doc, quote)
    return Citation(doc=doc.id, title=doc.title, section=section if section is not None else where,
                    page=page if page is not None else found_page, quote=quote)


def cite_unit(session: Session, u: evidence.Unit) -> Citation:
    doc = session.corpus.get(u.hit.doc)
    return Citation(doc=doc.id, title=doc.title, section=u.hit.section, page=u.hit.page, quote=u.text)


def facts(rec: IndicatorRecord, reason: str | None = None) -> IndicatorFacts:
    return IndicatorFacts(doc=rec.doc, levels=rec.levels, weight=rec.weight, score=rec.score,
                          deduction=rec.deduction, reason=reason if reason is not None else rec.reason, rule=rec.rule)


def decline(session: Session, what: str, nearest: list[Document] | None = None, intent: str = "none") -> Answer:
    docs = nearest or list(session.corpus)
    text = render("answers/decline.j2", what=what, nearest=docs[:5])
    return Answer(question="", answer=text, answered=False, intent=intent)


def around(text: str, name: str, sentences: int = 3) -> str:
    """The verbatim span from the sentence naming `name` through the next few sentences."""
    spans = list(SENTENCE.finditer(text))
    for i, m in enumerate(spans):
        if name in m.group(0):
            end = spans[min(i + sentences - 1, len(spans) - 1)].end()
            return text[m.start():end].strip()
    return text


# ------------------------------------------------------------------ one indicator


def twin_of(doc: Document, rec: IndicatorRecord) -> IndicatorRecord | None:
    """The narrative statement about a table row (or the row itself when it is one)."""
    if rec.source == "narrative":
        return rec
    return next((n for n in doc.records if n.source == "narrative" and n.linked_to == rec.id), None)


def effective(doc: Document, rec: IndicatorRecord) -> IndicatorRecord:
    """A table row whose 分值 cell is empty takes the weight its narrative statement gives."""
    if rec.weight is not None:
        return rec
    twin = twin_of(doc, rec)
    return rec.model_copy(update={"weight": twin.weight}) if twin is not None and twin.weight is not None else rec


def lost(rec: IndicatorRecord) -> Decimal | None:
    """Points a row lost: its 扣分 cell, else its 分值 less its 得分."""
    if rec.deduction is not None:
        return rec.deduction
    return rec.weight - rec.score if rec.weight is not None and rec.score is not None else None


def framework_rule(doc: Document, name: str):  # type: ignore[no-untyped-def]
    """The framework rule for an indicator, only where the framework is the one this report used."""
    fw = framework_for(doc.id)
    if fw is None:
        return None
    try:
        return fw, fw.indicator(name)
    except JixiaoError:
        hits = [i for i in fw.indicators if name in i.levels]
        return (fw, hits[0]) if len(hits) == 1 else None


def answer_indicator(session: Session, q: Question, doc: Document, rec: IndicatorRecord) -> Answer:
    """An indicator's 分值, 得分, 扣分, why (the report's own words), its rule, and a recomputation where
    the report prints the rule's inputs."""
    twin = twin_of(doc, rec)
    weight_from_text = rec.weight is None and twin is not None and twin.weight is not None
    if weight_from_text and twin is not None:  # the table prints no 分值 for this row; the narrative does
        rec = rec.model_copy(update={"weight": twin.weight})
    reason = rec.reason or (twin.reason if twin else None)
    related = None
    if not reason or (rec.deduction and not _EXPLAINS.search(explaining_part(reason))):
        related = _related_passage(session, doc, rec)
    rule_text, rule_source = rec.rule, None
    if not rule_text:
        fw_ind = framework_rule(doc, rec.name)
        if fw_ind:
            rule_source, ind = fw_ind
            rule_text = ind.rule.text.strip()
    rescore = next((r for r in rescore_from_text(doc) if r.name == rec.name), None)
    citations = [cite(doc, rec.quote, rec.page)]
    for ref in rec.confirmed_by[:1]:
        citations.append(cite(doc, ref.quote, ref.page))
    if rescore:
        quotes = list(dict.fromkeys(e.quote for e in rescore.evidence))
        pages = {e.quote: e.page for e in rescore.evidence}
        citations += [Citation(doc=doc.id, title=doc.title, section=locate(doc, x)[0], page=pages[x], quote=x) for x in quotes]
    if weight_from_text and twin is not None:
        citations.append(cite(doc, twin.quote, twin.page))
    explain = explaining_part(reason) if reason else None
    if explain:
        for part in explain.split(" … "):
            citations.append(cite(doc, part, twin.page if twin else rec.page))
    if related:
        citations.append(cite_unit(session, related))
    if rec.commentary:
        citations.append(cite(doc, rec.commentary))
    text = render("answers/deduction.j2", doc=doc, rec=rec, reason=explain, related=related.text if related else None,
                  commentary=rec.commentary,
                  rule=rule_text if (q.has("rule", "why") or not explain) else None, rule_source=rule_source,
                  rescore=rescore)
    return Answer(question=q.raw, answer=text, answered=True, intent="deduction", citations=citations,
                  indicator=facts(rec, reason), trace=rescore.result.trace if rescore else [])


def _related_passage(session: Session, doc: Document, rec: IndicatorRecord) -> evidence.Unit | None:
    """No reason column and no narrative: the report's own words on what fell short for it — the
    problem it lists about this indicator, else the passage search finds."""
    want = evidence.bigrams(rec.name)
    problems = sorted(items(doc, False), key=lambda i: -len(want & evidence.bigrams(i.title + i.body)))
    overlap = [len(want & evidence.bigrams(i.title + i.body)) / len(want) for i in problems[:2]] if want else []
    if overlap and overlap[0] >= 0.5 and (len(overlap) == 1 or overlap[0] > overlap[1]):
        it = problems[0]
        para = next((p for p in doc.paragraphs if p.kind == "text" and p.text and it.body.startswith(p.text[:30])), None)
        sentences = [m.group(0).strip() for m in SENTENCE.finditer(para.text)] if para is not None else []
        quote = "".join(sentences[:2]) if sentences else it.title
        if para is not None and quote and squash(quote) in squash(para.text):
            hit = SearchHitLike(doc=doc.id, section=" > ".join(para.heading_path), page=para.page, text=para.text,
                                passage_id=para.id)
            return evidence.Unit(hit=hit, text=quote, score=1.0, cover=1.0, covered=frozenset(), rank=0)  # type: ignore[arg-type]
    return _searched_passage(session, doc, rec)


@dataclass
class SearchHitLike:
    """A paragraph in the shape of a search hit, for citing it like one."""

    doc: str
    section: str
    page: int | None
    text: str
    passage_id: str
    kind: str = "paragraph"
    header: str = ""


def _searched_passage(session: Session, doc: Document, rec: IndicatorRecord) -> evidence.Unit | None:
    probe = Question(raw=rec.name, text=normalize(rec.name), search_text=f"{rec.name} 存在问题 不足 有待 原因")
    probe.asks = {"why"}
    hits = session.search(probe.search_text, k=8, mode="hybrid", docs={doc.id})
    want = evidence.bigrams(rec.name)
    units = [u for u in evidence.score_units(probe, hits, want) if u.cover >= 0.5 and u.hit.kind != "table"]
    best = next((u for u in units if _EXPLAINS.search(u.text)), None)
    if best is None:
        return None
    # '该问题主要涉及…财务合规性…此项需扣1分': the paragraph it closes says what the problem was
    spans = [m.group(0).strip() for m in SENTENCE.finditer(best.hit.text)]
    if best.text in spans:
        i = spans.index(best.text)
        start = max(0, i - 2)
        quote = best.hit.text[best.hit.text.find(spans[start]) : best.hit.text.find(best.text) + len(best.text)]
        best = evidence.Unit(hit=best.hit, text=quote.strip(), score=best.score, cover=best.cover,
                             covered=best.covered, rank=best.rank)
    return best


def answer_candidates(session: Session, q: Question, found: list[tuple[Document, IndicatorRecord]]) -> Answer:
    """The same indicator in several reports and the question names none: each, and ask which."""
    found = [(doc, effective(doc, rec)) for doc, rec in found]
    text = render("answers/deduction_candidates.j2", name=found[0][1].name, found=found)
    return Answer(question=q.raw, answer=text, answered=True, intent="deduction",
                  citations=[cite(doc, rec.quote, rec.page) for doc, rec in found],
                  candidates=[facts(rec) for _, rec in found])


# ------------------------------------------------------------------ groups (一级/二级 subtotals)


@dataclass
class Group:
    doc: Document
    level: int
    name: str
    records: list[IndicatorRecord]
    # groups of it whose lost points only the text states (rows of their own in a list of what lost
    # points; not counted again in its score)
    stated_groups: list[IndicatorRecord] = field(default_factory=list)

    @property
    def weight(self) -> Decimal | None:
        ws = [r.weight for r in self.records]
        return sum(ws, Decimal(0)) if all(w is not None for w in ws) else None  # type: ignore[arg-type]

    @property
    def score(self) -> Decimal:
        return sum((r.score or Decimal(0) for r in self.records), Decimal(0))


def _group_quote(doc: Document, g: Group) -> tuple[str | None, str | None]:
    """A line of the report that states the group's score (a 小计 row, a summary table row, a sentence
    '“效益”指标 30 分，得分 27 分'), and the 得分率 it prints."""
    score = f"{g.score.normalize():f}"
    name = name_key(g.name)
    number = re.compile(r"(?<![\d.])" + re.escape(score) + r"(?:\.0+)?(?![\d.])")
    for p in doc.paragraphs:
        flat = squash(p.text).replace(",", "")
        if p.kind == "heading" or not number.search(flat):
            continue
        # a table's own row: the name and the score on one line, not anywhere in the table
        for m in SENTENCE.finditer(p.text) if p.kind == "text" else re.finditer(r"[^\n]+", p.text):
            if m is None:
                continue
            s = m.group(0).strip()
            sflat = squash(s).replace(",", "")
            # the name with its score shortly after it ('效益指标23.25分'), not a name anywhere in a long row
            near = re.search(re.escape(name) + r".{0,40}?" + number.pattern, name_key(s)) or (
                name in name_key(s) and len(sflat) <= 80)
            if number.search(sflat) and (near or (sflat.startswith("小计") and _weight_in(g, sflat))):
                rate = re.search(r"(\d+(?:\.\d+)?%)", s[s.find(score[:2]):] if score[:2] in s else s)
                return s, rate.group(1) if rate else None
    return None, None


def _as_printed_rate(doc: Document, rate: Decimal, name: str = "") -> str:
    """A computed 得分率 written the way the report writes that value ('37.50%' in one report, '90%' in
    another): the form printed after the name, else the long form where the report prints it, else short."""
    full, short = f"{rate:f}%", f"{rate.normalize():f}%"
    text = " ".join(p.text for p in doc.paragraphs)  # (not squashed: table cells would run together)
    for form in (full, short):
        if name and re.search(re.escape(name) + r"[^。；\n]{0,80}?(?<![\d.])" + re.escape(form), text):
            return form
    return full if re.search(rf"(?<![\d.]){re.escape(full)}", text) else short


def _weight_in(g: Group, flat: str) -> bool:
    return g.weight is not None and f"{g.weight.normalize():f}" in flat


def group_of(m: Mention) -> Group:
    return Group(doc=m.doc, level=m.level, name=m.name, records=[effective(m.doc, r) for r in m.records])


def group_statement(doc: Document, name: str) -> IndicatorRecord | None:
    """The report's own sentence on a group ('产出数量指标分值 12 分，得分 11 分'): a narrative statement
    whose own name is the group's."""
    key = name_key(name)
    for n in doc.records:
        m = STATEMENT.search(n.quote) if n.source == "narrative" else None
        if m and name_key(m.group("name")) == key:
            return n
    return None


def answer_group(session: Session, q: Question, g: Group) -> Answer:
    """A 一级/二级 group: its subtotal, or which of its indicators lost points and why."""
    stated = group_statement(g.doc, g.name)
    if stated is not None and stated.weight is not None:
        # the report states the group's points in a sentence of its own: that is the answer, in its words
        text = render("answers/deduction.j2", doc=g.doc, rec=stated.model_copy(update={"levels": [g.name]}),
                      reason=explaining_part(stated.reason) if stated.reason else None, related=None,
                      commentary=None, rule=None, rule_source=None, rescore=None)
        citations = [cite(g.doc, stated.quote, stated.page)]
        if stated.reason:
            citations.append(cite(g.doc, explaining_part(stated.reason), stated.page))
        return Answer(question=q.raw, answer=text, answered=True, intent="group", citations=citations,
                      indicator=facts(stated))
    lost = [r for r in g.records + g.stated_groups if r.deduction]
    if q.numbers and lost:
        by_number = [r for r in lost if q.fits_points(r.score, r.deduction)]
        if by_number:
            lost = by_number
            if len(by_number) == 1 and q.has("why"):
                return answer_indicator(session, q, g.doc, by_number[0])
    wants_list = q.has("why", "items") and not q.has("total")
    quote, rate = _group_quote(g.doc, g)
    computed = (g.score / g.weight * 100) if g.weight else None
    if rate is not None and computed is not None and abs(Decimal(rate.rstrip("%")) - computed) > Decimal("0.5"):
        rate = None  # a percentage of the quoted line that is not this group's 得分率 (a rule's '≤100%')
    if rate is None and computed is not None:
        rate = _as_printed_rate(g.doc, computed.quantize(Decimal("0.01")), g.name)
    reasons = []
    if wants_list:
        for r in lost:
            twin = twin_of(g.doc, r)
            reason = r.reason or (twin.reason if twin else None)
            if not reason and q.has("why") and len(lost) <= 3:  # no reason column: the report's words on it
                related = _related_passage(session, g.doc, r)
                reason = related.text if related else None
            reasons.append((r, explaining_part(reason) if reason else None))
    # '为什么只得了2分' with one or two indicators to blame: their reasons in full, not a glimpse
    limit = 600 if q.has("why") and len(reasons) <= 2 else 160
    text = render("answers/group.j2", g=g, rate=rate, quote=quote, lost=reasons if wants_list else [],
                  list_lost=wants_list, limit=limit)
    citations = [cite(g.doc, quote)] if quote else []
    citations += [cite(g.doc, r.quote, r.page) for r, _ in reasons]
    citations += [cite(g.doc, part, r.page) for r, why in reasons if why for part in why.split(" … ")[:1]]
    if not citations:
        citations = [cite(g.doc, r.quote, r.page) for r in g.records[:6]]
    return Answer(question=q.raw, answer=text, answered=True, intent="group", citations=citations)


# ------------------------------------------------------------------ rules


_ASKS_DEFINITION = re.compile(r"界定|口径|定义|是指|指什么|认定|什么算|怎么算是|何为|defin")
_ASKS_FORMULA = re.compile(r"怎么算出来|怎么算的|如何算出|怎么计算|如何计算|计算公式|计算方法|how (?:is|was) .{0,40}calculated")
_DEFINES = re.compile(r"[^。；;\n]{1,20}?(?:：|:)\s*指[^。；;\n]+|[^。；;\n]{1,20}?是指[^。；;\n]+")


def _definitions(rec: IndicatorRecord, q: Question) -> list[str]:
    """Sentences of an indicator's row that define a term ('及时：指…'), the quoted term's first."""
    found = [m.group(0).strip() for t in (rec.explanation, rec.quote) if t for m in _DEFINES.finditer(t)]
    found = list(dict.fromkeys(f.lstrip("①②③④⑤；;，, ") for f in found))
    quoted = [t for t in q.quoted if any(t in f for f in found)]
    return [f for f in found if any(t in f for t in quoted)] if quoted else found[:2]


def answer_rule(session: Session, q: Question, doc: Document, rec: IndicatorRecord | None, name: str) -> Answer | None:
    """How an indicator is scored: the report's own 评分标准 where its table prints one, else the
    framework the report used."""
    if rec is not None and rec.rule:
        parts = [p.strip() for p in rec.rule.split(" … ") if p.strip()]
        # '“及时”是怎么界定的': the row's own definition of the term ('及时：指截至受补助当年12月31日，…')
        defined = [d for d in _definitions(rec, q) if d not in parts] if _ASKS_DEFINITION.search(q.text) else []
        if _ASKS_FORMULA.search(q.text) and rec.explanation and not defined:
            # '这个比率是怎么算出来的': the row's own explanation of the figure ('…人员数量…与在职人员总数（在编
            # +编外）的比率') before its scoring tiers
            # (its formula where it writes one: '满意度=〔非常满意×100%+…〕/…', not the sentence before it)
            # (each sentence of one stretch of the row: ' … ' joins cells the table printed apart)
            said = [m.group(0).strip() for part in rec.explanation.split(" … ") for m in SENTENCE.finditer(part)]
            defined = [x for x in said if re.search(r"[=＝×÷]", x)][:2] or said[:1]
        text = render("answers/rule.j2", name=rec.name, rule="\n".join(defined + parts), source=doc.title, framework=None)
        return Answer(question=q.raw, answer=text, answered=True, intent="rule",
                      citations=[cite(doc, p, rec.page) for p in (defined + parts)[:3]])
    fw_ind = framework_rule(doc, name)
    if fw_ind is None:
        return None
    fw, ind = fw_ind
    src = session.corpus.get(fw.source.doc) if _has(session, fw.source.doc) else doc
    lines = [ln for ln in ind.rule.text.strip().splitlines() if ln.strip()]
    text = render("answers/rule.j2", name=ind.name, rule="\n".join(lines), source=src.title, framework=fw)
    return Answer(question=q.raw, answer=text, answered=True, intent="rule",
                  citations=[cite(src, ln) for ln in lines[:3]])


def answer_rules_each(session: Session, q: Question, mentions: list[Mention]) -> Answer | None:
    """The same indicator's rule in every report that has one (the question names none)."""
    rows, citations = [], []
    for m in mentions[:5]:
        rec = m.records[0]
        if rec.rule:
            part = rec.rule.split(" … ")[0].strip()
            rows.append((m.doc, part, None))
            citations.append(cite(m.doc, part, rec.page))
            continue
        fw_ind = framework_rule(m.doc, rec.name)
        if fw_ind:
            fw, ind = fw_ind
            lines = [ln for ln in ind.rule.text.strip().splitlines() if ln.strip()]
            src = session.corpus.get(fw.source.doc) if _has(session, fw.source.doc) else m.doc
            rows.append((m.doc, " ".join(lines), fw.name))
            citations += [cite(src, ln) for ln in lines[:3]]
    if len(rows) < 2:
        return None
    text = render("answers/rules_each.j2", name=mentions[0].name, rows=rows)
    return Answer(question=q.raw, answer=text, answered=True, intent="rule", citations=citations)


def _has(session: Session, doc_id: str) -> bool:
    try:
        session.corpus.get(doc_id)
        return True
    except JixiaoError:
        return False


def answer_grade_bands(session: Session, q: Question, doc: Document) -> Answer | None:
    """'优良中差是按多少分划的': the report's own sentence on its grade bands."""
    for p in doc.paragraphs:
        for m in SENTENCE.finditer(p.text):
            s = m.group(0)
            if re.search(r"\d+\s*（?含?）?\s*[-—~至]\s*\d+\s*分?为\s*[“\"]?(优|良)", s) or re.search(r"\d+分?以上.{0,6}为.?优", s):
                text = render("answers/quote.j2", doc=doc, lead="等级划分", quotes=[s.strip()])
                return Answer(question=q.raw, answer=text, answered=True, intent="rule",
                              citations=[cite(doc, s.strip(), p.page)])
    return None


def answer_apply(session: Session, q: Question, doc: Document, name: str,
                 rec: IndicatorRecord | None = None) -> Answer | None:
    """A hypothetical value under the report's own rule: the framework it was scored with, else the
    rule its scoring table prints where that is a linear rule (text_rules)."""
    value = (q.percents or q.numbers)[0]
    fw_ind = framework_rule(doc, name)
    if fw_ind is not None:
        fw, ind = fw_ind
        bound = _strict_bound(q.text, value)
        by_part = _values_by_part(q, part_names(f"{fw.id}.{ind.id}"))
        try:
            if by_part:  # '“三公”经费控制率95%、日常公用经费控制率72.22%': each part its value
                _, result = apply_parts(f"{fw.id}.{ind.id}", by_part)
                bound = 0
            else:
                _, result = apply_rule(f"{fw.id}.{ind.id}", {"value": value})
            if bound:  # '超过10%得几分': the tier just past the value, where the rule gives one score there
                near = apply_rule(f"{fw.id}.{ind.id}", {"value": value + bound * Decimal("0.01")})[1]
                far = apply_rule(f"{fw.id}.{ind.id}", {"value": value + bound * Decimal("1")})[1]
                if near.score == far.score:
                    result = near
                else:
                    bound = 0
        except JixiaoError as exc:
            text = render("answers/apply_error.j2", name=ind.name, value=value, error=str(exc))
            return Answer(question=q.raw, answer=text, answered=False, intent="apply_rule")
        lines = [ln for ln in ind.rule.text.strip().splitlines() if ln.strip()]
        # quote the rule from the report in question where it prints it, else from the framework's source
        own = [ln for ln in lines if rec is not None and rec.rule and squash(ln) in squash(rec.rule)]
        src = doc if own else (session.corpus.get(fw.source.doc) if _has(session, fw.source.doc) else doc)
        printed = own or lines
        tier = _tier_line(printed, result.score)
        text = render("answers/apply.j2", fw=fw, result=result, value=value, unit="%" if q.percents else "",
                      bound={1: "超过 ", -1: "低于 "}.get(bound, ""), given=list(by_part.items()), tier=tier)
        citations = [cite(src, ln) for ln in ([tier] if tier else []) + [ln for ln in printed[:4] if ln != tier]]
        if not own and rec is not None and rec.rule and src.id != doc.id:
            # the report asked about prints the rule in its own words (its own punctuation): that cell
            parts = [p.strip() for p in rec.rule.split(" … ") if p.strip()]
            citations = [cite(doc, p, rec.page) for p in parts[:4]]
        return Answer(question=q.raw, answer=text, answered=True, intent="apply_rule",
                      citations=citations, trace=result.trace)
    rule = text_rules.parse(rec.rule) if rec is not None and rec.rule else None
    if rule is None or rec is None or rec.weight is None:
        return None
    score, trace = rule.score(rec.weight, value)
    text = render("answers/apply_text.j2", doc=doc, rec=rec, value=value, score=score, trace=trace)
    # the rule as printed: the cell's parts where a page break cut it
    parts = [p.strip() for p in rec.rule.split(" … ") if p.strip()] if rule.text not in rec.rule else [rule.text]
    return Answer(question=q.raw, answer=text, answered=True, intent="apply_rule",
                  citations=[cite(doc, p, rec.page) for p in parts], trace=trace)


def _tier_line(lines: list[str], score: Decimal) -> str | None:
    """The rule's printed line that gives the score reached ('2.5%≤比率≤10%的，得0.5分；'), where one does."""
    points = re.escape(f"{score.normalize():f}")
    hits = [ln.strip() for ln in lines if re.search(rf"得\s*{points}\s*分", ln)]
    return hits[0] if len(hits) == 1 else None


def _values_by_part(q: Question, names: list[str]) -> dict[str, Decimal]:
    """The value the question gives for each part of a rule, where it names every part with a
    percentage after it; empty otherwise."""
    if len(names) < 2:
        return {}
    text = bare(q.text)
    out: dict[str, Decimal] = {}
    for name in names:
        key = bare(name)
        m = re.search(re.escape(key) + r"(?:为|是|达到?|:|：)?(\d+(?:\.\d+)?)%", text)
        if not m:
            return {}
        out[name] = Decimal(m.group(1))
    return out


def _strict_bound(text: str, value: Decimal) -> int:
    """+1 for '超过10%' / '10%以上', -1 for '低于90%' / '不足90%', 0 for a value as such."""
    v = re.escape(f"{value.normalize():f}")
    if re.search(rf"(?:超过|超出|高于|大于|多于)\s*{v}|{v}\s*[%％]?\s*以上", text):
        return 1
    if re.search(rf"(?:低于|小于|不足|少于|不到)\s*{v}|{v}\s*[%％]?\s*以下", text):
        return -1
    return 0


# ------------------------------------------------------------------ reports: totals, who, kind


def total_quote(doc: Document) -> str | None:
    if doc.total_score is None:
        return None
    target = f"{doc.total_score.normalize():f}"
    for p in doc.paragraphs:
        if p.kind == "text" and target in p.text.replace(" ", "") and re.search(r"得分|评分|分为|得\d", p.text):
            for m in SENTENCE.finditer(p.text):
                if target in m.group(0).replace(" ", ""):
                    return m.group(0).strip()
    return None


def answer_totals(session: Session, q: Question, docs: list[Document]) -> Answer:
    rows = [(d, total_quote(d)) for d in docs]
    with_total = [(d, x) for d, x in rows if d.total_score is not None]
    if not with_total:
        names = "、".join(d.title for d in docs)
        return decline(session, f"{names}的综合得分（该报告没有评分）", docs, intent="total")
    lowest = bool(_RANK_LOW.search(q.text) or re.search(r"哪个.{0,6}低|谁.{0,4}低|lower", q.text))
    pick = min if lowest else max
    best = pick(with_total, key=lambda r: r[0].total_score or 0) if len(with_total) > 1 else None
    ranks = q.has("compare") or bool(_RANK_LOW.search(q.text) or _RANK_HIGH.search(q.text))
    # '…比…高多少': the difference of the two printed totals, shown with its computation
    gap = None
    if len(with_total) == 2 and re.search(r"(?:高|低|多|少|差|提高|下降)了?多少|相差|差距|difference|how much (?:higher|lower)", q.text):
        (a, _), (b, _) = sorted(with_total, key=lambda r: -(r[0].total_score or 0))
        gap = (a, b, a.total_score - b.total_score)
    text = render("answers/total.j2", rows=with_total, best=best[0] if best and ranks else None, gap=gap,
                  which="更低" if lowest else "更高",
                  # a report that scores nothing (a budget) beside two that do was only named by a shared word
                  missing=[d for d, _ in rows if d.total_score is None and (len(with_total) < 2 or leaves(d))])
    return Answer(question=q.raw, answer=text, answered=True, intent="total",
                  citations=[cite(d, x) for d, x in with_total if x])


_BASIS = re.compile(r"(?:根据|依据|按照|参照).{0,40}(?:《[^》]+》|〔\d{4}〕\s*\d+\s*号|\[\d{4}\]\s*\d+\s*号|通知|方案|办法)")
_PERIOD = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月.{0,12}(?:至|到|—|-|~).{0,12}\d{1,2}\s*月|评价(?:时间|期间|基准日)")
# the evaluation methods of 财预〔2020〕10号 (and the names reports give them), as a report defines them
_METHOD = re.compile(r"(?:成本效益分析|比较分析|比较|因素分析|最低成本|公众评判|标杆管理)法\s*(?:[：:（(]|是指)|评价方法(?:主要)?(?:包括|有|采用|为)")
_HEAD_FACT = re.compile(r"(评价机构|委托单位|项目单位|部门名称|单位名称|填报人|负责人|评价基准日|评价期间|评价对象)")


_ABOUT_EVALUATOR = re.compile(r"评价|评估|评的|机构|委托|第三方|自评|报告|编制|撰写|做的|谁做|开展|负责|单位|公司|"
                              r"evaluat|assess|commission|firm|agency|institution|prepared|conduct|carried out|review")


def answer_meta(session: Session, q: Question, doc: Document) -> Answer | None:
    """Who evaluated, what kind of report, which period: the report's metadata and its own words."""
    lines = []
    for p in doc.paragraphs[:40]:
        if _HEAD_FACT.search(p.text):
            for m in SENTENCE.finditer(p.text):
                s = m.group(0).strip()
                if _HEAD_FACT.search(s) and len(s) <= 160:
                    lines.append((p, s))
    lines = lines[:3]
    # what else the question asks of the report's head: the documents it follows, when it was done
    wanted = [rx for flag, rx in (("basis", _BASIS), ("when", _PERIOD), ("method", _METHOD)) if q.has(flag)]
    for rx in wanted:
        head = doc.paragraphs if rx is _METHOD else doc.paragraphs[:80]  # methods are set out where the report's method is
        extra = [(p, m.group(0).strip()) for p in head if p.kind == "text"
                 for m in SENTENCE.finditer(p.text) if rx.search(m.group(0)) and len(m.group(0)) <= 320]
        asked = evidence.bigrams(q.text)
        extra.sort(key=lambda x: -len(asked & evidence.bigrams(x[1])))  # '依据的是哪个工作方案': that one first
        if rx is _METHOD:  # '1. 评价方法' with '（1）比较法' '（2）因素分析法' as its headings
            extra = _method_headings(doc) + extra
        lines += [x for x in extra if x not in lines][: 5 if rx is _METHOD else 2]
    if not (q.has("who", "kind", "basis", "method") or lines):
        return None
    if q.has("who") and not q.has("kind", "basis", "method", "when") and not _ABOUT_EVALUATOR.search(q.text):
        return None  # '拿第一名的选手都是谁': people the report may list, not who wrote it
    text = render("answers/meta.j2", doc=doc, quotes=[s for _, s in lines], who=q.has("who"), kind=q.has("kind"))
    citations = [cite(doc, s, p.page) for p, s in lines] or [cite(doc, doc.title)]
    return Answer(question=q.raw, answer=text, answered=True, intent="meta", citations=citations)


def _method_headings(doc: Document) -> list[tuple]:  # type: ignore[type-arg]
    """The headings under a section titled 评价方法, as (paragraph, title) pairs."""
    out: list[tuple] = []  # type: ignore[type-arg]
    stack = list(doc.sections)
    while stack:
        s = stack.pop(0)
        if re.search(r"评价方法", s.title) and s.children:
            inner = next((c for c in s.children if re.search(r"评价方法", c.title)), None)
            if inner is not None and inner.children:  # '（四）评价方法和标准' > '1. 评价方法' > '（1）比较法'
                stack.insert(0, inner)
                continue
            if inner is not None:  # '3.评价方法' whose methods are paragraphs, not headings: read as sentences
                return out
            for c in s.children[:6]:
                para = next((p for p in doc.paragraphs if p.line == c.line), None)
                if para is not None:
                    out.append((para, c.title.strip()))
            return out
        stack = s.children + stack
    return out


# ------------------------------------------------------------------ problems and measures

_PROBLEM_TITLE = re.compile(r"存在的?问题|问题及原因|主要问题|不足")
_MEASURE_TITLE = re.compile(r"建议|改进措施|整改措施|对策|改进方向|下一步")
_NOT_ITEMS = re.compile(r"经验|做法|成效|满意度问题|开放性问题|基本问题|问题清单|调查")
_ITEM_START = re.compile(r"^(?:[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[、.．]|[一二三四五六七八九十]是|首先|其次|最后)")


@dataclass
class Item:
    doc: Document
    title: str  # the item's heading or its first sentence, verbatim
    body: str
    page: int | None
    section: str


def _section_paragraphs(doc: Document, section_line: int, end_line: int | None):  # type: ignore[no-untyped-def]
    for p in doc.paragraphs:
        if p.line > section_line and (end_line is None or p.line < end_line):
            yield p


def items(doc: Document, measures: bool) -> list[Item]:
    """The report's own numbered problems (or measures): the items under its 存在问题 / 改进措施 headings."""
    out: list[Item] = []
    flat = []

    def walk(sections, parent_end=None):  # type: ignore[no-untyped-def]
        for i, s in enumerate(sections):
            end = sections[i + 1].line if i + 1 < len(sections) else parent_end
            flat.append((s, end))
            walk(s.children, end)

    walk(doc.sections)
    title_rx = _MEASURE_TITLE if measures else _PROBLEM_TITLE
    read: list[tuple[int, int | None]] = []  # the spans already read as lists of items
    for s, end in flat:
        if not title_rx.search(s.title) or _NOT_ITEMS.search(s.title):
            continue
        if any(start < s.line and (stop is None or s.line < stop) for start, stop in read):
            continue  # an item whose title says 不足 ('3.…资金分配科学性不足') is not a list of its own
        if any(_PROBLEM_TITLE.search(c.title) or _MEASURE_TITLE.search(c.title) for c in s.children
               if not re.match(r"^\d", c.title)):
            continue  # a part whose sections are themselves problems/measures: they are read instead
        read.append((s.line, end))
        both = bool(_PROBLEM_TITLE.search(s.title) and _MEASURE_TITLE.search(s.title))
        children = [c for c in s.children if not (measures is False and _MEASURE_TITLE.search(c.title))]
        if measures and both:
            children = [c for c in s.children if _MEASURE_TITLE.search(c.title)]
            if not children:  # measures written inside each problem ('改进措施：…')
                for k, c in enumerate(s.children):
                    c_end = s.children[k + 1].line if k + 1 < len(s.children) else end
                    for p in _section_paragraphs(doc, c.line, c_end):
                        for m in SENTENCE.finditer(p.text):
                            if re.match(r"\s*(改进措施|整改措施|建议)", m.group(0)):
                                out.append(Item(doc, m.group(0).strip(), p.text, p.page, c.title))
                continue
            for c in children:
                out += _items_in(doc, c, end)
            continue
        if children:
            for i, c in enumerate(children):
                c_end = children[i + 1].line if i + 1 < len(children) else end
                body = " ".join(p.text for p in _section_paragraphs(doc, c.line, c_end) if p.kind == "text")
                out.append(Item(doc, re.sub(r"\s+", " ", c.title), body, c.page, s.title))
            continue
        out += _items_in(doc, s, end)
    seen: set[str] = set()
    unique = [i for i in out if not (i.title in seen or seen.add(i.title))]  # type: ignore[func-returns-value]
    # the report's own findings come before its annexes (a survey's open answers are not its findings)
    body = [i for i in unique if not _in_annex(doc, i)]
    return body or unique


_LIST_TITLE = re.compile(r"问题清单")
_LIST_ROW = re.compile(r"^(\d{1,3})\s+(\S.*)")


def list_table_items(doc: Document) -> list[Item]:
    """A report's problem list printed as a table ('附件2：绩效评价问题清单': 序号 问题描述 具体表现): one
    item a numbered row, in its own order."""
    out: list[Item] = []
    for p in doc.paragraphs:
        if p.kind == "table_row" and any(_LIST_TITLE.search(h) for h in p.heading_path):
            m = _LIST_ROW.match(p.text.strip())
            if m and int(m.group(1)) == len(out) + 1:
                cells = [c for c in re.split(r"\t|\s{2,}", m.group(2)) if c.strip()]
                out.append(Item(doc, cells[0].strip(), p.text.strip(), p.page, p.heading_path[-1]))
    return out


def _in_annex(doc: Document, item: Item) -> bool:
    annex = next((s.line for s in doc.sections if s.level == 0 and re.match(r"^附件|^附表", s.title)), None)
    para = next((p for p in doc.paragraphs if p.text.startswith(item.title[:10]) or item.title[:10] in p.text), None)
    return annex is not None and para is not None and para.line > annex


def _items_in(doc: Document, s, end) -> list[Item]:  # type: ignore[no-untyped-def]
    paras = [p for p in _section_paragraphs(doc, s.line, s.children[0].line if s.children else end) if p.kind == "text"]
    numbered = [p for p in paras if _ITEM_START.match(p.text)]
    if numbered and _number_style(numbered[0].text) in ("paren", "digit"):
        # items numbered '（4）…': '一是…' under one of them is its body, not an item of its own
        numbered = [p for p in numbered if _number_style(p.text) in ("paren", "digit")]
    chosen = numbered or paras
    out = []
    for p in chosen:
        first = SENTENCE.search(p.text)
        title = first.group(0).strip() if first else p.text[:80]
        if re.match(r"^\d\s*[、.．]\s*(存在的?问题|改进措施)", title) and len(chosen) > 1:
            continue  # a run-in heading ('1、存在的问题。通过本次…'), not an item
        body = p.text
        if numbered:  # '（2）规范编外人员用工。' and the unnumbered paragraphs after it that say how
            after = paras[paras.index(p) + 1 :]
            for q in after:
                if q in numbered:
                    break
                body += q.text
        out.append(Item(doc, title, body, p.page, s.title))
    return out


_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]+)(?:个|条|项|点)")


def answer_named_item(session: Session, q: Question, docs: list[Document]) -> Answer | None:
    """'预算绩效管理有待加强具体表现在哪': a problem or measure the question names by its own title
    (nearly verbatim), with its details, though it never says 问题 or 措施."""
    from rapidfuzz import fuzz

    bare = re.sub(r"\s", "", q.text)
    best: tuple[float, Item, bool] | None = None
    for measures in (False, True):
        for it in (i for d in docs for i in items(d, measures)):
            core = re.sub(r"[，,。.、；;\s]", "", re.sub(r"^[一二三四五六七八九十]是", "", _ITEM_START.sub("", it.title.strip())))
            if len(core) < 6:
                continue
            ratio = fuzz.partial_ratio(core, bare)
            if ratio >= 80 and (best is None or ratio > best[0]):
                best = (ratio, it, measures)
    if best is None:
        return None
    _, it, measures = best
    return answer_items(session, dataclasses.replace(q, asks=q.asks | {"measures" if measures else "problems"}), docs,
                        pick=it)


def answer_items(session: Session, q: Question, docs: list[Document], only_one: bool = False,
                 pick: Item | None = None) -> Answer | None:
    """The report's numbered problems or measures; the one the question speaks of, with its details.
    `only_one`: None unless the question selects one item; `pick`: that item, chosen already."""
    measures = q.has("measures") and not (q.has("problems") and not re.search(r"改|建议|措施|对策|整治|主意|怎么整|解决|measure|recommend|propose|fix|rectif|improv", q.text))
    if measures and q.has("problems") and _LISTS_PROBLEMS.search(q.text) and not only_one:
        # '存在哪些问题，怎么整改': both lists, the problems first
        both = [answer_items(session, dataclasses.replace(q, asks=q.asks - {"measures"}), docs),
                answer_items(session, dataclasses.replace(q, asks=q.asks - {"problems"}), docs)]
        if all(both):
            first, second = both
            return first.model_copy(update={"answer": f"{first.answer.rstrip()}\n\n{second.answer}",
                                             "citations": [*first.citations, *second.citations]})
    listed = [i for d in docs for i in list_table_items(d)] if "清单" in q.text and not measures else []
    found = listed or [i for d in docs for i in items(d, measures)]
    if not found:
        return None
    from assistant.ingest.structure import cn_number

    # the staff's words with the report's ('政采' → 政府采购), less the words every item list has
    want = evidence.content_bigrams(q, idents_of(session, docs)) - evidence.bigrams(" ".join(qa_patterns()["item_asking_words"]))
    # (nor the report's own project name: '龙岗经济与科技发展专项资金评价发现了什么问题' asks every problem,
    # not the one that says 专项资金)
    want -= evidence.bigrams(" ".join(project_names(docs)))
    chosen = found
    ordinal = _ORDINAL.search(q.text)
    detail = False
    if pick is not None:
        chosen, detail = [pick], True
    elif ordinal:
        g = ordinal.group(1)
        n = int(g) if g.isdigit() else cn_number(g)
        if n and n <= len(found):
            chosen, detail = [found[n - 1]], True
    elif want and (not q.has("items") or re.search(r"针对|关于|对于", q.text)
                   # ('Which host city…' of the problem with 地市配套资金: 'which' asks a name, not a list)
                   or (_english(q) and re.search(r"[\u4e00-\u9fff]{4,}", q.text))):  # '针对…的问题，提出了哪些措施
        hits = session.search(q.search_text, k=10, mode="hybrid", docs={d.id for d in docs})
        # an English question's words come through the glossary, the report's subject among them: only
        # a clear lead picks one item
        english = _english(q)
        best = _select(found, want, hits, session.search_index.keyword.idf, bar=0.5 if english else 0.25)
        if best is None and measures:
            # a report numbers its measures as it numbers its problems: the measure answering the
            # problem the question speaks of
            problems = [i for d in docs for i in items(d, False)]
            hit_problem = _select(problems, want, hits, session.search_index.keyword.idf)
            own = _own_measure(hit_problem) if hit_problem is not None else []
            if own and hit_problem is not None:
                # ('改进措施：进一步加强绩效指标动态化管理…' written under the problem itself)
                text = render("answers/items.j2", items=[(hit_problem, own)], measures=True, detail=True)
                return Answer(question=q.raw, answer=text, answered=True, intent="measures",
                              citations=[cite(hit_problem.doc, hit_problem.title, hit_problem.page),
                                         *(cite(hit_problem.doc, x, hit_problem.page) for x in own)])
            if hit_problem is not None and len(problems) == len(found):
                best = found[problems.index(hit_problem)]
            elif hit_problem is not None and (n := _item_number(hit_problem.title)) is not None:
                # '（4）调整资金累计超过…' answered by '（4）减少预算调整、调剂的发生…' though other lists follow
                best = next((m for m in found if _item_number(m.title) == n), None)
        if best is not None:
            chosen, detail = [best], True
    if only_one and not detail:
        return None
    # every item with its first sentences: a title alone ('2. 政府采购执行率有待提高') says not how far
    # short, and '存在的问题及原因' asks for that; a long list stays a list of titles
    explain_all = not detail and (len(chosen) <= 6 or bool(re.search(r"原因|具体|详细|表现", q.text))) and len(chosen) <= 8
    quotes = []
    for it in chosen[:8]:
        body_sentences = [m.group(0).strip() for m in SENTENCE.finditer(it.body) if m.group(0).strip() != it.title]
        if not measures:  # a problem's measure written under it ('改进措施：…') is not the problem
            body_sentences = list(itertools.takewhile(lambda x: not _MEASURE_LEAD.match(x), body_sentences))
        if detail and want:  # the first sentence, the item's own parts (一是…二是…), those that speak to the question
            ranked = sorted(body_sentences[1:], key=lambda x: -len(want & evidence.bigrams(x)))[:3]
            body_sentences = [x for x in body_sentences
                              if x in ranked or x == body_sentences[0] or _SUB_ITEM.match(x)][:6]
        quotes.append((it, body_sentences[:6] if detail else body_sentences[:2] if explain_all else []))
    text = render("answers/items.j2", items=quotes, measures=measures, detail=detail)
    citations = [cite(it.doc, it.title, it.page) for it, _ in quotes]
    citations += [cite(it.doc, s, it.page) for it, ss in quotes for s in ss]
    return Answer(question=q.raw, answer=text, answered=True, intent="measures" if measures else "problems",
                  citations=citations)


def _own_measure(problem: Item) -> list[str]:
    """The measure a report writes under a problem itself ('改进措施：…'): its sentences from that lead on."""
    sentences = [m.group(0).strip() for m in SENTENCE.finditer(problem.body) if m.group(0).strip()]
    start = next((i for i, x in enumerate(sentences) if _MEASURE_LEAD.match(x)), None)
    return sentences[start:start + 4] if start is not None else []


def _english(q: Question) -> bool:
    return len(re.findall(r"[a-z]", q.text)) > 3 * len(re.findall(r"[\u4e00-\u9fff]", q.raw))


_MEASURE_LEAD = re.compile(r"(?:改进|整改)(?:措施|建议|方向)\s*[:：]|建议\s*[:：]")


def _number_style(text: str) -> str:
    """How an item is numbered: '（n）', 'n、', 'X是', or words ('首先')."""
    t = text.lstrip()
    if re.match(r"[（(]", t):
        return "paren"
    if re.match(r"\d", t):
        return "digit"
    if re.match(r"[一二三四五六七八九十]是", t):
        return "shi"
    return "word"


def _item_number(title: str) -> int | None:
    """The number an item is written under: （4）, 4. , 四是 → 4."""
    from assistant.ingest.structure import cn_number

    m = re.match(r"\s*(?:[（(]\s*([一二三四五六七八九十\d]+)\s*[）)]|(\d{1,2})\s*[、.．]|([一二三四五六七八九十])是)", title)
    if not m:
        return None
    g = next(x for x in m.groups() if x)
    return int(g) if g.isdigit() else cn_number(g)


# the parts an item is written in ('一是办赛资金收支两条线。', '（2）…')
_SUB_ITEM = re.compile(r"\s*(?:[一二三四五六七八九]是|（\d{1,2}）|\(\d{1,2}\))")


# asks for the list of problems, not about one problem it names ('这个问题打算咋改')
_LISTS_PROBLEMS = re.compile(r"(哪些|什么|啥|存在的?|主要)(问题|不足|短板)|问题有哪|不足之处|短板|薄弱环节|problems and")


def _select(found: list[Item], want: set[str], hits: list,  # type: ignore[type-arg]
            weight: Callable[[str], float] | None = None, bar: float = 0.25) -> Item | None:
    """The item the question speaks of: its words, and where the search found the question."""

    def rank(it: Item) -> int:
        return next((r for r, h in enumerate(hits) if h.text[:40] in it.body or it.title[:20] in h.text), 99)

    grams = [evidence.bigrams(i.section + i.title + i.body) for i in found]
    if len(found) >= 2:  # only words that tell the items apart select one ('这个项目存在啥问题' asks for all)
        want = {b for b in want if sum(b in g for g in grams) <= max(1, len(found) // 2)}
    if not want or (bar > 0.25 and len(want) < 2):  # an English question: one glossary word is no choice
        return None
    w = weight or (lambda _b: 1.0)
    # of the asked words that some item holds, the share this item holds, rare words counting more
    # ('赞助' tells the measure apart, '资金' hardly)
    total = sum(w(b) for b in want & set().union(*grams)) or 1.0
    scored = sorted(((sum(w(b) for b in want & g) / total - 0.03 * min(rank(i), 10), i)
                     for i, g in zip(found, grams, strict=True)), key=lambda x: -x[0])
    if scored and scored[0][0] >= bar and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.05):
        return scored[0][1]
    return None


def idents_of(session: Session, docs: list[Document]):  # type: ignore[no-untyped-def]
    from assistant.qa.scope import identities

    ids = {d.id for d in docs}
    return [i for i in identities(session.corpus) if i.doc.id in ids]


# ------------------------------------------------------------------ a section the question names

_SECTION_CORE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]?)\s*")


_JOINERS = re.compile(r"[和及与、]")


def answer_section(session: Session, q: Question, docs: list[Document]) -> Answer | None:
    """'福田科工信局2024年有哪些亮点', '部门职责是什么': the section whose own title the question names
    (or the lexicon's word for it), its parts listed, else its first sentences."""
    want = evidence.content_bigrams(q, idents_of(session, docs))
    best: tuple[float, Document, object] | None = None
    for doc in docs:
        for sec, _depth in _flat_sections(doc):
            core = re.sub(r"[，,。.、：:\s]", "", _SECTION_CORE.sub("", sec.title.strip()))
            if len(core) < 3 or re.match(r"^(附件|附表|表\s*\d)", sec.title) or not re.fullmatch(r"[\u4e00-\u9fff、]+", core):
                continue
            shared = want & evidence.bigrams(core)
            # the whole title in the question, or most of what the question asks in the title
            # ('主要经验和做法' names 「主要经验及做法」: the joining word is not the title)
            fit = 2.0 + len(core) / 100 if _JOINERS.sub("", core) in _JOINERS.sub("", q.search_text) else (
                len(shared) / len(want) if want and len(shared) >= 2 else 0.0)
            if fit >= 0.5 and (best is None or fit > best[0]):
                best = (fit, doc, sec)
    if best is None:
        return None
    _, doc, sec = best
    kids = [c for c in sec.children if c.title.strip()][:8]  # type: ignore[attr-defined]
    end = _section_end(doc, sec)
    paras = [p for p in _section_paragraphs(doc, sec.line, end) if p.kind == "text"]  # type: ignore[attr-defined]
    sentences = [m.group(0).strip() for p in paras[:5] for m in SENTENCE.finditer(p.text) if m.group(0).strip()][:5]
    if not kids and not sentences:
        return None
    # each part with the start of what it says ('1. 扎实推进…' → '…做到…同步批复的“三个同步”')
    leads = [_lead_sentence(doc, c) for c in kids]
    text = render("answers/section.j2", doc=doc, title=sec.title.strip(),
                  kids=[(c.title.strip(), lead) for c, lead in zip(kids, leads, strict=True)],  # type: ignore[attr-defined]
                  sentences=[] if kids else sentences, page=sec.page)  # type: ignore[attr-defined]
    quotes = ([c.title.strip() for c in kids] + [x for x in leads if x]) or sentences  # type: ignore[attr-defined]
    return Answer(question=q.raw, answer=text, answered=True, intent="section",
                  citations=[cite(doc, x) for x in quotes])


def _lead_sentence(doc: Document, sec, limit: int = 160) -> str | None:  # type: ignore[no-untyped-def]
    """The first sentence of a section's own text, its first `limit` characters (a verbatim prefix)."""
    paras = [p for p in _section_paragraphs(doc, sec.line, _section_end(doc, sec)) if p.kind == "text"]
    first = next((m.group(0).strip() for p in paras[:1] for m in SENTENCE.finditer(p.text) if m.group(0).strip()), None)
    return first[:limit] if first else None


def _flat_sections(doc: Document) -> list[tuple]:  # type: ignore[type-arg]
    """Every heading of a report in reading order, with its depth."""
    flat: list[tuple] = []  # type: ignore[type-arg]

    def walk(secs, depth):  # type: ignore[no-untyped-def]
        for x in secs:
            flat.append((x, depth))
            walk(x.children, depth + 1)

    walk(doc.sections, 0)
    return flat


def _section_end(doc: Document, sec) -> int | None:  # type: ignore[no-untyped-def]
    """The line where the section ends: the next heading at its level or above."""
    flat = _flat_sections(doc)
    depth = next(d for x, d in flat if x is sec)
    after = [x.line for x, d in flat if x.line > sec.line and d <= depth]
    return min(after) if after else None


# ------------------------------------------------------------------ ranking a report's indicators

_RANK_LOW = re.compile(r"最低|最少|最小|最差|最弱|最薄弱|lowest|least|fewest|weakest|worst")
_RANK_HIGH = re.compile(r"最高|最多|最大|最好|最强|highest|most\b|strongest|best")
# a report's parts asked without a level ('哪一块最弱', '哪个方面最好'): its top-level groups
_TOP_PARTS = re.compile(r"哪一?块|哪一?部分|哪个?方面|哪一?板块|哪个维度|which (part|area|dimension)")
_LEVEL_WORD = re.compile(r"([一二三四])级指标")


def answer_ranked(session: Session, q: Question, doc: Document, under: Mention | None = None) -> Answer | None:
    """'得分率最低的二级指标是哪个', '扣分最多的指标': the report's indicators (or a level's groups)
    ranked by what the question names, from the scoring table's own points; `under`: only those under
    the part the question names ('过程指标下面哪个三级指标得分最低')."""
    low, high = _RANK_LOW.search(q.text), _RANK_HIGH.search(q.text)
    if bool(low) == bool(high):
        return None
    text = q.text
    if re.search(r"得分率|完成率|scor(e|ing) rate|percentage of", text):
        measure, label = "rate", "得分率"
    elif re.search(r"扣分|扣.{0,2}分|丢分|失分|丢.{0,2}分|\blos[te]\b|deduct", text):
        measure, label = "lost", "扣分"
    elif re.search(r"分值|权重|占分|\bweight", text):
        measure, label = "weight", "分值"
    elif "得分" in text or re.search(r"分(最|数)|\bscor", text):
        measure, label = "score", "得分"
    elif re.search(r"最弱|最薄弱|最差|最强|最好|weakest|strongest|worst|best|[评打]分表|哪项|哪个指标|哪一项", text):
        # how well, not how many points ('打分表上最低的是哪项')
        measure, label = "rate", "得分率"
    else:
        return None
    records = [effective(doc, r) for r in (under.records if under else leaves(doc))]
    records = [r for r in records if r.weight is not None and r.score is not None]
    if len(records) < 2:
        return None
    lv = _LEVEL_WORD.search(text)
    depth = max(len(r.levels) for r in records)
    level = "一二三四".index(lv.group(1)) if lv else 0 if _TOP_PARTS.search(text) and depth > 1 else depth - 1
    if level >= depth - 1:
        items = [Group(doc=doc, level=len(r.levels) - 1, name=r.name, records=[r]) for r in records]
        level_label = f"{lv.group(0)}中" if lv else "各指标中"
    else:
        by_name: dict[str, list[IndicatorRecord]] = {}
        for r in records:
            if len(r.levels) > level + 1:
                by_name.setdefault(r.levels[level], []).append(r)
        items = [Group(doc=doc, level=level, name=n, records=rs) for n, rs in by_name.items()]
        level_label = f"{lv.group(0)}中" if lv else "各部分中"
    if len(items) < 2:
        return None

    def value(g: Group) -> Decimal:
        w = g.weight or Decimal(0)
        return {"rate": g.score / w if w else Decimal(0), "lost": w - g.score, "weight": w, "score": g.score}[measure]

    ranked = sorted(items, key=value, reverse=bool(high))
    best = value(ranked[0])
    if measure == "lost" and best == 0:
        return None
    top = [g for g in ranked if value(g) == best]

    def rate(g: Group) -> str | None:
        if not g.weight:
            return None
        return _as_printed_rate(doc, (g.score / g.weight * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), g.name)

    rest = [g for g in ranked if g not in top][:3]
    if under:
        level_label = f"「{under.name}」下{level_label}"
    answer_text = render("answers/ranked.j2", doc=doc, level_label=level_label, measure_label=label, measure=measure,
                         direction="低" if low else ("多" if measure == "lost" and high else "高"),
                         top=[(g, rate(g)) for g in top], rest=[(g, rate(g)) for g in rest], count=len(items))
    citations = [cite(doc, r.quote, r.page) for g in top for r in g.records[:3] if r.quote]
    if q.has("why") and measure in ("lost", "rate", "score") and all(len(g.records) == 1 for g in top):
        # '哪项扣分最多？为什么扣？': the report's reason for each, after the ranking
        for g in top[:2]:
            why = answer_indicator(session, q, doc, g.records[0])
            answer_text = f"{answer_text.rstrip()}\n\n{why.answer}"
            citations += why.citations
    return Answer(question=q.raw, answer=answer_text, answered=True, intent="group", citations=citations)


# ------------------------------------------------------------------ several reports


def answer_compare(session: Session, q: Question, docs: list[Document], mentions: list[Mention]) -> Answer | None:
    """The same indicator, figure or rule in each report named, side by side (and which is higher)."""
    rows, citations = [], []
    by_doc = {m.doc.id: m for m in mentions if m.is_leaf}
    wants_figure = bool(q.quantity & {"percent", "money", "count"})
    for doc in docs:
        m = by_doc.get(doc.id)
        rec = effective(doc, m.records[0]) if m else None
        value = None
        if rec is not None and q.has("rule"):
            rule = (rec.rule or "").split(" … ")[0] or None
            if rule is None:
                fw_ind = framework_rule(doc, rec.name)
                rule = " ".join(fw_ind[1].rule.text.strip().splitlines()[:5]) if fw_ind else None
                src = session.corpus.get(fw_ind[0].source.doc) if fw_ind and _has(session, fw_ind[0].source.doc) else doc
                if fw_ind:
                    citations += [cite(src, ln) for ln in fw_ind[1].rule.text.strip().splitlines()[:5] if ln.strip()]
            else:
                citations.append(cite(doc, rule, rec.page))
            value = rule
        elif rec is None or wants_figure:
            units = found = evidence.find(session, q, [doc], named=docs)
            # a report without the indicator the others score ('罗湖…部门预算' beside 罗湖's 项目 report)
            # answers only with a line that names it and states the kind of number asked
            strict = bool(by_doc) and rec is None
            if wants_figure:  # '编外人员控制率分别是多少': a line that states a rate, before one that names it
                units = [u for u in units[:5] if evidence.states_asked_kind(u.text, q)] or units
                if rec is not None:  # (the indicator's own rate, not '日常公用经费控制率 72.22%' beside it, nor its rule's bounds)
                    def own(us: list[evidence.Unit], name: str = rec.name) -> list[evidence.Unit]:
                        # (a rate's name asks a percentage, whatever else '整体支出自评' says: not an amount too)
                        kind = dataclasses.replace(q, quantity={"percent"}) if "percent" in q.quantity and name.endswith("率") else q
                        return [u for u in us if name in u.text.replace(" ", "") and evidence.states_asked_kind(u.text, kind)
                                and not evidence.is_rule_line(u.text)][:1]
                    probe = dataclasses.replace(q, search_text=f"{rec.name} {rec.name} {q.search_text}")
                    units = own(found) or own(evidence.find(session, probe, [doc], k=20, named=docs)) or units
            if units and units[0].cover >= (0.5 if strict else 0.3) and (not strict or evidence.states_asked_kind(units[0].text, q)):
                value = units[0].text
                citations.append(cite_unit(session, units[0]))
        if rec is not None:
            citations.append(cite(doc, rec.quote, rec.page))
        if rec is None and value is None:
            continue
        rows.append({"doc": doc, "rec": rec, "value": value})
    if len(rows) < 2:
        return None
    higher = _higher(q, rows)
    text = render("answers/compare.j2", rows=rows, higher=higher)
    return Answer(question=q.raw, answer=text, answered=True, intent="compare", citations=citations)


def _higher(q: Question, rows: list[dict]) -> str | None:
    if not re.search(r"哪个|哪份|哪家|谁|higher|lower|highest|lowest|更高|更低|最高|最低", q.text):
        return None
    lowest = bool(re.search(r"低|少|lower|lowest|least", q.text))
    vals = []
    for r in rows:
        text = re.sub(r"\s", "", r["value"] or "")
        # the rate the row names, right after its name ('执行率为99.19%'), else the line's only percentage:
        # a line of several rates ('加权平均值为87.93%，集训基地…为100%') says not which is this one
        name = re.sub(r"\s", "", r["rec"].name if r["rec"] is not None else (evidence.rate_name(q) or ""))
        # (the name standing on its own: '，预算执行率为92.23%', not '集训基地预算执行率为100%')
        said = {m.group(2) for m in re.finditer("(" + "|".join(re.escape(n) for n in {name, name[-3:]} if len(n) >= 3)
                                                 + r")(?:为|达到|达|是|:|：)?(\d+(?:\.\d+)?)%", text)
                if len(name) >= 3 and (m.start() == 0 or not re.match(r"[\u4e00-\u9fff]", text[m.start() - 1]))}
        every = set(re.findall(r"(\d+(?:\.\d+)?)%", text))
        pct = next(iter(said)) if len(said) == 1 else (next(iter(every)) if len(every) == 1 and not said else None)
        if "percent" in q.quantity:
            if pct is not None:
                vals.append((Decimal(pct), r["doc"]))
        elif r["rec"] is not None and r["rec"].score is not None:
            vals.append((r["rec"].score, r["doc"]))
    if len(vals) != len(rows):
        return None
    top = (min if lowest else max)(vals, key=lambda v: v[0])
    which = ("最低" if lowest else "最高") if len(rows) > 2 else ("更低" if lowest else "更高")
    return f"{top[1].title}{which}（{top[0].normalize():f}{'%' if 'percent' in q.quantity else ' 分'}）"


# ------------------------------------------------------------------ extractive


def _row_name(text: str) -> str | None:
    """A table row's first cell when it names something (4+ characters of words), else None."""
    cell = re.split(r"\s{2,}|\t", text.strip(), maxsplit=1)[0]
    return cell if len(cell) >= 4 and re.fullmatch(r"[\u4e00-\u9fff（）()、]+", cell) and cell != text.strip() else None


def answer_extractive(session: Session, q: Question, docs: list[Document], named: bool,
                      threshold: float, required: set[str] | None = None, k: int | None = None) -> tuple[Answer | None, float]:
    """The sentences and table rows that answer the question, quoted; None below the threshold.
    `k`: passages searched (more for a report whose part of the question is a small share of it)."""
    units = evidence.find(session, q, docs if docs else None, required=required, k=k or (13 if named else 20))
    if not units:
        return None, 0.0
    best = units[0]
    if best.score < threshold:
        return None, best.score
    chosen = _chosen(q, best, units)
    if not evidence.holds_kind(chosen, q):  # '花了多少钱' and no amount in what would be quoted
        # the best line may only name the thing ('2020 年…部门预算'): a deeper search for a line that
        # states the number asked for, nearly as good
        units = evidence.find(session, q, docs if docs else None, required=required, k=40)
        # (and about what the question asks: most of its words, not a number of another thing)
        # (or a line giving the figure of the very thing the best line names: '编外人员控制率 1 …' is the
        # indicator's row, '编外人员控制率达42.42%' its value, whatever words the question used)
        name = _row_name(best.text)
        best = next((u for u in units if u.score >= max(threshold, best.score - 0.35)
                     and (u.cover >= min(0.5, best.cover) or (name and name in u.text and u.score >= best.score - 0.1))
                     and evidence.holds_kind([u], q)), None)
        if best is None:
            return None, units[0].score if units else 0.0
        chosen = _chosen(q, best, [best, *(u for u in units if u is not best)])
        if not evidence.holds_kind(chosen, q):
            return None, best.score
    if not evidence.lists_names(chosen, q):  # '那114家企业具体是哪些' answered with '114 家'
        return None, best.score
    if not evidence.states_actual(chosen, q):  # '实际花了多少' answered from a budget's planned amounts
        return None, best.score
    if not evidence.names_ordinals(chosen, q):  # '第四届省赛…' answered with the first three
        # (a line of the one the question names, nearly as good, answers it: '三届省赛，省级财政下拨…'
        # below the lines of the first and second)
        best = next((u for u in units if u.score >= max(threshold, best.score - 0.35)
                     and evidence.names_ordinals([u], q) and evidence.holds_kind([u], q)), None)
        if best is None:
            return None, units[0].score
        chosen = _chosen(q, best, [best, *(u for u in units if u is not best and evidence.names_ordinals([u], q))])
    if not evidence.names_quoted(chosen, q, evidence.printed_in(session, q, docs)):  # '“生物创造激励”类别支出多少' answered with other categories' amounts
        return None, best.score
    doc = session.corpus.get(best.hit.doc)
    others = []
    if q.has("consistency"):  # '正文和附表的调剂规模对得上吗': the report's other statements of it, each quoted
        deeper = evidence.find(session, q, [doc], required=required, k=40)
        others = _other_values(q, best, chosen, deeper, threshold)
    if not named and not others:  # the question names no report: another report's equally good answer too
        other = next((u for u in units[1:6] if u.hit.doc != best.hit.doc and u.score >= best.score - 0.05), None)
        if other:
            others = [other]
    header = best.hit.header if best.hit.kind == "table" else ""
    text = render("answers/figure.j2", doc=doc, hit=best.hit, sentences=[u.text for u in chosen], header=header,
                  others=[(session.corpus.get(u.hit.doc), u) for u in others])
    citations = [cite_unit(session, u) for u in [*chosen, *others]]
    if header:
        citations.append(Citation(doc=doc.id, title=doc.title, section=best.hit.section, page=best.hit.page, quote=header))
    return Answer(question=q.raw, answer=text, answered=True, intent="figure", citations=citations), best.score


def stated_values(text: str) -> set[str]:
    return {v.replace(",", "") for v in re.findall(r"\d[\d,]*\.\d+%?|\d+%", text)}


def _other_values(q: Question, best: evidence.Unit, chosen: list[evidence.Unit],
                  units: list[evidence.Unit], threshold: float) -> list[evidence.Unit]:
    """Up to two lines elsewhere in the report (another passage: the text against its table) that speak of
    the same thing and state a value of the kind asked that the quoted lines do not."""
    have = set().union(*(stated_values(u.text) for u in chosen))
    places = {u.hit.passage_id for u in chosen}
    out: list[evidence.Unit] = []
    for u in units:
        if len(out) >= 2:
            break
        # (about the same thing, if in other words: '各季度执行率分别为62.56%…' against '第一季度预算执行率为15.64%')
        if u.hit.doc != best.hit.doc or u.hit.passage_id in places or u.cover < 0.4 * best.cover or u.score < threshold:
            continue
        new = stated_values(u.text) - have
        # ('“社会保障和就业支出”…': that line's; not a statement quoted with its figure, '“…总计0.3万元”')
        names = [t for t in q.quoted if not re.search(r"\d", t)]
        # (a table row says it with its table's title: '总计 2,961.68' in 财政拨款收入支出决算总表)
        where = evidence.bigrams(bare(f"{u.hit.section} {u.hit.header} {u.text}"))
        quoted = not names or any(t in bare(u.text) or (
            u.hit.kind == "table" and len(evidence.bigrams(t) & where) >= 0.8 * len(evidence.bigrams(t))) for t in names)
        if new and quoted and evidence.holds_kind([u], q):
            out.append(u)
            have |= new
            places.add(u.hit.passage_id)
    return out


_ASKS_WHY = re.compile(r"原因|为啥|为什么|为何|因何|咋回事|怎么回事|(?:咋|怎么)(?:少|多|低|高|降|涨|减|增)了|\bwhy\b|\breason")
_GIVES_REASON = re.compile(r"主要是|主要原因|主要由于|原因[是为：:]|由于|因为|[^。；]{0,16}(?:的)?主要原因")


def _chosen(q: Question, best: evidence.Unit, units: list[evidence.Unit]) -> list[evidence.Unit]:
    chosen = evidence.pick(units, anchors=[str(y) for y in q.years], reason=evidence.asks_reason(q))
    if best.carried and best.carried not in {u.text for u in chosen}:
        # '2024  2895.00 …': the row above that names what it is, quoted first
        above = evidence.Unit(hit=best.hit, text=best.carried, score=best.score, cover=best.cover,
                              covered=best.covered, rank=best.rank)
        chosen.insert(chosen.index(best) if best in chosen else 0, above)
    other = evidence.other_kind(chosen, q, units)
    if other is not None:  # '一共安排多少预算，执行率多少': the line with the amount beside the one with the rate
        chosen.append(other)
    extra = evidence.neighbour_with_number(best, q, units) or (evidence.next_unit(best, units) if q.has("rule") else None)
    if extra is None and _ASKS_WHY.search(q.text):
        # '…预算多少，实际花了多少，为啥少了': the figure's sentence, then the one after it that gives the reason
        after = evidence.next_unit(best, units)
        extra = after if after and _GIVES_REASON.match(after.text.strip()) else None
    if extra and extra not in chosen:
        chosen.append(extra)
        chosen.sort(key=lambda u: (u.rank, u.hit.text.find(u.text)))
    return chosen


def records_by_numbers(q: Question, docs: list[Document]) -> list[tuple[Document, IndicatorRecord]]:
    """'扣了1.5分的那个指标': the leaves whose deduction (or score) the question states."""
    said = bool(q.said_scores or q.said_deductions)
    out = []
    for doc in docs:
        for rec in leaves(doc):
            row = effective(doc, rec)  # a row printed without 分值 or 扣分: what its points make it
            points = lost(row)
            if points and (q.fits_points(row.score, points, row.weight) if said else points in q.numbers):
                out.append((doc, rec))
    return out
