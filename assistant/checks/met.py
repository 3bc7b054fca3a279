"""One indicator fully met in one place and deficient in another: full marks in the scoring table,
named among the problems the report lists."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.model import Finding
from assistant.checks.numbers import NUM
from assistant.checks.targets import unmet
from assistant.checks.text import ev, ev_record, ev_target, in_problem_section, patterns, rx, sentences
from assistant.ingest import Document
from assistant.ingest.narrative import indicator_key
from assistant.ingest.patterns import squash


def full_marks_among_problems(doc: Document) -> list[Finding]:
    deficient = re.compile(patterns()["deficient_words"])
    full = [r for r in doc.records if r.source == "table" and not r.subtotal and r.weight and r.score == r.weight
            and len(indicator_key(r.name)) >= 4]
    out = []
    done: set[str] = set()
    for p, s in sentences(doc):
        if not in_problem_section(p) or not deficient.search(s):
            continue
        for r in full:
            key = indicator_key(r.name)
            if key in done or key not in s.replace(" ", ""):
                continue
            done.add(key)
            out.append(Finding(
                doc=doc.id, kind="met_vs_deficient", severity="low", rule="met.full_marks_among_problems",
                message=f"「{r.name}」在评分表中得满分（{r.score} 分），而问题部分称其存在不足。",
                evidence=[ev_record(r), ev(p, s)],
            ))
    return out



def praised_and_lacking(doc: Document) -> list[Finding]:
    """The problem section names a lacking quality of a subject ('绩效指标设置完整性和明确性不足'); a
    sentence outside it praises the same subject for that quality ('绩效指标设置完整、依据充分')."""
    lacking = rx("lacking_quality")
    syn = patterns()["synonyms_quality"]
    deficient = re.compile(patterns()["deficient_words"])
    problems = []
    for p, s in sentences(doc, ("text", "heading")):
        if in_problem_section(p) or p.kind == "heading":
            for m in lacking.finditer(s):
                problems.append((p, s, m))
    out = []
    done: set[str] = set()
    for p0, s0, m in problems:
        subj = m.group("subj")
        for q in filter(None, (m.group("q1"), m.group("q2"))):
            words = syn.get(q, q)
            praise = re.compile(rf"{re.escape(subj)}(?:[^。；，,]{{0,2}})(?:{words})(?!性)")
            for p, s in sentences(doc):
                if in_problem_section(p) or p.line == p0.line or deficient.search(s) or not praise.search(s):
                    continue
                if subj in done:
                    break
                done.add(subj)
                out.append(Finding(
                    doc=doc.id, kind="met_vs_deficient", severity="low", rule="met.praised_and_lacking",
                    message=f"一处称「{praise.search(s).group(0)}」，问题部分又称「{m.group(0)}」。",  # type: ignore[union-attr]
                    evidence=[ev(p, s), ev(p0, s0)],
                ))
    return out


def unmet_full_marks(doc: Document) -> list[Finding]:
    """A scoring row whose rule deducts for unmet targets ('未实现绩效目标的酌情扣分') scored full marks,
    while the report's own target table has a row below its target."""
    missed = [(t, why) for t in doc.targets if (why := unmet(t))]
    if not missed:
        return []
    out = []
    for r in doc.records:
        if r.source != "table" or r.subtotal or not r.weight or r.score != r.weight or not r.rule \
                or not rx("unmet_rule").search(squash(r.rule)):
            continue
        out.append(Finding(
            doc=doc.id, kind="met_vs_deficient", severity="low", rule="met.unmet_full_marks",
            message=(f"「{r.name}」按规则「未实现绩效目标的酌情扣分」，却得满分 {r.score} 分；绩效目标表中"
                     + "；".join(f"{t.levels[-1]}（{why}）" for t, why in missed[:3]) + "。"),
            evidence=[ev_record(r)] + [ev_target(t) for t, _ in missed[:3]],
        ))
    return out


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _named(name: str, listed: str) -> bool:
    """A row is named in the list by its name, or by a near form of it in one item ('一次性竞赛补贴对达标率'
    for '一次性竞赛补贴补助对象达标率': the table's cell lost two characters)."""
    if name in listed:
        return True
    return any(_subsequence(name, item) and len(name) >= 0.7 * len(item) for item in re.split(r"[、，,]", listed))


def deducted_unlisted(doc: Document) -> list[Finding]:
    """The summary lists a first-level indicator's 扣分项; a row of the scoring table under that level
    lost points and is not in the list (the list names each of them, so it claims to be whole)."""
    rows = [r for r in doc.records if r.source == "table" and not r.subtotal and r.levels and r.weight is not None
            and r.score is not None]
    out = []
    for p, s in sentences(doc):
        for m in rx("deducted_list").finditer(s):
            level = m.group("level")
            under = [r for r in rows if r.levels[0] == level]
            listed = squash(m.group("list"))
            if len(under) < 2 or not any(_named(squash(r.name), listed) for r in under):
                continue  # not this table's level, or a list in other words
            missing = [r for r in under if r.score < r.weight and not _named(squash(r.name), listed)]
            if not missing:
                continue
            out.append(Finding(
                doc=doc.id, kind="claim_vs_table", severity="low", rule="met.deducted_unlisted",
                message=(f"{level}指标的扣分项未列「{'」「'.join(r.name for r in missing)}」，评分表中这些指标"
                         f"均被扣分（{'，'.join(f'{r.score}/{r.weight} 分' for r in missing)}）。"),
                evidence=[ev(p, s), *(ev_record(r) for r in missing)],
            ))
    return out


_POINT = re.compile(r"([①②③④⑤⑥⑦⑧⑨])([^①②③④⑤⑥⑦⑧⑨；;。]+)")
_CMP = {"≤": lambda a, b: a <= b, "≥": lambda a, b: a >= b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
        "＜": lambda a, b: a < b, "＞": lambda a, b: a > b}
_TOKEN = re.compile(r"\d+届|20\d\d年")


def _common_suffix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n:]


def point_against_values(doc: Document) -> list[Finding]:
    """An evaluation point that compares one measure of two periods ('①2021年…46届世赛周期人均集训成本≤2024年
    …47届世赛周期人均集训成本'), and the 评分说明 that prints both values and says the point is (not) met
    when the values say the opposite (4.30 ≤ 2.21 is false, '符合评价要点①')."""
    out = []
    for r in doc.records:
        if r.source != "table" or not r.explanation or "评价要点" not in r.explanation or not r.reason:
            continue
        for mark, point in _POINT.findall(r.explanation.split("评价要点", 1)[1]):
            ops = [c for c in point if c in _CMP]
            if len(ops) != 1:
                continue
            lhs, rhs = point.split(ops[0])
            lt, rt = set(_TOKEN.findall(lhs)), set(_TOKEN.findall(rhs))
            suffix = _common_suffix(lhs.strip(), rhs.strip())
            if len(suffix) < 4 or not lt or not rt or lt & rt:
                continue
            verdict = re.search(rf"(不)?符合(?:评价)?要点{mark}", r.reason)
            if verdict is None:
                continue
            segment = re.split(r"[；;。]", r.reason[:verdict.start()])[-1]
            for k in range(len(suffix) - 3):
                key = suffix[k:]
                values = list(re.finditer(rf"{re.escape(key)}(?:为|是)?\s*(?P<v>{NUM})", segment))
                if values:
                    break
            if len(values) != 2:
                continue
            # each value belongs to the period named last before it
            last = [_TOKEN.findall(segment[:values[0].start()])[-1:],
                    _TOKEN.findall(segment[values[0].end():values[1].start()])[-1:]]
            if not all(last):
                continue
            if last[0][0] in lt and last[1][0] in rt:
                a, b = (Decimal(v.group("v")) for v in values)
            elif last[0][0] in rt and last[1][0] in lt:
                b, a = (Decimal(v.group("v")) for v in values)
            else:
                continue
            holds = _CMP[ops[0]](a, b)
            if holds == (verdict.group(1) is None):
                continue
            said = verdict.group(0)
            out.append(Finding(
                doc=doc.id, kind="formula", severity="low", rule="met.point_against_values",
                message=(f"「{r.name}」评价要点{mark}要求 {key}（{'、'.join(sorted(lt))}）{ops[0]}（{'、'.join(sorted(rt))}），"
                         f"评分说明所列为 {a} 与 {b}，{'不成立' if not holds else '成立'}，却称「{said}」。"),
                evidence=[ev_record(r)],
                computation=f"{a} {ops[0]} {b}: {holds}",
            ))
    return out


CHECKS = (full_marks_among_problems, praised_and_lacking, unmet_full_marks, deducted_unlisted, point_against_values)
