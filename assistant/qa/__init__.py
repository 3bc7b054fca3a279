"""Question answering, evidence first: understand → scope → link → answer → verify.

- understand: normalise, repair typos against the corpus's own words, read years, numbers, codes and
  what is asked (`understand.py`);
- scope: the reports the question points at, from their metadata; a place, unit or year the corpus
  does not hold is declined (`scope.py`);
- link: the indicators it names, fuzzily, at every level (`entities.py`);
- answer: a structured answer where the slots are filled (an indicator, a group, a rule, several
  reports side by side, totals, problems and measures, who and what), else the sentences and table
  rows of the retrieved passages that answer it, quoted (`answerers.py`, `evidence.py`); below a
  calibrated evidence score the question is declined;
- verify: every citation is checked to be verbatim in its report before the answer leaves.
A `Conversation` keeps the last report and indicator, so 「那2024年呢？」 and 「扣分原因呢？」 work.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.ingest import Document
from assistant.ingest.patterns import canonical_source, squash
from assistant.qa import answerers as A
from assistant.qa import evidence
from assistant.qa.entities import Mention, described, link, unknown_codes
from assistant.qa.model import Answer, Citation, IndicatorFacts
from assistant.qa.scope import Scope, corpus_places, doc_years, gazetteer, resolve
from assistant.qa.understand import Question, qa_patterns, understand

if TYPE_CHECKING:
    from assistant.api import Session

__all__ = ["Answer", "Citation", "Conversation", "IndicatorFacts", "Question", "ask"]

MAX_QUESTION_CHARS = 500


def read(session: Session, question: str) -> Question:
    corpus = session.corpus
    return understand(question, corpus, corpus_places(corpus), gazetteer())


def ask(session: Session, question: str) -> Answer:
    """One question, no conversation."""
    return Conversation(session).ask(question)


@dataclass
class Turn:
    text: str  # the question as answered (a follow-up rewritten in full)
    docs: list[str]
    named: bool
    indicator: str | None
    asks: list[str]
    cited: str | None = None  # the one indicator its quoted lines name, when it named none (for '评分标准是什么')


def _cited_indicator(result: Answer, scope: Scope) -> str | None:
    """The one indicator the quotes of an answer name ('编外人员控制率  1  …' quoted for a question that
    described it in other words): what a follow-up's '评分标准是什么' is about."""
    quoted = "".join(c.quote for c in result.citations)
    names = {r.levels[-1] for d in scope.docs for r in d.records
             if r.levels and len(r.levels[-1]) >= 4 and r.levels[-1] in quoted}
    names = {n for n in names if not any(n != o and n in o for o in names)}
    return names.pop() if len(names) == 1 else None


@dataclass
class Conversation:
    """Questions in a row: a follow-up that names no report of its own is about the last one's report,
    a year alone ('那2024年呢？') asks the last question again for that year, and a bare 'why' or 'rule'
    ('扣分原因呢？', '它的评分标准是什么？') is about the last indicator."""

    session: Session
    turns: list[Turn] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)  # (question, answer shown), for a model

    def ask(self, question: str, llm: bool = False, on_delta: Any = None) -> Answer:
        """`llm`: let the configured language model phrase the answer, guarded (assistant.llm);
        `on_delta` receives its reply as it streams in (unchecked: for progress only)."""
        start = time.perf_counter()
        if not question.strip():
            return Answer(question=question, answer="请输入问题。", answered=False, intent="none")
        if len(question) > MAX_QUESTION_CHARS:
            return Answer(question=question, answered=False, intent="none",
                          answer=f"问题过长（{len(question)} 字）：请把问题控制在 {MAX_QUESTION_CHARS} 字以内。")
        q = read(self.session, question)
        scope = resolve(q, self.session.corpus)
        if self.turns and not scope.named and not scope.unheld and self._is_follow_up(q):
            q, scope = self._follow(q)
        elif self.turns and scope.named and q.follow_up and not q.asks and not link(q, scope.docs):
            q = self._again_for(q)  # '那2024年科工信局那份呢？': the last question, of the report it names
        result = answer(self.session, q, scope)
        result.question = question
        result.answer = result.answer.strip()
        verify(self.session, result)
        if llm:
            from assistant.llm.answers import phrase

            result = phrase(self.session.llm_client, result, self.history, on_delta,
                            self.session.settings.templates_dir)
        self.history.append((question, result.answer))
        result.seconds = round(time.perf_counter() - start, 4)
        if result.answered:
            self.turns.append(Turn(text=q.text, docs=[d.id for d in scope.docs], named=scope.named,
                                   indicator=(result.indicator.levels[-1] if result.indicator
                                              else self._indicator(q, scope)),
                                   asks=sorted(q.asks),
                                   # (a figure quoted from one indicator's lines, not a list of items)
                                   cited=_cited_indicator(result, scope) if result.intent == "figure" else None))
        return result

    def _indicator(self, q: Question, scope: Scope) -> str | None:
        leaf = [m for m in link(q, scope.docs) if m.is_leaf]
        return leaf[0].name if leaf else (self.turns[-1].indicator if self.turns and q.follow_up else None)

    def _is_follow_up(self, q: Question) -> bool:
        # (a short question naming no report, in a conversation: '没执行完的钱主要是什么原因？剔除后是多少？')
        # ('Why is actual lower than budget?': eight words or fewer in English)
        short = len(q.text) <= 24 or (not re.search(r"[\u4e00-\u9fff]", q.text) and len(q.text.split()) <= 8)
        return q.follow_up or (short and not q.years) or bool(re.match(r"^(那|那么|它|其|对应)", q.text))

    def _level_asked(self, last: Turn) -> str | None:
        """The level of indicators the last question was about: the one it names ('四个一级指标'), or the
        level of the two or more groups it names."""
        named = re.search(r"[一二三四]级指标", last.text)
        if named:
            return named.group(0)
        docs = [d for d in self.session.corpus if d.id in last.docs]
        groups = [m for m in link(read(self.session, last.text), docs) if not m.is_leaf]
        levels, names = {m.level for m in groups}, {m.name for m in groups}
        if len(levels) != 1 or len(names) < 2:
            return None
        level = next(iter(levels))
        return f"{'一二三四'[level]}级指标" if level < 4 else None

    def _again_for(self, q: Question) -> Question:
        """The last question asked again, with this one's years; the caller keeps this one's scope."""
        text = self.turns[-1].text
        return read(self.session, _in_year(text, q.years[0]) if q.years else text)

    def _follow(self, q: Question) -> tuple[Question, Scope]:
        last = self.turns[-1]
        corpus = self.session.corpus
        only_year = q.years and len(re.sub(r"(那|那么|呢|的|年度?|[？?。，,\s]|\d{2,4})", "", q.text)) == 0
        if only_year:  # the last question again, for another year
            text = _in_year(last.text, q.years[0])
            q2 = read(self.session, text)
            scope = resolve(q2, corpus)
            last_docs = [d for d in corpus if d.id in last.docs]
            if not scope.named or (scope.unheld and _states_year_of(self.session, q2, last_docs, q.years[0])):
                # ('2019年呢' after the 2020 budget's 三公经费: the budget's own row for 2019, not a 2019 report)
                scope = Scope(docs=last_docs, named=last.named)
            return q2, scope
        text = q.text
        subject = re.split(r"[？?，,。]", last.text)[0]  # the last question's first clause says what it was about
        linked = [m for m in link(q, [d for d in corpus if d.id in last.docs]) if m.is_leaf]
        if any(re.search(p, text) for p in qa_patterns()["narrows_last"]):  # '其中2024年…': of the last one's subject
            if re.match(r"^(?:与|和|跟|同|比|较)\s*(?:20)?\d{2}\s*年", text):
                # '和2023年比呢' after '…支出的年初预算是多少': the thing compared, not the measure last asked
                measures = "|".join(sorted(qa_patterns()["pair_measures"], key=len, reverse=True))
                subject = re.sub(rf"的?(?:{measures})[^，,。？?]*$", "", _HOW_MUCH.sub("", subject)) or subject
            text = f"{subject} {text}"
        elif (not linked and last.indicator and (q.has("why", "rule", "score", "weight", "measures") or q.follow_up)
              and not _OWN_INDICATOR.search(q.text) and not (q.has("problems") and not _ITS.search(q.text))):  # '…清晰可衡量程度这一考核项又因何失分': one of its own
            text = f"{last.indicator}{text}"
        elif not linked and last.cited and q.has("rule") and not _OWN_INDICATOR.search(q.text):
            text = f"{last.cited}{text}"  # '评分标准是什么' after a figure quoted from one indicator's row
        elif not linked and not q.quoted and _only_measures(q.text):
            # '那支出决算是多少？' after '…“三公”经费年初预算是多少？': the same thing's other measure
            text = f"{subject} {text}"
        elif (not linked and not q.quoted and len(q.text) <= 16 and evidence.asks_reason(q) and not re.search(r"哪|最", q.text)
              and not {"total", "score", "grade"} & set(last.asks)):
            # '决算为什么比预算少？' after a figure asked: why, of the same thing (not its figures again)
            text = f"{_HOW_MUCH.sub('', subject)} {text}"
        if not re.search(r"[一二三四]级", text) and (A._RANK_LOW.search(text) or A._RANK_HIGH.search(text)):
            level = self._level_asked(last)
            if level:
                text = f"{level}中{text}"  # '决策、过程、产出、效益各得多少分' then '哪个得分率最低': of those
        q2 = read(self.session, text)
        docs = [d for d in corpus if d.id in last.docs]
        # (not where it insists on a figure of its own: 'And what rate did the survey come out at?' after a rule)
        if q.follow_up and not q2.asks and last.asks and not q.insists & {"money", "percent", "count"}:
            q2.asks = set(last.asks)
            if "total" in q2.asks and link(q2, docs):  # '总分多少' then '决策部分呢': that part's points
                q2.asks = (q2.asks - {"total", "grade"}) | {"score"}
        if q.years and len(docs) >= 2:  # '2024年那家单位…' after two reports: the one of that year
            docs = [d for d in docs if doc_years(d) & set(q.years)] or docs
        return q2, Scope(docs=docs, named=last.named)

    # -- persistence for `jixiao ask --continue`
    def save(self, path: Path) -> None:
        from assistant.files import atomic_write_text

        data = [t.__dict__ for t in self.turns[-5:]]
        atomic_write_text(path, json.dumps(data, ensure_ascii=False))

    def load(self, path: Path) -> Conversation:
        try:
            self.turns = [Turn(**t) for t in json.loads(path.read_text("utf-8"))]
        except (OSError, ValueError, TypeError):
            self.turns = []
        return self


_QUOTED_INDICATOR = re.compile(r"[”\"」』]\s*(?:这个|这项|那项|这一|该|的)?(?:指标|考核项)")
_OF_AN_ITEM = re.compile(r"项|指标|扣|失分|丢分|得分|分数|几分|满分")
_OWN_INDICATOR = re.compile(r"[\u4e00-\u9fff]{4,}(?:这一|这个|这项|那项|那个)(?:考核项|指标|考核点|评价项)")
_ASKS_HOW = re.compile(r"怎么|如何|什么|哪些|咋|分几档|how\b")
_VERSUS_YEAR = re.compile(r"(?:比|较|相比|对比|同比)\s*(20\d\d)\s*年")
_EACH = re.compile(r"各|分别|每个|每一|依次|[、和与及](?:[^、，,。？?]{1,8})(?:指标|部分|方面)?(?:的)?(?:得分|分数|得了)"
                   r"|\b(?:each|both|respectively)\b|\band\b[^?？]{0,30}\b(?:groups?|parts?|sections?|dimensions?)\b")
# '那问题呢' after an indicator's points: the report's problems; '它有什么问题': that indicator's
_ITS = re.compile(r"它|其|这个指标|该指标|这项|这一项|那项")
_HOW_MUCH = re.compile(r"(?:分别|各)?(?:是|为|有)?(?:多少|几)[^，,。？?]*$")


def _states_year_of(session: Session, q: Question, docs: list[Document], year: int) -> bool:
    """Whether the best evidence in those reports for the question asked again for that year is a line
    of that year (a table row of the year before, '罗湖区科技创新局  2019  13.65 …', beside the year's own)."""
    units = evidence.find(session, q, docs, k=8)
    return bool(units) and bool(re.search(rf"(?<!\d){year}(?!\d)", units[0].text))


def _in_year(text: str, year: int) -> str:
    """A question asked again for another year: each year it names replaced, or the year put first."""
    old = re.findall(r"20\d{2}|(?<!\d)\d{2}(?=\s*年)", text)
    for y in old:
        text = text.replace(y, str(year), 1)
    return text if old else f"{year}年{text}"


def _only_measures(text: str) -> bool:
    """Whether a follow-up's first clause names only measures ('那支出决算是多少', 'And what was the actual
    final expenditure'), not a thing of its own ('那基本支出和项目支出各是多少')."""
    first = re.split(r"[？?，,。;；]", text)[0]
    if not re.search(r"[\u4e00-\u9fff]", first):
        return True  # English: its own words reach the search only through the glossary
    pats = qa_patterns()
    for word in sorted({*pats["pair_measures"], *pats["question_words"], "那么", "那", "又"}, key=len, reverse=True):
        first = first.replace(word, "")
    return not re.search(r"[\u4e00-\u9fff]", first)


def verify(session: Session, result: Answer) -> None:
    """Every quote verbatim in its report; a citation that is not is dropped (and the answer says so)."""
    sources: dict[str, str] = {}
    kept = []
    for c in result.citations:
        if c.doc not in sources:
            try:
                doc = session.corpus.get(c.doc)
                sources[c.doc] = canonical_source(Path(doc.path).read_text("utf-8")) if doc.path else ""
            except Exception:  # noqa: BLE001 - a report that cannot be re-read cannot vouch for a quote
                sources[c.doc] = ""
        if all(squash(part) in sources[c.doc] for part in c.quote.split(" … ") if part.strip()):
            kept.append(c)
    if len(kept) < len(result.citations):
        result.trace.append(f"{len(result.citations) - len(kept)} citation(s) not verbatim in the source were dropped")
    result.citations = list({(c.doc, c.quote): c for c in kept}.values())


def _ranks(q: Question) -> bool:
    """'哪个三级指标扣分最多': the table ranked, not one indicator described by the question's words."""
    return bool(re.search(r"哪", q.text)) and bool(A._RANK_LOW.search(q.text) or A._RANK_HIGH.search(q.text))


def _single(scope: Scope) -> bool:
    return scope.named and len(scope.docs) == 1


def answer(session: Session, q: Question, scope: Scope) -> Answer:
    """The question's answer; a question of several parts ('哪家机构做的？谁委托的？组长是谁？') also gets
    the answer of each part the first answer leaves out, from the same reports."""
    result = _each_report(session, q, scope, _answer_one(session, q, scope))
    pieces = evidence.parts(q.text)
    if len(pieces) < 2 or scope.unheld:
        return result
    if not result.answered:
        return _by_parts(session, q, scope, pieces) or result
    weight = session.search_index.keyword.idf
    idents = A.idents_of(session, scope.docs)
    # '编外人员控制率评分标准是什么？比例多少以内才能拿分' (or a follow-up given its indicator so): a question
    # that starts with one indicator is about it in every part
    leaves = {m.name for m in link(q, scope.docs) if m.is_leaf}
    subject = next(iter(leaves)) if len(leaves) == 1 and 0 <= q.text.find(next(iter(leaves))) <= 2 else None
    for piece in pieces:
        sub = _part(session, q, piece)
        if subject and subject not in piece and not link(sub, scope.docs):
            piece = f"{subject}{piece}"
            sub = _part(session, q, piece)
        if result.intent == "rule" and sub.has("rule") and not link(sub, scope.docs):
            continue  # '…怎么打分的？公式和扣分规则原文怎么写的？': the rule quoted is that part's answer
        want = evidence.content_bigrams(sub, idents)
        want = (want & evidence.focus_bigrams(sub)) or want  # the words right around what the part asks
        if evidence.text_covers(result.answer, want, weight, q=sub):
            continue
        part = _answer_one(session, sub, scope)
        other = _cited_indicator(part, scope)
        if subject and other and other != subject:
            continue  # the question is about one indicator; a part found about another is a stray match
        new = {c.quote for c in part.citations} - {c.quote for c in result.citations}
        if (part.answered and part.citations and 2 * len(new) >= len({c.quote for c in part.citations})
                and part.citations[0].quote in new):
            # (a part answered by mostly the same quotes, or led by one already quoted, adds nothing but
            # their repetition)
            result = _append(result, part, f"part answered: {piece}")
    return result


def _append(result: Answer, more: Answer, trace: str | None = None) -> Answer:
    """One answer with another after it: texts one paragraph apart, citations of both."""
    return result.model_copy(update={"answer": f"{result.answer.strip()}\n\n{more.answer.strip()}",
                                     "citations": [*result.citations, *more.citations],
                                     "trace": [*result.trace, trace] if trace else result.trace})


def _each_report(session: Session, q: Question, scope: Scope, result: Answer) -> Answer:
    """'2020年部门预算里安排了多少，到2021年项目评价里实际执行了多少': a figure from each of the reports the
    question names, where the first answer quotes only one of them."""
    by_year = len(q.years) >= 2 and all(doc_years(d) & set(q.years) for d in scope.docs)  # '2020年…，2021年…'
    if not (result.answered and result.intent == "figure" and scope.named and (scope.distinct or by_year)
            and len(scope.docs) >= 2):
        return result
    cited = {c.doc for c in result.citations}
    threshold = float(qa_patterns()["min_evidence"])
    for doc in scope.docs:
        if doc.id in cited:
            continue
        # the question is mostly about the other report: this one's part is found deeper in its passages
        other, _ = A.answer_extractive(session, q, [doc], True, threshold, _required(q, scope), k=30)
        if other is not None:
            result = _append(result, other)
    return result


def _part(session: Session, q: Question, piece: str) -> Question:
    sub = understand(piece, session.corpus)
    sub.years = sub.years or q.years
    return sub


def _by_parts(session: Session, q: Question, scope: Scope, pieces: list[str]) -> Answer | None:
    """A question declined as a whole ('调整后预算是多少？预算执行率是多少？' with no one sentence holding
    both): each part answered on its own; a part with no evidence says so."""
    first = _answer_one(session, _part(session, q, pieces[0]), scope)
    if not (first.answered and first.citations):  # the first part names what the others are about
        return None
    named = (first.indicator.levels[-1] if first.indicator and first.indicator.levels
             else _cited_indicator(first, scope) or "")  # (or the one indicator its quotes name)

    def own(piece: str) -> str:  # '…执行率是多少？该指标得几分？': that indicator's points
        return f"{named}{piece}" if named and _ITS.search(piece) and named not in piece else piece

    answers = [(pieces[0], first)] + [(piece, _answer_one(session, _part(session, q, own(piece)), scope)) for piece in pieces[1:]]
    answered = [a for _, a in answers if a.answered and a.citations]
    text = "\n\n".join(a.answer.strip() if a.answered and a.citations else f"「{piece}」：语料中没有与此相符的内容。"
                       for piece, a in answers)
    return first.model_copy(update={"answer": text, "citations": [c for a in answered for c in a.citations],
                                    "trace": [*first.trace, f"answered by parts: {len(answered)} of {len(pieces)}"]})


def _answer_one(session: Session, q: Question, scope: Scope) -> Answer:
    if scope.unheld:
        return A.decline(session, scope.unheld, scope.nearest)
    docs = scope.docs
    unknown = unknown_codes(q.codes, docs) if scope.named else []
    if unknown:  # '评分表里E101指标得了多少分' of a table whose codes run A101…D402
        return A.decline(session, f"指标代码「{'、'.join(unknown)}」", docs, intent="deduction")
    mentions = link(q, docs)
    leaf = [m for m in mentions if m.is_leaf]
    groups = [m for m in mentions if not m.is_leaf]
    several = scope.named and len(docs) >= 2 and (scope.distinct or q.has("compare"))
    if (not mentions and several and q.has("compare") and q.has("score") and not q.has("why", "rule", "apply")
            and all(d.total_score is not None for d in docs)):  # 'which scored higher, A or B': their totals
        return A.answer_totals(session, q, docs)
    if (not mentions and scope.named and not q.numbers and not q.has("total", "grade")
            and (q.has("score", "rule") or "score" in q.quantity or (q.has("why") and _OF_AN_ITEM.search(q.text)))
            and not _ranks(q) and _asks_besides_points(session, q, docs) and not _unknown_indicator(q, docs)
            and not _QUOTED_INDICATOR.search(q.text)):  # ('“绩效自评质量”这个指标': a name, not a description)
        # (a bare '是怎么回事' about what a report says is no indicator's points: '技能大赛办得太频繁了')
        # '看补贴发放及不及时的那个指标得了几分': an indicator named by what it measures
        leaf = described(q, docs, session.search_index.keyword.idf, A.idents_of(session, docs))

    versus = [y for y in _VERSUS_YEAR.findall(q.text) if not any(int(y) in doc_years(d) for d in docs)]
    if (versus and scope.named and not leaf and not groups
            and (q.has("total", "score") or "score" in q.quantity)):  # '2024年得分比2023年提高了多少分', no 2023 report
        return A.decline(session, f"{versus[0]}年的得分（可比较的报告）", docs, intent="total")
    # '科普工作经费那个项目的评价报告得了多少分' where the report evaluates another project: no such report
    other = _other_project(q, docs, corpus_places(session.corpus)) if (scope.named and not leaf and not groups
                                        and (q.has("total", "score", "grade") or "score" in q.quantity)) else None
    if other:
        return A.decline(session, f"「{other}」项目的评价报告", docs, intent="total")
    # totals and grades of whole reports
    if q.has("total", "grade") and not leaf and not (groups and not q.has("total")):
        if q.has("rule") and docs:
            bands = next((a for d in docs if (a := A.answer_grade_bands(session, q, d))), None)
            if bands:  # the report's own grade first, where it has one ('评了什么等级，等级怎么划分')
                own = A.answer_totals(session, q, docs) if _single(scope) and docs[0].total_score is not None else None
                return _append(own, bands) if own is not None and own.answered else bands
        if scope.named or q.has("compare"):
            totals = A.answer_totals(session, q, docs)
            if groups and totals.answered and _single(scope):  # '总分多少，决策部分多少': the part's points too
                part = A.answer_group(session, q, A.group_of(_by_scope(groups, scope)[0]))
                return _append(totals, part, "and the part it names") if part.answered else totals
            return totals
    # '哪份报告的预算执行率最高': an indicator several reports hold, side by side, the highest said
    across = {m.doc.id for m in leaf}
    if not scope.named and len(across) >= 2 and _ACROSS_REPORTS.search(q.text) and not q.has("rule", "apply"):
        result = A.answer_compare(session, q, [d for d in docs if d.id in across], leaf)
        if result:
            return result
    # several reports named side by side
    if several and (q.has("compare") or len({m.doc.id for m in leaf}) >= 2 or not leaf):
        result = A.answer_compare(session, q, docs, leaf)
        if result:
            return result
    # a hypothetical value under a report's rule
    apply_note = None  # a rule that cannot be applied to what the question gives: said, if nothing else answers
    if q.has("apply") and (q.percents or q.numbers) and leaf:
        for m in _by_scope(leaf, scope):
            result = A.answer_apply(session, q, m.doc, m.name, m.records[0])
            if result and result.answered and q.has("rule") and _ASKS_HOW.search(q.text):
                # '怎么分档给分的？94.65%按哪一档？': the value under the rule, then the whole rule
                rule = A.answer_rule(session, q, m.doc, m.records[0], m.name)
                return _append(result, rule) if rule and rule.answered else result
            if result and (result.answered or m.how != "rule"):
                return result
            apply_note = apply_note or result
    # how an indicator is scored
    if q.has("rule") and not q.has("apply"):
        one_each = list({m.doc.id: m for m in _by_scope(leaf, scope)}.values())
        # (or two reports the question names side by side: '两份报告对满意度指标的扣分规则有什么不同')
        if (not scope.named or scope.distinct) and len(one_each) > 1:
            result = A.answer_rules_each(session, q, one_each)
            if result:
                return result
        same = [m for m in _by_scope(leaf, scope) if m.how == "partial" and m.doc.id == leaf[0].doc.id]
        if len(same) >= 2 and not (q.said_deductions or q.said_scores):
            # '满意度怎么打分' of a report with two 满意度 indicators under one heading: each one's rule
            ruled = [a for m in same[:3] if (a := A.answer_rule(session, q, m.doc, m.records[0], m.name))]
            if ruled:
                return functools.reduce(_append, ruled)
        for m in _by_scope(leaf, scope):
            result = A.answer_rule(session, q, m.doc, m.records[0], m.name)
            if result and (q.said_deductions or q.said_scores) and m.records[0].score is not None:
                # '满意度那项扣了1分，评分标准是怎么规定的': the rule, and what the report found against it
                found = A.answer_indicator(session, q, m.doc, m.records[0])
                return found if "评分标准" in found.answer else _append(result, found)
            if result:
                return result
        if groups and not leaf:  # '产出时效怎么评': the rules of the indicators under it
            g = _by_scope(groups, scope)[0]
            ruled = [a for r in g.records[:5] if (a := A.answer_rule(session, q, g.doc, r, r.name))]
            if ruled:
                return functools.reduce(_append, ruled[:4])
        if q.has("grade") or re.search(r"优.{0,3}良|等级", q.text):
            bands = next((a for d in docs if (a := A.answer_grade_bands(session, q, d))), None)
            if bands:
                return bands
    # '科研经费管理规范性指标得了几分': an indicator the reports neither score nor mention
    term = _unknown_indicator(q, docs) if not leaf and (q.has("score", "why") or "score" in q.quantity) else None
    if term:
        return A.decline(session, f"「{term}」指标", docs if scope.named else [], intent="deduction")
    # a figure the report states about an indicator ('调整后预算、实际支出和预算执行率分别是多少'):
    # the sentence that states it, before the indicator's score
    asks_figure = bool(q.quantity & {"money", "percent", "count"}) and (
        not q.has("why", "score", "weight", "rule", "apply", "measures")
        # '满意度得了6分，满意度调查结果具体是百分之多少': the points are given, the figure is asked
        or bool(q.insists & {"money", "percent", "count"} and q.said_scores and not q.has("why", "rule", "apply", "measures")))
    threshold = float(qa_patterns()["min_evidence"])
    required = _required(q, scope)
    if leaf and asks_figure:
        result, confidence = A.answer_extractive(session, q, docs, scope.named, threshold, required)
        if result:
            result.trace.append(f"evidence score {confidence:.2f} (threshold {threshold:.2f})")
            return result
        if not any(_states_quantity(m.records[0], q) for m in leaf):
            declined = A.decline(session, "与问题相符的内容", docs if scope.named else [])
            declined.trace.append(_why_declined(confidence, threshold))
            return declined
    # one indicator: its score, its deduction and why
    if leaf:
        picked = _pick(q, leaf, scope)
        if len(picked) == 1:
            m = picked[0]
            if q.has("measures") and not q.has("why", "score", "weight", "rule", "total", "problems"):
                # '编外人员控制率怎么改进': the report's measure for it, not its points again
                only = A.answer_items(session, read(session, f"{m.name}的问题怎么改进"), [m.doc], only_one=True)
                if only is not None:
                    return only
            result = _with_total(session, q, A.answer_indicator(session, q, m.doc, m.records[0]), m.doc)
            if q.has("consistency"):  # '正文和附件2写的执行率一致吗': the report's statements of it, each quoted
                stated, _ = A.answer_extractive(session, q, [m.doc], True, threshold, required)
                if stated and A.stated_values(stated.answer) - A.stated_values(result.answer):
                    result = _append(result, stated, "the report's other statements")
            return _with_measures(session, q, result, m.doc, m.name)
        return A.answer_candidates(session, q, [(m.doc, m.records[0]) for m in picked])
    # '得分率最低的二级指标', '扣分最多的指标': the report's indicators ranked
    tabled = [d for d in docs if A.leaves(d)]
    if scope.named and len(tabled) == 1 and not leaf:
        inside = [g for g in _by_scope(groups, scope) if g.doc.id == tabled[0].id]
        ranked = A.answer_ranked(session, q, tabled[0], inside[0] if inside else None)
        if ranked:
            return ranked
    # a group of indicators (一级/二级): subtotal, or which of them lost points
    # (not '针对“人员管理”方面的问题提出了哪些改进措施': the measures of that part, below)
    if (groups and (q.has("score", "why", "weight", "items", "total") or q.numbers)
            and not (q.has("measures", "problems") and not q.has("score", "why", "weight", "total") and not q.numbers)):
        g = _by_scope(groups, scope)[0]
        # '决策、过程、产出、效益四个一级指标各得多少分': each group it names, in its order
        named = list({m.name: m for m in _by_scope(groups, scope) if m.doc.id == g.doc.id}.values())
        if len(named) > 1 and _EACH.search(q.text):
            named.sort(key=lambda m: q.text.find(m.name) if m.name in q.text else 99)
            return functools.reduce(_append, [A.answer_group(session, q, A.group_of(m)) for m in named[:6]])
        return A.answer_group(session, q, A.group_of(g))
    # '人工智能特色小镇规划经费的自评得分': points asked of reports that score nothing (a budget, a 决算)
    if (q.has("score") or "score" in q.quantity) and scope.named and docs and not any(
            A.leaves(d) or d.total_score is not None for d in docs):
        # unless its text states points of its own ('绩效自评的项目4个，…平均得分99.43分')
        result, _ = A.answer_extractive(session, q, docs, True, threshold, required) if not q.has("why") else (None, 0)
        if result and any(_POINTS.search(c.quote) for c in result.citations):
            return result
        return A.decline(session, "得分（所指报告没有评分）", docs, intent="deduction")
    # '福田科工信局2024年得了多少分': points asked of one report, nothing else named: its total
    scored = [d for d in docs if d.total_score is not None]
    if (q.has("score") and not q.has("why", "rule", "apply", "weight") and not q.numbers and scope.named
            and len(scored) == 1 and not _asks_besides_points(session, q, scored)):
        return A.answer_totals(session, q, scored)
    # '扣了1.5分的那个指标'
    if q.numbers and q.has("why"):
        found = _closest_names(q, A.records_by_numbers(q, docs))
        if len(found) == 1:
            doc, rec = found[0]
            return _with_measures(session, q, A.answer_indicator(session, q, doc, rec), doc, rec.name)
        if found and len({doc.id for doc, _ in found}) == 1 and len({rec.name for _, rec in found}) == len(found):
            # '罗湖创新驱动项目扣了2分的是哪几项': one report, several rows lost those points: each
            return functools.reduce(_append, [A.answer_indicator(session, q, doc, rec) for doc, rec in found[:4]])
        if found:
            return A.answer_candidates(session, q, found)
        if scope.named and not any(A.leaves(d) for d in docs):  # a budget or 决算 has no points to lose
            return A.decline(session, "扣分的指标（该报告没有评分表）", docs, intent="deduction")
    # '有哪些分值3分的三级指标被扣成了0分': the rows of the scoring table with the points it states
    if (q.said_scores or q.said_deductions) and q.has("items") and not leaf and _single(scope) and A.leaves(docs[0]):
        doc = docs[0]
        rows = [r for r in (A.effective(doc, x) for x in A.leaves(doc)) if q.fits_points(r.score, r.deduction, r.weight)]
        if rows:
            return A.answer_group(session, q, A.Group(doc=doc, level=0, name="评分表中符合所述分数的指标", records=rows))
    # '都是哪些指标扣了分': every indicator of the report's scoring table that lost points
    if q.has("why") and q.has("items") and not leaf and _single(scope) and A.leaves(docs[0]):
        doc = docs[0]
        records = [A.effective(doc, r) for r in A.leaves(doc)]
        table = A.Group(doc=doc, level=0, name="评分表全部指标", records=records,
                        stated_groups=_groups_losing(doc, records))
        return A.answer_group(session, q, table)
    # the report's own numbered problems and measures
    if q.has("problems", "measures") and (scope.named or len(docs) <= 2):
        result = A.answer_items(session, q, docs)
        if result:
            return result
    # a problem or measure named by its own title ('预算绩效管理有待加强具体表现在哪')
    if scope.named and len(docs) <= 2 and not leaf:
        result = A.answer_named_item(session, q, docs)
        if result:
            return result
    # who evaluated, what kind of report
    if q.has("who", "kind", "basis", "method") and not q.has("role") and _single(scope):  # a 负责人 is in a table row, not the metadata
        result = A.answer_meta(session, q, docs[0])
        if result:
            return result
    # '有哪些亮点', '部门职责是什么': a section the question names, when it asks what is in it
    section = A.answer_section(session, q, docs) if scope.named and len(docs) <= 2 and not leaf and not groups else None
    if section and not q.quantity and re.search(r"哪些|什么|是啥|有啥|内容|介绍|概括|怎么写|如何写|怎么说|怎么表述|如何表述", q.text):
        return section
    result, confidence = A.answer_extractive(session, q, docs, scope.named, threshold, required)
    if result:
        result.trace.append(f"evidence score {confidence:.2f} (threshold {threshold:.2f})")
        return result
    if apply_note:
        return apply_note
    declined = A.decline(session, "与问题相符的内容", docs if scope.named else [])
    declined.trace.append(_why_declined(confidence, threshold))
    return declined


def _why_declined(confidence: float, threshold: float) -> str:
    if confidence < threshold:
        return f"best evidence score {confidence:.2f} below {threshold:.2f}"
    return f"best evidence ({confidence:.2f}) does not state what is asked (kind of number, actual figure, names)"


def _closest_names(q: Question, found: list) -> list:  # type: ignore[type-arg]
    """Indicators that lost the points the question states, narrowed to the one whose name shares
    clearly the most characters with the question's words for it ('目标设定合理程度…失分1.5分':
    绩效目标合理性, not 绩效指标明确性)."""
    if len(found) < 2:
        return found
    shared = [len(set(rec.name) & set(q.text)) for _, rec in found]
    best = max(shared)
    if shared.count(best) == 1 and best - sorted(shared)[-2] >= 2:
        return [found[shared.index(best)]]
    return found


def _groups_losing(doc: Document, records: list) -> list:  # type: ignore[type-arg]
    """Groups whose points the report states only in its text ('产出数量指标分值 12 分，得分 11 分') and
    whose rows show no deduction (their 分值 cells lost): each as a row of its own, so a list of what
    lost points leaves none of it out."""
    out = []
    for path in dict.fromkeys(tuple(r.levels[:i]) for r in records for i in range(1, len(r.levels))):
        if any(r.deduction for r in records if tuple(r.levels[: len(path)]) == path):
            continue
        stated = A.group_statement(doc, path[-1])
        if stated is not None and stated.weight is not None and stated.score is not None and stated.score < stated.weight:
            out.append(stated.model_copy(update={"levels": list(path), "deduction": stated.weight - stated.score}))
    return out


def _with_total(session: Session, q: Question, result: Answer, doc: Document) -> Answer:
    """'总分多少，预算执行率那项得了几分': the report's total before the indicator's answer."""
    if not q.has("total") or doc.total_score is None:
        return result
    total = A.answer_totals(session, q, [doc])
    if not total.answered:
        return result
    return result.model_copy(update={"answer": f"{total.answer}\n\n{result.answer}",
                                     "citations": [*total.citations, *result.citations]})


def _with_measures(session: Session, q: Question, result: Answer, doc: Document, name: str) -> Answer:
    """'政府采购执行情况那项被扣了0.32分，报告说后面准备怎么改': the measure the report gives for it."""
    if not q.has("measures"):
        return result
    measure = A.answer_items(session, read(session, f"{name}的问题怎么改进"), [doc], only_one=True)
    if measure is None:
        return result
    return _append(result, measure)


def _required(q: Question, scope: Scope) -> set[str]:
    """Places the question names that are not the reports' own ('河南报告中提到的黑龙江…'), and a role
    it asks for ('负责人'): an answer must speak of them."""
    from assistant.qa.scope import places_in

    mentioned = places_in(q.text)
    held = {p for d in scope.docs for p in places_in(d.unit or "") | places_in(d.title)}
    roles = set(evidence.asked_roles(q))  # '负责人是谁'
    return {p for p in mentioned if not any(p in h or h in p for h in held)} | roles


_ACROSS_REPORTS = re.compile(r"(哪(个|份|家)|谁).{0,16}(最|更)(高|低|多|少|好|差)|(最|更)(高|低|多|少)的是哪|which (report|one).*(highest|lowest|best|worst)")
_POINTS = re.compile(r"得分\s*\d+(?:\.\d+)?\s*分|\d+(?:\.\d+)?\s*分")
_INDICATOR_TERM = re.compile(r"([\u4e00-\u9fff]{4,14}?(?:性|率|度))[”\"」』]?\s*(?:这个|这项|那项|的)?指标")


# what a question asking a report's points may say besides the report's name ('自评最终得了多少分')
_SCORE_WORDS = re.compile(r"部门整体|整体|支出|绩效|自评|评价|得分|多少分|几分|最终|最后|总体|分数|得了|拿了|打了|评了|拿到|得到|"
                          r"项目|资金|专项|那个|这个|一共|总共")


def _asks_besides_points(session: Session, q: Question, docs: list[Document]) -> bool:
    stripped = dataclasses.replace(q, text=_SCORE_WORDS.sub(" ", q.text), search_text=_SCORE_WORDS.sub(" ", q.search_text),
                                   words_text=_SCORE_WORDS.sub(" ", q.words_text))
    # (nor do the words of a report's own project name: '罗湖创新驱动产业服务项目的绩效评价得了多少分' asks its total)
    # (said with or without its 与: '创新驱动产业服务' leaves 动产 alone, one of seven)
    want = evidence.content_bigrams(stripped, A.idents_of(session, docs))
    rest = want - evidence.bigrams(" ".join(A.project_names(docs)))
    return len(rest) >= 2 or 4 * len(rest) > len(want)


def _unknown_indicator(q: Question, docs: list[Document]) -> str | None:
    """A name the question calls an indicator ('…规范性指标') that none of the reports prints."""
    m = _INDICATOR_TERM.search(q.text)
    if not m or not docs:
        return None
    term = re.split(r"[年的是中里在了]", m.group(1))[-1]
    if len(term) < 4:
        return None
    texts = (re.sub(r"\s", "", " ".join(p.text for p in d.paragraphs)) for d in docs)
    return None if any(term in t for t in texts) else term


_PROJECT_EVALUATED = re.compile(r"([\u4e00-\u9fff]{3,20}?)(?:那个|这个|这一|的)?项目的?(?:绩效)?(?:评价|自评)")
_GENERIC_PROJECT_WORDS = re.compile(r"经费|资金|专项|项目|[省市区县局厅委办]")


def _other_project(q: Question, docs: list[Document], places: set[str]) -> str | None:
    """The project a question asks the evaluation of ('科普工作经费那个项目的评价报告'), where it is none
    of the named reports' projects (their titles, the names they give what they evaluate)."""
    m = _PROJECT_EVALUATED.search(re.sub(r"[\d\s“”\"'《》「」]+", " ", q.text))
    if not m or not docs:
        return None
    name = re.sub(r"^(?:年度?|度)", "", m.group(1).split(" ")[-1])
    bare_name = name
    for place in sorted(places, key=len, reverse=True):  # '罗湖创新驱动产业服务': its place first
        bare_name = bare_name.replace(place, " ")
    own = evidence.bigrams(_GENERIC_PROJECT_WORDS.sub(" ", bare_name))
    if len(name) < 4 or len(own) < 2:
        return None
    titles = " ".join([*A.project_names(docs), *(d.title for d in docs)])
    shared = own & evidence.bigrams(titles)
    return None if 2 * len(shared) >= len(own) else name


_LONE_YEAR = re.compile(r"(20\d{2})\s*年?度?\s*(?:单独|当年|单年|一年|这一年)")


def _states_quantity(rec, q: Question) -> bool:  # type: ignore[no-untyped-def]
    """Whether an indicator's own texts carry the kind of number asked for (a % for 率)."""
    # the scoring table's row states a rule ('满意度达95%，得满分'): its numbers are thresholds, not values
    rule_free = re.sub(r"[^；;。]*(?:得满分|不得分|扣除|扣\s*\d|得\s*\d+(?:\.\d+)?\s*分)[^；;。]*", "", rec.quote or "")
    text = " ".join(x for x in (rec.reason, rule_free, rec.commentary) if x)
    if not evidence.speaks_of_period([text], q):  # '5月末的执行率' of an indicator scored by quarter
        return False
    for y in _LONE_YEAR.findall(q.text):  # '2019年单独的满意度' of an indicator scored over 2018-2020
        if not re.search(rf"(?<![-—–~至\d]){y}(?!\s*年?\s*[-—–~至]|\d)", text):
            return False
    if "percent" in q.insists and (rate := evidence.rate_name(q)):  # '满意率是百分之多少': that rate, stated
        return rate in text.replace(" ", "") and "%" in text
    if "percent" in q.quantity:  # a value, not a rule's bounds ('90%≤满意度＜95%的，得4分')
        return bool(re.search(r"%", evidence.RULE_BOUNDS.sub("", text)))
    if "money" in q.quantity:
        return bool(re.search(r"万元|亿元|元", text))
    if "count" in q.quantity:  # '有效问卷多少份': a number of things counted, not the indicator's points
        return bool(re.search(r"\d+\s*(?:个|项|家|人|份|届|次|名|场|件)", text))
    return True


def _by_scope(mentions: list[Mention], scope: Scope) -> list[Mention]:
    order = {d.id: i for i, d in enumerate(scope.docs)}
    return sorted(mentions, key=lambda m: order.get(m.doc.id, 99))


def _pick(q: Question, leaf: list[Mention], scope: Scope) -> list[Mention]:
    """One indicator: the best-named one; the question's numbers ('扣了1.5分', '只得5分') choose among
    reports; several reports' candidates only when the question names none."""
    best_len = leaf[0].length
    top = [m for m in leaf if m.length >= best_len - 1] or leaf[:1]
    if q.numbers:
        # as the row reads with its twin's points (a row printed without its 分值 or 扣分)
        seen = [(m, A.effective(m.doc, m.records[0])) for m in top]
        by_number = [m for m, r in seen if q.fits_points(r.score, A.lost(r), r.weight)]
        if by_number:
            top = by_number
    by_doc: dict[str, Mention] = {}
    for m in top:
        by_doc.setdefault(m.doc.id, m)
    picked = list(by_doc.values())
    if scope.named and len(picked) > 1 and scope.distinct:
        return picked[:1]
    return picked  # '科创局2021年…' names 罗湖's and 福田's equally: each, said so
