"""Parts against their whole: a category's task row spending more than the text's total of that
category (category_rows), a 决算 explanation's list of 人员经费 items against its own table
(staff_cost_list), and one project's planned additions above the whole department's
(project_over_department).

category_rows: 「其中因公出国（境）费 5.12 万元」 in the text while a row of the report's own task table,
named 因公出国（境）-港澳台, spent 57,479.17 元. Only where the row's every amount exceeds the total (so
whichever column is the spending, it is more than the category's whole), with the table's unit read
from its heading (元 or 万元). Low: the text's total may be of a narrower scope than the table's row."""

from __future__ import annotations

import re
from decimal import Decimal

from rapidfuzz import fuzz

from assistant.checks.model import Finding
from assistant.checks.numbers import NUM, dec
from assistant.checks.text import clip, ev, patterns
from assistant.ingest import Document
from assistant.ingest.model import Paragraph

_AMOUNT = re.compile(rf"(?<![\d.]){NUM}(?![\d.])")
_HEADING_LOOKBACK = 8


def _stem(category: str) -> str:
    """'因公出国（境）费' → '因公出国（境）': how a task row names the category."""
    return re.sub(r"\\", "", category).removesuffix("费")


def _row_unit(doc: Document, at: int) -> Decimal | None:
    """元 per unit of the row's amounts, from the table's heading rows above it (None when unsaid)."""
    for p in reversed(doc.paragraphs[max(0, at - _HEADING_LOOKBACK): at]):
        if re.search(r"[（(]万元[）)]|单位[：:]\s*万元", p.text):
            return Decimal(10000)
        if re.search(r"[（(]元[）)]|单位[：:]\s*元", p.text):
            return Decimal(1)
    return None


def category_rows(doc: Document) -> list[Finding]:
    out = []
    for pattern in patterns()["expense_categories"]:
        stated = re.compile(rf"(?:其中)?\s*(?P<cat>{pattern})\s*(?:支出|决算|实际支出)?\s*(?:为|是)?\s*(?P<num>{NUM})\s*万元")
        stem = _stem(pattern)
        rows: list[tuple[Paragraph, list[Decimal]]] = []
        for i, p in enumerate(doc.paragraphs):
            if p.kind != "table_row" or not re.search(rf"(?:^|\s){re.escape(stem)}", p.text):
                continue
            unit = _row_unit(doc, i)
            amounts = [dec(a) for a in _AMOUNT.findall(p.text.split(stem, 1)[1]) if "." in a]
            if unit is not None and len(amounts) >= 2:
                rows.append((p, [a * unit for a in amounts]))
        if not rows:
            continue
        for p in doc.paragraphs:
            if p.kind != "text":
                continue
            for m in stated.finditer(p.text):
                whole = dec(m.group("num")) * 10000
                over = [(q, a) for q, a in rows if min(a) > whole + 50]  # beyond the total's own rounding
                if len(over) != 1:
                    continue
                q, amounts = over[0]
                out.append(Finding(
                    doc=doc.id, kind="value_twice", severity="low", rule="parts.category_rows",
                    message=(f"正文「{m.group('cat')}」共 {m.group('num')} 万元，但任务表中「{stem}」一行的金额"
                             f"（最少 {min(amounts) / 10000:.2f} 万元）已超过该总数。"),
                    evidence=[ev(p, clip(p.text, m.start(), m.end())), ev(q, q.text)],
                ))
    return out



_STAFF_LIST = re.compile(r"人员经费\s*(?P<total>" + NUM + r")\s*万元\s*[，,]\s*主要包括[：:]\s*(?P<items>[^；;。]+)")
_STAFF_CODE = re.compile(r"^\s*30[13]\s+\d{2}\s+30\d\s*$")  # '303 09 302': the 人员经费 side's 款 of the next row
_VALUE_AFTER = re.compile(r"^\s*(?P<v>\d[\d,]*\.\d+)(?:\s|$)")
_CODE_AFTER = re.compile(r"^\s*(?:\d{2}(?:\s|$)|$)")


def staff_cost_list(doc: Document) -> list[Finding]:
    """The 人员经费 a 决算 explanation lists (「主要包括：基本工资、…、个人农业生产补贴」) against its own
    基本支出决算表: an item listed that the table prints with no amount, and an item of the table's 人员经费
    side with an amount that the list leaves out. Read only where the item's row is printed whole (a
    name the page layout broke is not judged)."""
    start = next((i for i, p in enumerate(doc.paragraphs) if p.kind == "heading" and "基本支出决算表" in p.text), None)
    if start is None:
        return []
    end = next((i for i in range(start, len(doc.paragraphs)) if "人员经费合计" in doc.paragraphs[i].text), None)
    if end is None:
        return []
    table = doc.paragraphs[start + 1: end + 1]
    out = []
    for p in doc.paragraphs:
        m = _STAFF_LIST.search(p.text) if p.kind == "text" else None
        if not m:
            continue
        listed = [x.strip() for x in re.split(r"[、，,]", m.group("items")) if x.strip()]
        empty: list[tuple[str, Paragraph]] = []
        for name in listed:
            for q in table:
                at = re.search(rf"(?:^|\s){re.escape(name)}", q.text)
                if not at:
                    continue
                after = q.text[at.end():]
                if _CODE_AFTER.match(after) and not _VALUE_AFTER.match(after):
                    empty.append((name, q))
                break
        left_out: list[tuple[str, str, Paragraph]] = []
        for prev, q in zip(table, table[1:], strict=False):
            row = re.match(r"^(?P<name>[\u4e00-\u9fff（）]{2,16})\s+(?P<v>\d[\d,]*\.\d+)(?:\s|$)", q.text)
            if _STAFF_CODE.match(prev.text) and row and row.group("name") not in listed:
                left_out.append((row.group("name"), row.group("v"), q))
        if not empty:
            continue
        message = (f"说明称人员经费主要包括{'、'.join(n for n, _ in empty)}，但基本支出决算表中该项无数"
                   + (f"；表中有数的{'、'.join(f'{n} {v} 万元' for n, v, _ in left_out)}却未列" if left_out else "") + "。")
        out.append(Finding(
            doc=doc.id, kind="category", severity="low", rule="parts.staff_cost_list", message=message,
            evidence=[ev(p, clip(p.text, m.start(), m.end(), pad=0))] + [ev(q, q.text) for _, q in empty]
            + [ev(q, q.text) for _, _, q in left_out],
        ))
    return out



_PLAN = re.compile(r"力争|目标|计划|预计|争取")
_DEPT_NEW = re.compile(r"新增(?P<name>[\u4e00-\u9fff]{2,12}?)\s*(?P<n>\d+)\s*(?P<unit>家|个|项)")
_ROW_NEW = re.compile(r"(?:^|\s)(?P<name>[\u4e00-\u9fff]{2,14}新增数)\s*(?P<bound>约|≥|>=|不少于|达到)?\s*(?P<n>\d+)\s*(?P<unit>家|个|项)")
_SAME_NAME = 80  # rapidfuzz ratio of two names of one measure ('新型研究机构' / '新型研发机构': one character apart)


def _measure(name: str) -> str:
    return re.sub(r"新增|数$|设立", "", name)


def project_over_department(doc: Document) -> list[Finding]:
    """A 部门预算's plan for the whole department (「2020 年，力争…新增新型研究机构 5 家」) against one
    project's target table, which plans more of the same new additions (「新型研发机构新增数 约 10 家」): a
    part cannot plan more than the whole. Only additions (新增) on both sides, whose names match within
    one or two characters. Low: the names differ, and the department's figure may be a floor."""
    rows = [(q, m) for q in doc.paragraphs if q.kind == "table_row" for m in _ROW_NEW.finditer(q.text)]
    out = []
    for p in doc.paragraphs:
        if p.kind != "text" or not _PLAN.search(p.text):
            continue
        for d in _DEPT_NEW.finditer(p.text):
            for q, r in rows:
                if (r.group("unit") == d.group("unit") and int(r.group("n")) > int(d.group("n"))
                        and fuzz.ratio(_measure(d.group("name")), _measure(r.group("name"))) >= _SAME_NAME):
                    out.append(Finding(
                        doc=doc.id, kind="value_twice", severity="low", rule="parts.project_over_department",
                        message=(f"部门计划「新增{d.group('name')} {d.group('n')} {d.group('unit')}」，但项目绩效目标表中"
                                 f"「{r.group('name')}」为 {r.group('bound') or ''}{r.group('n')} {r.group('unit')}，一个项目多于全部门。"),
                        evidence=[ev(p, clip(p.text, d.start(), d.end())), ev(q, q.text)],
                    ))
    return out


CHECKS = (category_rows, staff_cost_list, project_over_department)
