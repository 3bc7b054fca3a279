"""One answerer per intent. Each builds its answer from records, passages or the scorer, renders it
with a template from prompts_templates/answers/, and cites the verbatim source of every number."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.check import rescore_from_text
from assistant.errors import JixiaoError
from assistant.ingest import Document, IndicatorRecord
from assistant.ingest.narrative import STATEMENT, explaining_part
from assistant.ingest.narrative import indicator_key as record_key
from assistant.ingest.patterns import SENTENCE, squash
from assistant.qa.model import Answer, Citation, IndicatorFacts
from assistant.qa.router import Route, qa_patterns
from assistant.scoring import apply_rule, find_rule
from assistant.scoring.framework import framework_for
from assistant.templating import render
from index.lexicon import expand
from index.normalize import normalize

if TYPE_CHECKING:
    from assistant.api import Session

_EXPLAINS = re.compile(r"但|存在|例如|扣|未|不足|偏|问题|只|不够|不合理|模糊|缺口|原因")


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


# ------------------------------------------------------------------ records


def _facts(rec: IndicatorRecord, reason: str | None = None) -> IndicatorFacts:
    return IndicatorFacts(doc=rec.doc, levels=rec.levels, weight=rec.weight, score=rec.score,
                          deduction=rec.deduction, reason=reason if reason is not None else rec.reason, rule=rec.rule)


def indicator_records(session: Session, route: Route, name: str | None) -> list[tuple[Document, IndicatorRecord, IndicatorRecord | None]]:
    """Per document: the table record of the indicator (or the narrative one) and its narrative twin."""
    out = []
    for doc in route.docs:
        recs = [r for r in doc.records if r.score is not None and not r.subtotal]
        if name:
            key = record_key(name)
            hits = [r for r in recs if record_key(r.name) == key or record_key(stated_name(r)) == key] or \
                   [r for r in recs if key in {record_key(lv) for lv in r.levels}]
            # a narrative sentence that names the indicator otherwise than the table brings its table row
            by_id = {r.id: r for r in recs}
            hits += [by_id[h.linked_to] for h in hits if h.linked_to in by_id and by_id[h.linked_to] not in hits]
        else:  # no name: the numbers in the question pick the indicator ('扣了1.5分')
            nums = set(route.numbers)
            hits = [r for r in recs if r.deduction and r.deduction in nums]
        if not hits:
            continue
        table = [r for r in hits if r.source == "table"]
        narrative = [r for r in hits if r.source == "narrative"]
        if table:
            for t in table:
                twin = next((n for n in narrative if n.linked_to == t.id), narrative[0] if len(table) == 1 and narrative else None)
                out.append((doc, t, twin))
        else:
            out.extend((doc, n, n) for n in narrative)
    return out


def stated_name(rec: IndicatorRecord) -> str:
    """The name a narrative sentence itself uses ('预算编制合理性指标权重 3 分…'), else the record's name."""
    m = STATEMENT.search(rec.quote) if rec.source == "narrative" else None
    return m.group("name") if m else rec.name


def _pick_by_numbers(route: Route, found: list) -> list:
    """Keep the candidates whose numbers the question states (扣1.5分 → deduction 1.5; 只得5分 → score 5)."""
    nums = set(route.numbers)
    if not nums:
        return found
    matching = [f for f in found if (f[1].deduction in nums) or (f[1].score in nums)]
    return matching or found


def around(text: str, name: str, sentences: int = 3) -> str:
    """The verbatim span from the sentence naming `name` through the next few sentences."""
    spans = list(SENTENCE.finditer(text))
    for i, m in enumerate(spans):
        if name in m.group(0):
            end = spans[min(i + sentences - 1, len(spans) - 1)].end()
            return text[m.start():end].strip()
    return text


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


# ------------------------------------------------------------------ answerers


def answer_deduction(session: Session, route: Route) -> Answer:
    if not route.indicator and not route.numbers:
        return answer_figure(session, route)
    found = _pick_by_numbers(route, indicator_records(session, route, route.indicator))
    if not found:
        return decline(session, route, f"「{route.indicator or '该'}」指标的评分记录")
    if len({f[0].id for f in found}) > 1 or len(found) > 1:
        cands = [_facts(rec) for _, rec, _ in found]
        cites = [cite(doc, rec.quote, rec.page) for doc, rec, _ in found]
        text = render("answers/deduction_candidates.j2", name=route.indicator, found=found)
        return Answer(question=route.question, answer=text, answered=True, intent="deduction", citations=cites,
                      candidates=cands)
    doc, rec, twin = found[0]
    weight_from_text = rec.weight is None and twin is not None and twin.weight is not None
    if weight_from_text:  # the table prints no 分值 for this row; the narrative states it
        rec = rec.model_copy(update={"weight": twin.weight})
    reason = rec.reason or (twin.reason if twin else None)
    related = None
    if not reason:  # no reason column and no narrative: the report's own words on what fell short
        hits = session.search(f"{rec.name} 存在问题 不足 不合理 有待", k=8, mode="hybrid", docs={doc.id})
        paragraphs = [h for h in hits if h.kind == "paragraph"]
        name_bigrams = {rec.name[i : i + 2] for i in range(len(rec.name) - 1)}
        related = next((h for h in paragraphs if rec.name in h.text), None) or next(
            (h for h in paragraphs if name_bigrams and ("问题" in h.section or _EXPLAINS.search(h.text[:80]))
             and sum(b in h.text for b in name_bigrams) >= 0.5 * len(name_bigrams)), None)
        if related is not None:
            related = related.model_copy(update={"quote": around(related.text, rec.name)})
    rule_text = rec.rule
    rule_source = None
    if not rule_text:
        fw_ind = framework_rule(doc, rec.name)
        if fw_ind:
            rule_source, ind = fw_ind
            rule_text = ind.rule.text.strip()
    # Where the text prints the rule's inputs, the scorer recomputes the score (and may disagree).
    rescore = next((r for r in rescore_from_text(doc) if r.name == rec.name), None)
    citations = [cite(doc, rec.quote, rec.page)]
    if rescore:
        quotes = list(dict.fromkeys(e.quote for e in rescore.evidence))  # plan and actual may share a sentence
        pages = {e.quote: e.page for e in rescore.evidence}
        citations += [Citation(doc=doc.id, title=doc.title, section=locate(doc, q)[0], page=pages[q], quote=q) for q in quotes]
    if weight_from_text and twin is not None:
        citations.append(cite(doc, twin.quote, twin.page))
    explain = explaining_part(reason) if reason else None
    if explain:
        citations.append(cite(doc, explain, twin.page if twin else rec.page))
    if related:
        citations.append(Citation(doc=doc.id, title=doc.title, section=related.section, page=related.page, quote=related.quote))
    text = render("answers/deduction.j2", doc=doc, rec=rec, reason=explain, related=related, rule=rule_text,
                  rule_source=rule_source, rescore=rescore)
    return Answer(question=route.question, answer=text, answered=True, intent="deduction", citations=citations,
                  indicator=_facts(rec, reason), trace=rescore.result.trace if rescore else [])


def answer_rule(session: Session, route: Route) -> Answer:
    name = route.indicator
    if not name:
        return answer_figure(session, route)
    # A report in the question that states its own rule for the indicator wins over a framework.
    for doc, rec, _ in indicator_records(session, route, name):
        if rec.rule and len(route.docs) < len(session.corpus):
            text = render("answers/rule.j2", name=rec.name, rule=rec.rule, source=doc.title, framework=None)
            return Answer(question=route.question, answer=text, answered=True, intent="rule",
                          citations=[cite(doc, part.strip(), rec.page) for part in rec.rule.split(" … ")[:1]])
    try:
        fw, ind = find_rule(name)
    except JixiaoError:
        return answer_figure(session, route)
    src = session.corpus.get(fw.source.doc)
    lines = [ln for ln in ind.rule.text.strip().splitlines() if ln.strip()]
    text = render("answers/rule.j2", name=ind.name, rule="\n".join(lines), source=src.title, framework=fw)
    return Answer(question=route.question, answer=text, answered=True, intent="rule",
                  citations=[cite(src, lines[0]), *(cite(src, ln) for ln in lines[1:3])])


def answer_apply(session: Session, route: Route) -> Answer:
    if not route.indicator:
        return answer_figure(session, route)
    found = None
    for doc in route.docs if len(route.docs) < len(session.corpus) else []:
        found = framework_rule(doc, route.indicator)  # "按龙岗的标准" → the framework 龙岗 used
        if found:
            break
    try:
        fw, ind = found or find_rule(route.indicator)
    except JixiaoError:
        return answer_figure(session, route)
    value = (route.percents or route.numbers)[0]
    try:
        _, result = apply_rule(f"{fw.id}.{ind.id}", {"value": value})
    except JixiaoError as exc:
        text = render("answers/apply_error.j2", name=ind.name, value=value, error=str(exc))
        return Answer(question=route.question, answer=text, answered=False, intent="apply_rule")
    src = session.corpus.get(fw.source.doc)
    lines = [ln for ln in ind.rule.text.strip().splitlines() if ln.strip()]
    text = render("answers/apply.j2", fw=fw, result=result, value=value, unit="%" if route.percents else "")
    return Answer(question=route.question, answer=text, answered=True, intent="apply_rule",
                  citations=[cite(src, ln) for ln in lines[:4]], trace=result.trace)


def answer_compare(session: Session, route: Route) -> Answer:
    rows = []
    citations = []
    if route.indicator:
        for doc, rec, _ in indicator_records(session, route, route.indicator):
            fig = best_sentence(session, route, {doc.id}) if not re.search(r"得分|几分|多少分", route.text) else None
            value = fig[1] if fig and re.search(r"\d", fig[1]) else None
            rows.append({"doc": doc, "label": route.indicator, "rec": rec, "value": value})
            citations.append(cite(doc, rec.quote, rec.page))
            if value and fig:
                citations.append(Citation(doc=doc.id, title=doc.title, section=fig[0].section, page=fig[0].page, quote=value))
        if not rows:  # a figure (a rate), not a scored indicator: the best sentence in each report
            for doc in route.docs:
                best = best_sentence(session, route, {doc.id})
                if best:
                    hit, sentence = best
                    rows.append({"doc": doc, "label": route.indicator, "rec": None, "value": sentence})
                    citations.append(Citation(doc=doc.id, title=doc.title, section=hit.section, page=hit.page, quote=sentence))
    else:
        for doc in route.docs:
            if doc.total_score is not None:
                quote = total_quote(doc)
                rows.append({"doc": doc, "label": "总分", "rec": None, "value": None, "total": doc.total_score, "grade": doc.grade})
                if quote:
                    citations.append(cite(doc, quote))
    if not rows:
        return decline(session, route, "可比较的数据")
    text = render("answers/compare.j2", rows=rows, name=route.indicator)
    return Answer(question=route.question, answer=text, answered=True, intent="compare", citations=citations)


_MEASURES = re.compile(r"改进措施|整改措施|意见建议|建议|改进")
_PROBLEMS = re.compile(r"存在(的)?问题|问题")


def answer_problems(session: Session, route: Route) -> Answer:
    want_measures = bool(re.search(r"改进|措施|建议|整改|measure|recommend", route.text))
    docs = route.docs if len(route.docs) <= 2 else []
    if not docs:
        return decline(session, route, "指定报告中的问题与措施（请说明是哪个区、哪一年的报告）")
    items, citations = [], []
    for doc in docs:
        for p in doc.paragraphs:
            if p.kind != "text" or not p.heading_path:
                continue
            # The nearest heading decides: '（三）改进措施' holds measures; '（二）存在问题' problems; a
            # heading naming both ('存在问题及改进措施') holds problems, with measures marked '改进措施：'.
            near = next((h for h in reversed(p.heading_path[-2:]) if _MEASURES.search(h) or _PROBLEMS.search(h)), None)
            if near is None:
                continue
            says_measure = p.text.startswith(("改进措施", "建议")) or (_MEASURES.search(near) and not _PROBLEMS.search(near))
            if want_measures != bool(says_measure):
                continue
            first = SENTENCE.search(p.text)
            sentence = first.group(0).strip() if first else p.text[:80]
            items.append({"doc": doc, "section": p.heading_path[-1], "sentence": sentence, "page": p.page})
            citations.append(cite(doc, sentence, p.page, " > ".join(p.heading_path)))
    if not items:
        return answer_figure(session, route)
    text = render("answers/problems.j2", items=items[:8], measures=want_measures)
    return Answer(question=route.question, answer=text, answered=True, intent="problems", citations=citations[:8])


# ------------------------------------------------------------------ figures (retrieval)


def content_bigrams(route: Route) -> set[str]:
    """What the question asks about: its Chinese words minus place, time and question words."""
    text = expand(route.text)
    for word in [*qa_patterns()["question_words"], *route.districts, *qa_patterns()["districts"]]:
        text = text.replace(word, " ")
    text = re.sub(r"\d+(\.\d+)?%?|20\d\d|[a-z]+", " ", text)
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)}


def best_sentences(session: Session, route: Route, docs: set[str] | None, limit: int = 2):  # type: ignore[no-untyped-def]
    """The sentences of the top passages that best cover the question: (hit, sentence) pairs, best
    first; a second one only when it comes from the same passage and adds figures. Empty when no
    sentence covers at least half of what the question asks about."""
    hits = session.search(route.question, k=6, mode="hybrid", docs=docs)
    want = content_bigrams(route)
    if not want:
        return []
    wants_number = any(w in route.text for w in qa_patterns()["asks_number"])
    anchors = [str(y) for y in route.years] + [f"{n.normalize():f}" for n in route.numbers]
    scored = []
    for rank, h in enumerate(hits):
        if h.kind == "indicator":
            continue
        for m in SENTENCE.finditer(h.text):
            s = m.group(0).strip()
            if len(s) < 4:
                continue
            norm = normalize(s)
            cover = sum(1 for b in want if b in norm) / len(want)
            has_number = bool(re.search(r"\d", s))
            score = cover + (0.4 if wants_number and has_number else 0.1 if has_number else 0)
            score += 0.2 * sum(1 for a in anchors if a in s.replace(" ", "")) - rank * 0.03
            score -= 0.3 if re.search(r"得分\s*=|×\s*\d?\s*分", s) else 0  # a scoring formula is not a figure
            scored.append((score, cover, rank, m.start(), h, s))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][1] < 0.5:
        return []
    best = scored[0]
    out = [(best[4], best[5])]
    for cand in scored[1:]:
        if len(out) >= limit:
            break
        same = cand[4].passage_id == best[4].passage_id
        adds = re.search(r"\d", cand[5]) and cand[5] != best[5] and cand[1] >= 0.3
        if same and adds:
            out.append((cand[4], cand[5]))
    # keep the order of the text
    out.sort(key=lambda hs: hs[0].text.find(hs[1]))
    return out


def best_sentence(session: Session, route: Route, docs: set[str] | None):  # type: ignore[no-untyped-def]
    found = best_sentences(session, route, docs, limit=1)
    return found[0] if found else None


def total_quote(doc: Document) -> str | None:
    if doc.total_score is None:
        return None
    target = f"{doc.total_score.normalize():f}"
    for p in doc.paragraphs:
        if p.kind == "text" and target in p.text.replace(" ", "") and re.search(r"得分|评分|分为", p.text):
            for m in SENTENCE.finditer(p.text):
                if target in m.group(0).replace(" ", ""):
                    return m.group(0).strip()
    return None


_ASKS_SCORE = re.compile(r"得分|多少分|几分|得了|score|points")


def answer_figure(session: Session, route: Route) -> Answer:
    if route.indicator and _ASKS_SCORE.search(route.text) and indicator_records(session, route, route.indicator):
        return answer_deduction(session, route)  # an indicator's score: from its record, not a sentence
    docs = {d.id for d in route.docs} if route.docs and len(route.docs) < len(session.corpus) else None
    asks_total = re.search(r"总分|综合得分|总得分|评分和等级|得分和等级|等级|total|grade", route.text) and not route.indicator
    if asks_total and route.docs and len(route.docs) <= 2:
        rows = [(d, total_quote(d)) for d in route.docs if d.total_score is not None]
        if rows:
            text = render("answers/total.j2", rows=rows)
            return Answer(question=route.question, answer=text, answered=True, intent="figure",
                          citations=[cite(d, q) for d, q in rows if q])
    found = best_sentences(session, route, docs)
    if not found:
        return decline(session, route, "与问题相符的内容")
    hit = found[0][0]
    doc = session.corpus.get(hit.doc)
    sentences = [s for _, s in found]
    text = render("answers/figure.j2", doc=doc, hit=hit, sentences=sentences)
    return Answer(question=route.question, answer=text, answered=True, intent="figure",
                  citations=[Citation(doc=doc.id, title=doc.title, section=h.section, page=h.page, quote=s) for h, s in found])


def decline(session: Session, route: Route, what: str) -> Answer:
    held = [d for d in session.corpus]
    nearest = route.docs or held
    text = render("answers/decline.j2", what=route.unheld or what, nearest=nearest[:5])
    return Answer(question=route.question, answer=text, answered=False, intent=route.intent)


ANSWERERS = {
    "deduction": answer_deduction,
    "rule": answer_rule,
    "apply_rule": answer_apply,
    "compare": answer_compare,
    "problems": answer_problems,
    "figure": answer_figure,
}


def answer(session: Session, route: Route) -> Answer:
    if route.unheld:
        return decline(session, route, route.unheld)
    return ANSWERERS[route.intent](session, route)
