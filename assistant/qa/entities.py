"""Linking a question to the indicators of the reports in scope, fuzzily and from the corpus itself:
names at every level (一级 … 四级), the other names a report gives an indicator (a summary table's, the
narrative's), printed codes ('C201', 'B2'), and near misses by edit distance ('指票' for '指标'
is a look-alike the pinyin repair cannot see).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from assistant.ingest import Document, IndicatorRecord
from assistant.ingest.narrative import STATEMENT
from assistant.ingest.patterns import squash
from assistant.qa.understand import Question, bare, project_names
from index.lexicon import expand
from index.normalize import normalize

_QUOTES = re.compile(r"[“”\"「」『』‘’'《》]")


def name_key(name: str) -> str:
    """An indicator name for matching: normalised, no whitespace, quotes or '指标'."""
    key = _QUOTES.sub("", squash(normalize(name)))
    return key[:-2] if key.endswith("指标") and len(key) > 4 else key


@dataclass
class Mention:
    doc: Document
    records: list[IndicatorRecord]  # the leaf records under the mentioned name (one for a leaf)
    level: int  # 0 = 一级 … len(levels)-1 = the leaf
    name: str  # as the report prints it
    how: str  # "name" | "alias" | "code" | "fuzzy"
    length: int  # characters of the question it covers

    @property
    def is_leaf(self) -> bool:
        """One indicator: a leaf name, or a group name with one indicator under it ('满意度')."""
        return len(self.records) == 1


def leaves(doc: Document) -> list[IndicatorRecord]:
    """The table rows of a report (its narrative statements where it has no table)."""
    table = [r for r in doc.records if r.source == "table" and r.score is not None and not r.subtotal]
    return table or [r for r in doc.records if r.source == "narrative" and r.score is not None]


def _names(doc: Document) -> list[tuple[str, int, IndicatorRecord, str]]:
    """(key, level, leaf record, how) for every name a report gives its indicators."""
    out = []
    leafs = leaves(doc)
    by_id = {r.id: r for r in leafs}
    for rec in leafs:
        for k, lv in enumerate(rec.levels):
            out.append((name_key(lv), k, rec, "name"))
        for alias in rec.aliases:
            out.append((name_key(alias), len(rec.levels) - 1, rec, "alias"))
        if rec.code:
            out.append((rec.code, len(rec.levels) - 1, rec, "code"))
    # the narrative's own wording for an indicator the table names otherwise
    for n in doc.records:
        if n.source == "narrative" and n.linked_to in by_id:
            m = STATEMENT.search(n.quote)
            if m:
                target = by_id[n.linked_to]
                out.append((name_key(m.group("name")), len(target.levels) - 1, target, "alias"))
    return [x for x in out if len(x[0]) >= 2]


def unknown_codes(codes: list[str], docs: list[Document]) -> list[str]:
    """Indicator codes a question names ('E101') that reports which code their indicators do not use."""
    coded = [d for d in docs if any(r.code for r in leaves(d))]
    if not coded:
        return []
    known = {r.code.upper() for d in coded for r in leaves(d) if r.code} | {c.upper() for d in coded for c in _group_codes(d)}
    return [c for c in codes if c.upper() not in known]


def coded_in(codes: list[str], docs: list[Document]) -> list[Document]:
    """The reports whose scoring table prints one of the codes ('B201预算执行率'): a code says which report."""
    wanted = {c.upper() for c in codes}
    return [d for d in docs if wanted & ({r.code.upper() for r in leaves(d) if r.code} | {c.upper() for c in _group_codes(d)})]


def _group_codes(doc: Document) -> dict[str, tuple[int, str]]:
    """'C' → (0, '产出'), 'C2' → (1, '产出质量'): the codes of groups, from the codes of their rows."""
    out: dict[str, tuple[int, str]] = {}
    for rec in leaves(doc):
        if not rec.code or len(rec.levels) < 3:
            continue
        out.setdefault(rec.code[:1], (0, rec.levels[0]))
        out.setdefault(rec.code[:-2], (1, rec.levels[1]))
    return out


def link(q: Question, docs: list[Document]) -> list[Mention]:
    """Mentions of indicators in the question, best first: exact names (longest first, leaves before
    groups), codes, then near misses."""
    text = name_key(q.search_text)
    found: list[Mention] = []
    for doc in docs:
        groups: dict[tuple[int, str], list[IndicatorRecord]] = {}
        for rec in leaves(doc):
            for k, lv in enumerate(rec.levels):
                groups.setdefault((k, name_key(lv)), []).append(rec)
        seen: set[tuple[int, str]] = set()
        for key, level, rec, how in _names(doc):
            if how == "code":
                if key not in q.codes:
                    continue
            elif key not in text:
                continue
            group_key = (level, name_key(rec.levels[level]))
            if group_key in seen:
                continue
            seen.add(group_key)
            members = [rec] if level == len(rec.levels) - 1 else groups.get(group_key, [rec])
            found.append(Mention(doc=doc, records=members, level=level, name=rec.levels[level], how=how,
                                 length=len(key) if how != "code" else 8))
        for code, (level, name) in _group_codes(doc).items():
            if code in q.codes and (level, name_key(name)) not in seen:
                members = groups.get((level, name_key(name)), [])
                if members:
                    found.append(Mention(doc=doc, records=members, level=level, name=name, how="code", length=8))
    if not any(m.is_leaf for m in found):
        found += _partial(q, docs, text) or _fuzzy(q, docs, text) or _inside_rule(docs, text)
    # a leaf's own name wins over a group name it contains ('社会效益' inside '社会效益、经济效益…')
    found.sort(key=lambda m: (-m.length, not m.is_leaf))
    return _drop_contained(found)


def _drop_contained(found: list[Mention]) -> list[Mention]:
    """A mention whose name is part of a longer mention's name ('满意度' in '受扶持对象满意度') is the
    longer one."""
    keys = [name_key(m.name) for m in found]
    out = []
    for i, m in enumerate(found):
        k = keys[i]
        if any(len(keys[j]) > len(k) and k in keys[j] and found[j].how != "code" for j in range(len(found))):
            continue
        out.append(m)
    return out


def _partial(q: Question, docs: list[Document], text: str) -> list[Mention]:
    """'满意度' for '公众或服务对象满意度': the end of one indicator's name (three characters or more,
    a quarter of it or more), where no other indicator of the report ends the same way."""
    out = []
    for doc in docs:
        names = {name_key(r.name): r for r in leaves(doc)}
        for key, rec in names.items():
            for n in range(len(key) - 1, 2, -1):
                tail = key[-n:]
                if n * 4 < len(key) or tail not in text:
                    continue
                # the question's own word must be this tail, not a longer other name ('政府采购执行率')
                if not any(i == 0 or not re.match(r"[\u4e00-\u9fff]", text[i - 1]) or text[i - 1] in "的个里中是和与"
                           for i in (m.start() for m in re.finditer(re.escape(tail), text))):
                    break
                if sum(1 for k in names if k.endswith(tail)) == 1:
                    out.append(Mention(doc=doc, records=[rec], level=len(rec.levels) - 1, name=rec.name, how="partial",
                                       length=n))
                break
        if not any(m.doc is doc for m in out):
            out += _siblings_ending(doc, names, text)
        if not out:  # '预算编制那项' for '预算编制科学性': the start of one name, said as the item
            for key, rec in names.items():
                for n in range(len(key) - 1, max(3, (len(key) + 1) // 2 - 1), -1):
                    head = key[:n]
                    if re.search(re.escape(head) + _ITEM_AFTER, text) and sum(1 for k in names if k.startswith(head)) == 1:
                        out.append(Mention(doc=doc, records=[rec], level=len(rec.levels) - 1, name=rec.name,
                                           how="partial", length=n))
                        break
        if not out:  # '公众满意度' for '公众或服务对象满意度': the name with a middle part left out
            short = {k: _contractions(k) for k in names}
            for key, rec in names.items():
                hit = max((c for c in short[key] if c in text and not any(c in o or c in short[o] for o in names if o != key)),
                          key=len, default=None)
                if hit:
                    out.append(Mention(doc=doc, records=[rec], level=len(rec.levels) - 1, name=rec.name, how="partial",
                                       length=len(hit)))
        if not out:  # '参赛选手专家教练那边满意度': its start and its end, a few words of the question between
            ends = [(rec, n) for key, rec in names.items() if (n := _start_and_end(key, text))]
            if len(ends) == 1:
                rec, n = ends[0]
                out.append(Mention(doc=doc, records=[rec], level=len(rec.levels) - 1, name=rec.name, how="partial",
                                   length=n))
    return out


def _start_and_end(key: str, text: str) -> int:
    """How many characters of a name the question says as its start (four or more) and its end (three or
    more, after the start, at most four characters of the question's own between); 0 if it does not."""
    key = re.sub(r"[、，,（）()\s]", "", key)  # '参赛选手、专家教练…' said without its 、
    for i in range(len(key) - 3, 3, -1):
        at = text.find(key[:i])
        if at < 0:
            continue
        for j in range(len(key) - 3, i - 1, -1):
            tail = key[j:]
            after = text.find(tail, at + i)
            if 0 <= after - (at + i) <= 4:
                return i + len(tail)
        return 0
    return 0


def _siblings_ending(doc: Document, names: dict[str, IndicatorRecord], text: str) -> list[Mention]:
    """'满意度怎么评分' where one group holds 一次性竞赛补贴对象满意度 and 参赛选手…补助对象满意度: each of
    the two or three indicators of one group whose names end with the question's own word."""
    for n in range(min(8, len(text)), 2, -1):
        for i in range(len(text) - n + 1):
            tail = text[i : i + n]
            if not re.fullmatch(r"[\u4e00-\u9fff]+", tail) or (
                    i > 0 and re.match(r"[\u4e00-\u9fff]", text[i - 1]) and text[i - 1] not in "的个里中是和与"):
                continue
            ends = [rec for key, rec in names.items() if key.endswith(tail) and key != tail]
            if 2 <= len(ends) <= 3 and len({tuple(r.levels[:-1]) for r in ends}) == 1:
                return [Mention(doc=doc, records=[r], level=len(r.levels) - 1, name=r.name, how="partial", length=n)
                        for r in ends]
    return []


def _contractions(key: str) -> set[str]:
    """A name's start and end with a middle part left out, four characters or more ('公众满意度')."""
    if len(key) < 6:
        return set()
    return {key[:i] + key[j:] for i in range(2, len(key) - 2) for j in range(i + 1, len(key) - 2) if i + len(key) - j >= 4}


# what follows a shortened name said as the item itself ('预算编制那项', '预算编制这一项得了多少分')
_ITEM_AFTER = r"(?=那项|那一项|这项|这一项|一项|项(?!目)|指标|的?得分|的?扣分|得了|扣了|拿了)"


def _fuzzy(q: Question, docs: list[Document], text: str) -> list[Mention]:
    """Leaf names of four or more characters found in the question with one edit (two from eight, or
    from six where only the middle differs and no other name fits so)."""
    out: list[Mention] = []
    loose: list[Mention] = []
    for doc in docs:
        for key, level, rec, how in _names(doc):
            if how == "code" or len(key) < 4 or level != len(rec.levels) - 1:
                continue
            if fuzz.partial_ratio(key, text) < 70:
                continue
            align = fuzz.partial_ratio_alignment(key, text)
            window = text[align.dest_start : align.dest_end]
            allowed = 1 if len(key) < 8 else 2
            if Levenshtein.distance(key, window) <= allowed and len(window) >= len(key) - allowed:
                out.append(Mention(doc=doc, records=[rec], level=level, name=rec.levels[level], how="fuzzy",
                                   length=len(key) - 1))
            elif (len(key) >= 6 and Levenshtein.distance(key, window) <= 2 and window[:4] == key[:4]
                  and window[-1] == key[-1]):
                # '立项程序合规性' for '立项程序规范性': the same head and measure, two characters between
                loose.append(Mention(doc=doc, records=[rec], level=level, name=rec.levels[level], how="fuzzy",
                                     length=len(key) - 2))
    return out or (loose if len({(m.doc.id, m.name) for m in loose}) == 1 else [])


_MEASURE_END = re.compile(r"[率性度]$")


def _inside_rule(docs: list[Document], text: str) -> list[Mention]:
    """'三公经费控制率的评分标准' where the table scores it inside 公用经费控制率 ('1.“三公”经费控制率=…'):
    a measure the question names (four characters or more, ending 率/性/度) that the scoring row of
    exactly one indicator defines or scores."""
    flat = bare(text)
    out = []
    for doc in docs:
        rows = [(rec, bare(rec.quote or "")) for rec in leaves(doc)]
        for n in range(min(12, len(flat)), 3, -1):
            terms = {flat[i : i + n] for i in range(len(flat) - n + 1)}
            # the question's whole name, not the end of a longer one ('科研经费管理规范性' is not '管理规范性')
            terms = {t for t in terms if _MEASURE_END.search(t) and re.fullmatch(r"[\u4e00-\u9fff]+", t)
                     and any(i == 0 or not re.match(r"[\u4e00-\u9fff]", flat[i - 1]) or flat[i - 1] in "年的个里中是和与局"
                             for i in (m.start() for m in re.finditer(re.escape(t), flat)))}
            # defined or scored there ('三公经费控制率=…', '…控制率<90%的，得3分'), not an input of a formula
            holding = {(rec.name, id(rec)): rec for t in terms for rec, row in rows
                       if re.search(re.escape(t) + r".{0,2}[<>≤≥＜＞=]", row)}
            if len(holding) == 1:
                rec = next(iter(holding.values()))
                out.append(Mention(doc=doc, records=[rec], level=len(rec.levels) - 1, name=rec.name, how="rule", length=n))
                break
            if holding:
                break  # printed in several rows: not one indicator's
    return out


_THAT_ITEM = re.compile(r"(?:那|这|该)一?(?:项|条|个指标|个考核项|个分)")


def described(q: Question, docs: list[Document], weight, idents) -> list[Mention]:  # type: ignore[no-untyped-def]
    """The one indicator whose scoring row says what the question describes ('补贴发放及不及时' →
    补助及时率, whose row reads '补贴发放及时率=…'): most of the question's words, by weight, in its row,
    well ahead of the next row."""
    from assistant.qa import evidence

    want = evidence.content_bigrams(q, idents) - evidence.bigrams("得分 多少分 几分 指标 那一项 那个 这个 扣分 为什么 评分表 打分表")
    # (nor the report's own project name: '竞赛经费项目里' says which report, every row of it shares it)
    want -= evidence.bigrams(" ".join(f"{p}项目" for p in project_names(docs)))
    # the clause that says 'that item' ('看补贴发得及不及时的那项扣了不少分') describes it: its words count double
    clause = next((c for c in re.split(r"[，,。？?；;]", q.text) if _THAT_ITEM.search(c)), "")
    inner = evidence.bigrams(expand(clause))  # (with the report's words for it: 到账慢 → 及时, 发放)

    def weigh(b: str) -> float:  # the caller's weights, the describing clause's doubled
        return float(weight(b)) * (3.0 if b in inner else 1.0)

    total = sum(weigh(b) for b in want)
    if not want or not total:
        return []
    scored = []
    for doc in docs:
        for rec in leaves(doc):
            grams = evidence.bigrams(" ".join(x for x in (rec.name, rec.quote or "", rec.reason or "") if x))
            # (what its name says counts half again: of three rows saying 补贴 and 及时, the one named 及时率)
            named = sum(weigh(b) for b in want & evidence.bigrams(rec.name))
            scored.append(((sum(weigh(b) for b in want & grams) + 0.5 * named) / total, doc, rec))
    scored.sort(key=lambda x: -x[0])
    top, second = scored[0][0] if scored else 0.0, scored[1][0] if len(scored) > 1 else 0.0
    # most of what it says, or a third of it with no other row near ('企业满不满意这一条': 服务对象满意度)
    if top - second < 0.15 or (top < 0.4 and (top < 0.3 or top < 1.6 * second)):
        return []
    share, doc, rec = scored[0]
    return [Mention(doc=doc, records=[rec], level=len(rec.levels) - 1, name=rec.name, how="described", length=0)]
