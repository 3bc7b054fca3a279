"""Answers phrased by a language model, shown only when the guard passes them.

The deterministic pipeline answers first (`assistant.qa`); its answer, structured facts and verified
citations become the model's prompt (`prompts_templates/llm/answer*.j2`), each citation as evidence
with an id (E1, E2, …). The reply is checked by `assistant.llm.guard.check_answer`; if it passes it
is shown with the citations it cites (renumbered [1], [2], …), else the deterministic answer is
shown with a note saying why the model's answer was rejected. The reply is only ever text: it is
not rendered as a template, not parsed as markup by the CLI, and not executed.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.llm.client import ChatClient, Delta, LLMError, Message
from assistant.llm.guard import Evidence, check_answer, clean_reply, quoted_spans
from assistant.qa.model import Answer, Citation, IndicatorFacts
from assistant.templating import num, render

HISTORY_TURNS = 3
_GROUP = re.compile(r"[\[【]\s*(E\d+(?:\s*[,，、;；]\s*E\d+)*)\s*[\]】]")
_BARE = re.compile(r"(?<![A-Za-z])E(\d+)(?!\d)")
_MARKERS = re.compile(r"\[(?:E?\d+)\]")
_INTERNAL_TRACE = re.compile(r"evidence score|citation\(s\)|^llm:")


def where(c: Citation) -> str:
    return " · ".join(x for x in (f"《{c.title}》", c.section, f"第 {c.page} 页" if c.page else "") if x)


def evidence_of(answer: Answer) -> list[Evidence]:
    return [Evidence(f"E{i}", c.quote, where(c)) for i, c in enumerate(answer.citations, 1)]


def _indicator_line(f: IndicatorFacts) -> str:
    parts = [f"指标「{' > '.join(f.levels)}」"]
    for label, value in (("分值", f.weight), ("得分", f.score), ("扣分", f.deduction)):
        if value is not None:
            parts.append(f"{label} {num(value)} 分")
    if f.reason:
        parts.append(f"原因（原文）：{f.reason}")
    if f.rule:
        parts.append(f"评分标准：{f.rule}")
    return "；".join(parts)


def fact_lines(answer: Answer) -> list[str]:
    """The structured facts: the indicator record, candidates, the scorer's trace."""
    lines = [_indicator_line(f) for f in ([answer.indicator] if answer.indicator else []) + answer.candidates]
    lines += [f"评分计算：{t}" for t in answer.trace if not _INTERNAL_TRACE.search(t)]
    return lines


def _names(answer: Answer) -> list[str]:
    """What a reply may put in quotes besides its evidence: the indicators' names and paths, and exactly
    what the deterministic answer itself quotes (「优」, 「编外人员控制率」, a rule's text)."""
    facts = ([answer.indicator] if answer.indicator else []) + answer.candidates
    return ([level for f in facts for level in f.levels] + [" > ".join(f.levels) for f in facts]
            + [c.title for c in answer.citations] + quoted_spans(answer.answer))


def messages(question: str, answer: Answer, history: list[tuple[str, str]],
             user_dir: Path | None = None) -> list[Message]:
    out = [Message("system", render("llm/answer_system.j2", user_dir))]
    for q, a in history[-HISTORY_TURNS:]:
        out += [Message("user", q), Message("assistant", _MARKERS.sub("", a)[:800])]
    out.append(Message("user", render("llm/answer.j2", user_dir, question=question, reference=answer.answer,
                                      facts=fact_lines(answer), evidence=evidence_of(answer))))
    return out


def renumber(reply: str, order: list[str]) -> str:
    """[E3][E1] → [1][2] in the order the citations are listed."""
    index = {e: str(i) for i, e in enumerate(order, 1)}

    def group(m: re.Match[str]) -> str:
        ids = re.findall(r"E\d+", m.group(1))
        return "".join(f"[{index[i]}]" for i in dict.fromkeys(ids) if i in index)

    text = _GROUP.sub(group, reply)
    return _BARE.sub(lambda m: f"[{index.get('E' + m.group(1), '?')}]", text)


def phrase(client: ChatClient, answer: Answer, history: list[tuple[str, str]] | None = None,
           on_delta: Delta | None = None, user_dir: Path | None = None) -> Answer:
    """The answer in the model's words if the guard passes them, else the deterministic answer with a
    note. Never raises for the model's failings: a timeout or an HTTP error leaves the answer as it is."""
    if not answer.answered:
        answer.trace.append("llm: not asked (the corpus does not hold the answer)")
        return answer
    evidence = evidence_of(answer)
    try:
        raw = client.chat(messages(answer.question, answer, history or [], user_dir), on_delta=on_delta)
        model = client.model
    except LLMError as exc:
        answer.llm_note = f"模型未能作答（{exc}），以下为程序生成的回答。"
        answer.trace.append(f"llm: failed: {exc}")
        return answer
    reply = clean_reply(raw)
    verdict = check_answer(reply, evidence, [answer.answer, *fact_lines(answer)], _names(answer))
    if not verdict.ok:
        answer.llm_rejected = True
        answer.llm_note = f"模型的回答未采用（{'；'.join(verdict.problems)}），以下为程序生成的回答。"
        answer.trace.append(f"llm: rejected the reply of {model}: {'; '.join(verdict.problems)}")
        return answer
    by_id = {e.id: c for e, c in zip(evidence, answer.citations, strict=True)}
    answer.exact_answer = answer.answer
    answer.answer = renumber(reply, verdict.cited)
    answer.citations = [by_id[i] for i in verdict.cited]
    answer.llm_rejected = False
    answer.llm_note = f"由模型 {model} 组织语言；其中的数字、引文和出处已逐一核对。"
    answer.trace.append(f"llm: accepted the reply of {model}, citing {', '.join(verdict.cited) or 'nothing'}")
    return answer
