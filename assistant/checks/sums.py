"""Parts against their totals: the 类/款/项 rows of a budget table, a '其中' list in the text, and a
table column that every other row computes from its neighbours (合计 = 各列之和, 得分率 = 得分 ÷ 分值)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.checks.model import Finding, Severity
from assistant.checks.numbers import NUM, Span, dec, judge, show
from assistant.checks.text import clip, ev, patterns, row_runs, rx, sentences
from assistant.ingest import Document
from assistant.ingest.model import Paragraph

ZERO = Span.exact(Decimal(0))


def _tables(doc: Document) -> list[list[Paragraph]]:
    """Runs of table rows; a short text line between rows (a wrapped name cell) does not end a run."""
    return row_runs(doc)


def coded_trees(doc: Document) -> list[Finding]:
    """Every 类 = Σ its 款, every 款 = Σ its 项, 合计 = Σ 类 (first amount column)."""
    out: list[Finding] = []
    parts: list[tuple[list[Row], Paragraph | None, set[int]]] = []
    for run in _tables(doc):
        tables: list[list[Row]] = [[]]
        totals: list[Paragraph | None] = [None]
        for p in run:
            m = rx("coded_row").match(p.text)
            if m:
                code = re.sub(r"\s", "", m.group("code"))
                if any(r.code == code for r in tables[-1]) or totals[-1] is not None:
                    tables.append([])  # a code seen again, or rows after a 合计: the next table
                    totals.append(None)
                tables[-1].append(Row(code, m.group("name").strip(), m.group("first"), p))
            elif rx("total_row").match(p.text):
                if totals[-1] is not None:
                    tables.append([])
                    totals.append(None)
                totals[-1] = p
        for rows, total in zip(tables, totals, strict=True):
            if rows and parts and parts[-1][1] is None and parts[-1][0] and rows is tables[0] \
                    and not {r.code for r in rows} & {r.code for r in parts[-1][0]}:
                # a table without its 合计 continued on the next page, under a repeated header
                prev = parts.pop()[0]
                skipped = {q.line for q in doc.paragraphs if prev[-1].p.line < q.line < rows[0].p.line}
                parts.append((prev + rows, total, skipped))
            else:
                parts.append((rows, total, set()))
    for rows, total, skipped in parts:
        out += _tree(doc, rows, total, skipped)
    return out


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    first: str  # the first amount column, as printed
    p: Paragraph


def _tree(doc: Document, rows: list[Row], total: Paragraph | None, skipped: set[int]) -> list[Finding]:
    out = []
    groups: list[tuple[str, str, Paragraph, list[Row], int]] = []
    coded = {r.p.line for r in rows} | skipped  # a repeated page header is not a lost row
    if not rows:
        return []
    last = max(r.p.line for r in rows) + 1
    if total is not None and total.line > last:
        last = total.line  # a 合计 row below the rows ends every group
    for i, r in enumerate(rows):
        kids = [k for k in rows if len(k.code) == len(r.code) + 2 and k.code.startswith(r.code)]
        end = next((k.p.line for k in rows[i + 1:] if len(k.code) <= len(r.code)), last)
        # a garbled row whose code is a sibling's ('21103出污染防治') also ends the group
        end = next((q.line for q in doc.paragraphs if r.p.line < q.line < end and q.line not in coded
                    and 0 < len(re.sub(r"\s", "", m.group(1)) if (m := _LEAD_CODE.match(q.text)) else "") <= len(r.code)), end)
        if kids:
            groups.append((f"{r.code} {r.name}", r.first, r.p, kids, end))
    if total is not None:
        m = rx("total_row").match(total.text)
        tops = [r for r in rows if len(r.code) == 3]
        if m and tops:
            groups.append(("合计", m.group("first"), total, tops, last))
    for name, v, p, kids, end in groups:
        parts = sum((Span.printed(k.first) for k in kids), ZERO)
        sev = judge(v, parts, most="medium")
        if not sev:
            continue
        lo, hi = min([p.line] + [k.p.line for k in kids]), max(end, p.line)
        # Uncoded lines with figures inside the group: a row the extraction garbled, so a part may be
        # missing. A line of words only is a name cell wrapped onto its own line, not a lost row.
        broken = any(lo < q.line < hi and q.line not in coded and q.kind != "heading" and not _wrapped_name(q.text)
                     for q in doc.paragraphs)
        if broken:
            if parts.hi < Span.printed(v).lo:
                continue  # short of the parent: the garbled row is the likely difference
            sev = "low"
        out.append(Finding(
            doc=doc.id, kind="table_sum", severity=sev, rule="sums.coded_trees",
            message=f"「{name}」列示 {v}，其下各行合计 {show(parts.mid)}。",
            evidence=[ev(p, p.text)] + [ev(k.p, k.p.text) for k in kids],
            computation=" + ".join(k.first for k in kids) + f" = {show(parts.mid)}",
        ))
    return out


_LEAD_CODE = re.compile(r"^(\d{3}(?:\s?\d{2}){0,2})(?![\d.])")
# Words a page's repeated table header carries: a header inside a group means a page break.
_HEADER_WORDS = re.compile(r"科目|编码|合计|项\s*目|类\s+款|单位[:：]|金额|预算数|决算数")


def _wrapped_name(text: str) -> bool:
    """A line of words only, not a header: a name cell wrapped onto its own line, not a lost row."""
    return not re.search(r"\d", text) and len(text) <= 20 and not _HEADER_WORDS.search(text)
_AMOUNT = re.compile(rf"(?P<v>{NUM})\s*万元")


def listed_parts(doc: Document) -> list[Finding]:
    """'T 万元，其中：A 万元、B 万元…' where the parts exceed the total (a shorter list may be partial)."""
    out = []
    not_part = rx("not_a_part")
    for p in doc.paragraphs:
        if p.kind != "text" or "其中" not in p.text:
            continue
        sents = re.split(r"(?<=。)", p.text)
        for i, s in enumerate(sents):
            k = s.find("其中")
            if k < 0 or s.count("其中") > 1:
                continue
            head = s[:k] if _AMOUNT.search(s[:k]) else (sents[i - 1] if i > 0 and s[:k].strip() == "" else "")
            leads = [m for m in _AMOUNT.finditer(head) if not not_part.search(head[max(0, m.start() - 6): m.start()])]
            tail = s[k:]
            parts = [m for m in _AMOUNT.finditer(tail) if not not_part.search(tail[max(0, m.start() - 6): m.start()])]
            if not leads or len(parts) < 2:
                continue
            summed = sum((Span.printed(m.group("v")) for m in parts), ZERO)
            # The lead-in may name several amounts (年初预算, 实际支出): the parts may add up to any one
            # of them, but never to more than the largest.
            if any(Span.printed(m.group("v")).gap(summed) == 0 for m in leads):
                continue
            top = max(leads, key=lambda m: Span.printed(m.group("v")).mid)
            if summed.lo <= Span.printed(top.group("v")).hi:
                continue
            sev: Severity | None = judge(top.group("v"), summed, most="medium")
            if sev:
                out.append(Finding(
                    doc=doc.id, kind="table_sum", severity=sev, rule="sums.listed_parts",
                    message=f"{top.group(0)}“其中”所列各项合计 {show(summed.mid)} 万元，超过总数。",
                    evidence=[ev(p, (head if head is not s[:k] else "") + s)],
                    computation=" + ".join(m.group("v") for m in parts) + f" = {show(summed.mid)}",
                ))
    return out


def _label(text: str, end: int) -> str:
    """The words before an amount, back to the previous figure or clause mark."""
    return re.split(r"[\d，,。；;：:、（）()]", text[:end])[-1]


def closed_parts(doc: Document) -> list[Finding]:
    """'人员经费 T 万元，其中工资福利支出 A 万元、对个人和家庭的补助 B 万元' short of (or over) T: a list
    that names every part of a closed classification (patterns: closed_parts) is not a partial one."""
    out = []
    spec: dict[str, list[str]] = patterns()["closed_parts"]
    for p in doc.paragraphs:
        if p.kind != "text" or "其中" not in p.text:
            continue
        for s in re.split(r"(?<=。)", p.text):
            k = s.find("其中")
            if k < 0 or s.count("其中") > 1:
                continue
            leads = list(_AMOUNT.finditer(s[:k]))
            if not leads:
                continue
            top = leads[-1]
            if s[top.end():k].strip(" ，,：:") != "":
                continue  # the amount must lead straight into its list
            key = next((w for w in spec if w in _label(s, top.start())), None)
            if key is None:
                continue
            tail = s[k:]
            parts = list(_AMOUNT.finditer(tail))
            named = [[w for w in spec[key] if w in _label(tail, m.start())] for m in parts]
            if len(parts) != len(spec[key]) or any(len(n) != 1 for n in named):
                continue
            if sorted(n[0] for n in named) != sorted(spec[key]) or tail[parts[-1].end():].strip(" 。；;") != "":
                continue
            summed = sum((Span.printed(m.group("v")) for m in parts), ZERO)
            if any(Span.printed(m.group("v")).gap(summed) == 0 for m in leads):
                continue
            out.append(Finding(
                doc=doc.id, kind="table_sum", severity="low", rule="sums.closed_parts",
                message=(f"{key} {top.group(0)}，“其中”列出{'与'.join(spec[key])}（{key}的全部组成），"
                         f"合计 {show(summed.mid)} 万元，与总数不符。"),
                evidence=[ev(p, s)],
                computation=" + ".join(m.group("v") for m in parts) + f" = {show(summed.mid)} ≠ {top.group('v')}",
            ))
    return out


def whole_as_part(doc: Document) -> list[Finding]:
    """The text splits a total T into 基本支出 A + 项目支出 B; another sentence names T a 项目 figure
    ('项目预算总指标 T 万元'): by the report's own split the projects' figure is B."""
    out = []
    split = rx("basic_and_project")
    found = list(sentences(doc))
    for p, s in found:
        for m in split.finditer(s):
            t, a, b = (Span.printed(m.group(k)) for k in "tab")
            if (a + b).gap(t) != 0 or dec(m.group("b")) == dec(m.group("t")):
                continue
            for q, other in found:
                if split.search(other):
                    continue
                for n in _AMOUNT.finditer(other):
                    label = _label(other, n.start()).strip().removeprefix("年").removeprefix("度")
                    if dec(n.group("v")) != dec(m.group("t")) or "项目" not in label or "基本" in label:
                        continue
                    out.append(Finding(
                        doc=doc.id, kind="value_twice", severity="low", rule="sums.whole_as_part",
                        message=(f"「{label}」{n.group(0)}，而报告称 {m.group('t')} 万元是基本支出 "
                                 f"{m.group('a')} 万元与项目支出 {m.group('b')} 万元之和：项目支出应为 "
                                 f"{m.group('b')} 万元。"),
                        evidence=[ev(q, other), ev(p, s)],
                        computation=f"{m.group('a')} + {m.group('b')} = {m.group('t')}",
                    ))
    return out


def changes_of_parts(doc: Document) -> list[Finding]:
    """A 类's change over last year against the changes of its 项, where the 项's amounts add up to the
    类's amount (so the list is whole); a 项 that last year's table lacked changed by its whole amount."""
    out = []
    classes = [(p, m) for p in doc.paragraphs if p.kind == "text" and (m := rx("class_amount").match(p.text))]
    for name, items in _class_items(doc):
        whole = Span.exact(Decimal(0))
        changes = Span.exact(Decimal(0))
        inferred = False
        signed: list[str] = []  # each 项's change as the computation shows it
        for _, text, m in items:
            whole = whole + Span.printed(m.group("amt"))
            c = rx("last_year_change").search(text, m.end())
            if c:
                d = Span.printed(c.group("d"))
                changes = changes + (d if c.group("dir") == "增加" else ZERO - d)
                signed.append(("+" if c.group("dir") == "增加" else "−") + c.group("d"))
            elif rx("new_item").search(text, m.end()):
                changes = changes + Span.printed(m.group("amt"))
                inferred = True
                signed.append(f"+{m.group('amt')}")
            else:
                break  # a 项 whose change is not printed: nothing to add up
        else:
            for p, m in classes:
                c = rx("last_year_change").search(p.text, m.end())
                if _class_name(m.group("name")) != name or not c or Span.printed(m.group("amt")).gap(whole) != 0:
                    continue
                sev = judge(c.group("d"), changes if c.group("dir") == "增加" else ZERO - changes,
                            most="low" if inferred else "medium")
                if sev is None:
                    continue
                out.append(Finding(
                    doc=doc.id, kind="table_sum", severity=sev, rule="sums.changes_of_parts",
                    message=(f"{name}（类）{m.group('amt')} 万元与上年相比{c.group('dir')} {c.group('d')} 万元，"
                             f"而其各项（金额合计 {m.group('amt')} 万元）的增减合计为 {show(changes.mid)} 万元"
                             + ("（上年无此科目的项按其全额计为增加）" if inferred else "") + "。"),
                    evidence=[ev(p, clip(p.text, m.start(), c.end(), 0))]
                    + [ev(q, clip(text, im.start(), im.end(), 60)) for q, text, im in items],
                    computation=" ".join(signed) + f" = {show(changes.mid)}",
                ))
    return out


def _class_name(name: str) -> str:
    return re.sub(r"\s|支出$|（类）|\(类\)", "", name)


def _class_items(doc: Document) -> list[tuple[str, list[tuple[Paragraph, str, re.Match[str]]]]]:
    """Each 类 heading with its 项 paragraphs (a 项's text runs on over a page break to the next 项)."""
    groups: list[tuple[str, list[tuple[Paragraph, str, re.Match[str]]]]] = []
    cur: list[tuple[Paragraph, str, re.Match[str]]] | None = None
    for p in doc.paragraphs:
        if p.kind == "heading":
            h = rx("class_heading").match(p.text)
            cur = [] if h else None
            if h:
                groups.append((_class_name(h.group("name")), cur))
        elif cur is not None and p.kind == "text":
            if m := rx("item_amount").match(p.text):
                cur.append((p, p.text, m))
            elif cur:
                q, text, m = cur[-1]
                cur[-1] = (q, text + p.text, m)
    return [(n, items) for n, items in groups if items]


_CELL = re.compile(rf"^(?:{NUM})[%％]?$")


def _cells(p: Paragraph) -> tuple[str, list[str]]:
    """A row's label and number cells; a 类/款/项 code is part of the label, not a figure."""
    coded = rx("coded_row").match(p.text)
    toks = p.text[coded.start("name"):].split() if coded else p.text.split()
    nums = [t for t in toks if _CELL.match(t)]
    label = " ".join(t for t in toks if not _CELL.match(t))
    return label, nums


def _row_runs(doc: Document) -> list[list[Paragraph]]:
    """Runs of rows, counting text lines that end in three or more number cells (tables printed with
    single spaces are not always recognised as tables)."""

    def is_row(p: Paragraph) -> bool:
        toks = p.text.split()
        return p.kind == "table_row" or (p.kind == "text" and "。" not in p.text and len(toks) >= 4
                                          and all(_CELL.match(t) for t in toks[-3:]))

    return row_runs(doc, is_row)


def column_formulas(doc: Document) -> list[Finding]:
    """In a table whose rows (at least three, and four in five) keep 'first = Σ the rest' or
    'last % = previous ÷ the one before', a row that breaks it is a contradiction of the table's own rule."""
    out = []
    for run in _row_runs(doc):
        shapes: dict[int, list[tuple[Paragraph, str, list[str]]]] = {}
        for p in run:
            label, nums = _cells(p)
            if len(nums) >= 3 and len(label) <= 16 and "。" not in p.text:
                shapes.setdefault(len(nums), []).append((p, label, nums))
        for rows in shapes.values():
            for rule in (_sum_rule, _rate_rule):
                verdicts = [(r, rule(r[2])) for r in rows]
                usable = [(r, v) for r, v in verdicts if v is not None]
                ok = [r for r, v in usable if v[0] is None]
                if len(ok) < 3 or len(ok) < 0.8 * len(usable):
                    continue
                for (p, label, _nums), (sev, what, shown) in ((r, v) for r, v in usable if v[0] is not None):
                    out.append(Finding(
                        doc=doc.id, kind="formula", severity=sev, rule=f"sums.column_formulas.{rule.__name__}",
                        message=f"「{label}」行{what}为 {shown}，与表中其余 {len(ok)} 行遵循的算法不符。",
                        evidence=[ev(p, p.text)],
                    ))
    return out


def _sum_rule(nums: list[str]) -> tuple[Severity | None, str, str] | None:
    if any(n.endswith(("%", "％")) for n in nums):
        return None
    parts = sum((Span.printed(n, exact_integers=True) for n in nums[1:]), ZERO)
    sev = judge(nums[0], parts, most="medium", exact_integers=True)
    return sev, f"首列 {nums[0]}，其余各列之和", show(parts.mid)


def _rate_rule(nums: list[str]) -> tuple[Severity | None, str, str] | None:
    last = nums[-1]
    if not last.endswith(("%", "％")) or any(n.endswith(("%", "％")) for n in nums[:-1]):
        return None
    a, b = Span.printed(nums[-2], exact_integers=True), Span.printed(nums[-3], exact_integers=True)  # 分值 4 is 4
    if b.lo <= 0:
        return None
    computed = (a / b).scale(Decimal(100))
    sev = judge(last.rstrip("%％"), computed, most="medium")
    return sev, f"末列 {last}，按前两列 {nums[-2]} ÷ {nums[-3]} 应", f"{show(computed.mid)}%"


CHECKS = (coded_trees, listed_parts, closed_parts, whole_as_part, column_formulas, changes_of_parts)
