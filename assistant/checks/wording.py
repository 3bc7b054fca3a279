"""Statements whose own words contradict each other or the report's frame: a change and '持平' in one
clause, a budget compared with itself, a project period outside the budget year, a figure said to be
both under and over a bound, a per-unit standard stated twice with two values, a 类 code named
otherwise in the text than in the table, the same two amounts under two different years, and the
project's name spelled two ways. Words, not arithmetic: all are low."""

from __future__ import annotations

import re

from assistant.checks.model import Finding
from assistant.checks.numbers import dec
from assistant.checks.text import ev, rx, sentences
from assistant.ingest import Document
from assistant.ingest.patterns import squash


def change_and_flat(doc: Document) -> list[Finding]:
    """'减少为 0.00 万元，与 2024 年持平': one item, two directions."""
    out = []
    for p, s in sentences(doc):
        for m in rx("change_and_flat").finditer(s):
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity="low", rule="wording.change_and_flat",
                message=f"同一项既称「{m.group('dir')}」{m.group('v')}，又称与上年持平。",
                evidence=[ev(p, s)],
            ))
    return out


def _single_year(doc: Document) -> int | None:
    return int(doc.year) if doc.year and re.fullmatch(r"20\d\d", doc.year) else None


def self_year(doc: Document) -> list[Finding]:
    """A budget for year Y compared with 'Y 年预算': the comparison year is the budget's own."""
    year = _single_year(doc)
    if year is None or "预算" not in doc.kind:
        return []
    hits = [(p, s) for p, s in sentences(doc) for m in rx("self_year").finditer(s) if int(m.group("y")) == year]
    if not hits:
        return []
    return [Finding(
        doc=doc.id, kind="value_twice", severity="low", rule="wording.self_year",
        message=f"{year} 年预算与「{year} 年预算」比较（{len(hits)} 处），比较的年份应为上年。",
        evidence=[ev(p, s) for p, s in hits[:3]],
    )]


def period_outside(doc: Document) -> list[Finding]:
    """A project's 实施周期 in a budget for year Y that ends before Y."""
    year = _single_year(doc)
    if year is None or "预算" not in doc.kind:
        return []
    out = []
    paras = doc.paragraphs
    for i, p in enumerate(paras):
        text = p.text + (" " + paras[i + 1].text if i + 1 < len(paras) and p.text.strip().endswith("实施周期") else "")
        for m in rx("period").finditer(text):
            if int(m.group("y2")) < year:
                q = paras[i + 1] if m.start("y1") > len(p.text) else p
                out.append(Finding(
                    doc=doc.id, kind="value_twice", severity="low", rule="wording.period_outside",
                    message=f"{year} 年预算中的项目实施周期为 {m.group('y1')}—{m.group('y2')} 年，在预算年度之前。",
                    evidence=[ev(p, p.text)] + ([ev(q, q.text)] if q is not p else []),
                ))
    return out


def bounds(doc: Document) -> list[Finding]:
    """The same figure said to be under a bound ('近 400%') and over it ('超过 400%'), in two sentences
    that share another figure (the same statement made twice)."""
    figs = re.compile(r"(\d+(?:\.\d+)?)\s*(亿元|万元|%|家|人|个|项)")
    below, above = [], []
    for p, s in sentences(doc):
        for m in rx("bound_below").finditer(s):
            below.append((m, p, s))
        for m in rx("bound_above").finditer(s):
            above.append((m, p, s))
    out = []
    for mb, pb, sb in below:
        for ma, pa, sa in above:
            if (dec(mb.group("num")), mb.group("unit")) != (dec(ma.group("num")), ma.group("unit")) or sa == sb:
                continue
            others_b = set(figs.findall(sb)) - {(mb.group("num"), mb.group("unit"))}
            others_a = set(figs.findall(sa)) - {(ma.group("num"), ma.group("unit"))}
            if not others_a & others_b:
                continue
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity="low", rule="wording.bounds",
                message=f"同一数据一处写「{mb.group(0)}」（不到），一处写「{ma.group(0)}」（超过）。",
                evidence=[ev(pb, sb), ev(pa, sa)],
            ))
    return out


def standards(doc: Document) -> list[Finding]:
    """A per-unit standard ('按每届每个 200 万元的标准') printed twice for the same label with two values."""
    seen: dict[tuple[str, str, str], dict] = {}
    for p, s in sentences(doc, ("text", "table_row")):
        for m in rx("standard").finditer(s):
            label = re.split(r"[，,；;。、：:]", m.group("label"))[-1].strip("“”")
            label = re.sub(r"^(?:对|其中|其他的?|[和及与])", "", label) if not label.startswith("其他") else label
            if len(label) < 4:
                continue
            key = (squash(label), m.group("per"), m.group("unit"))
            seen.setdefault(key, {}).setdefault(dec(m.group("num")), (p, s, m.group("num")))
    out = []
    for (label, per, unit), vals in seen.items():
        if len(vals) < 2:
            continue
        shown = sorted(vals)
        out.append(Finding(
            doc=doc.id, kind="value_twice", severity="low", rule="wording.standards",
            message=f"「{label}」的补助标准前后不一致：" + "、".join(f"每{per} {vals[v][2]} {unit}" for v in shown) + "。",
            evidence=[ev(vals[v][0], vals[v][1]) for v in shown],
        ))
    return out


def code_names(doc: Document) -> list[Finding]:
    """A 类/款/项 named in the text with its code ('医疗卫生与计划生育支出（210类）…（11款）…（01项）') under
    another name than the table row of that code ('210 卫生健康支出')."""
    table: dict[str, tuple[str, object]] = {}
    for p in doc.paragraphs:
        if p.kind == "table_row" and (m := rx("coded_row").match(p.text)):
            table.setdefault(re.sub(r"\s", "", m.group("code")), (squash(m.group("name")), p))
    if not table:
        return []
    out = []
    done: set[str] = set()
    for p, s in sentences(doc):
        code = ""
        for m in rx("coded_name").finditer(s):
            level, part = m.group("level"), m.group("code")
            if level == "类":
                code = part if len(part) == 3 else ""
            elif code and len(part) == 2 and len(code) == (3 if level == "款" else 5):
                code += part
            else:
                code = ""
            if not code or code in done or code not in table:
                continue
            name = re.sub(r"^(?:\d+|其中|主要用于)?[、.，,]*", "", squash(m.group("name")))
            row_name, row = table[code]
            if name == row_name or name in row_name or row_name in name:
                continue
            done.add(code)
            out.append(Finding(
                doc=doc.id, kind="naming", severity="low", rule="wording.code_names",
                message=f"科目 {code} 在说明中称「{name}」，在表中称「{row_name}」。",
                evidence=[ev(p, s), ev(row, row.text)],  # type: ignore[arg-type]
            ))
    return out


def years_swapped(doc: Document) -> list[Finding]:
    """'2021 年…43,189.21 万元，比 2020 年增加 1,607.45 万元' and '2020 年…43,189.21 万元，比 2019 年增加
    1,607.45 万元': the same amount and the same change under two different years."""
    seen: dict[tuple, dict[str, tuple]] = {}
    for p, s in sentences(doc):
        for m in rx("year_change").finditer(s):
            key = (dec(m.group("a")), dec(m.group("b")), m.group("unit"))
            seen.setdefault(key, {}).setdefault(m.group("y"), (p, m.group(0)))
    out = []
    for (a, b, unit), years in seen.items():
        if len(years) < 2:
            continue
        ys = sorted(years)
        out.append(Finding(
            doc=doc.id, kind="value_twice", severity="low", rule="wording.years_swapped",
            message=f"同一组数（{a:,} {unit}，增加 {b:,} {unit}）分别标为 {'、'.join(y + ' 年' for y in ys)}。",
            evidence=[ev(years[y][0], years[y][1]) for y in ys],
        ))
    return out


def project_name(doc: Document) -> list[Finding]:
    """The cover's 项目名称 and the name the text quotes for the project, differing by a word or two."""
    cover = next(((p, m) for p in doc.paragraphs[:40] if (m := rx("project_name").search(p.text))), None)
    if cover is None:
        return []
    p0, m0 = cover
    name = squash(m0.group("name"))
    for p, s in sentences(doc):
        for m in rx("quoted_project").finditer(s):
            other = m.group("name")
            if other == name or len(name) < 6:
                continue
            # one name is the other with a conjunction or a word or two inserted
            a, b = (name, other) if len(name) < len(other) else (other, name)
            if len(b) - len(a) > 2 or not _subsequence(a, b) or len(a) < 6:
                continue
            return [Finding(
                doc=doc.id, kind="naming", severity="low", rule="wording.project_name",
                message=f"项目名称封面为「{name}」，正文称「{other}」。",
                evidence=[ev(p0, m0.group(0)), ev(p, s)],
            )]
    return []


def _subsequence(a: str, b: str) -> bool:
    it = iter(b)
    return all(c in it for c in a)


CHECKS = (change_and_flat, self_year, period_outside, bounds, standards, code_names, years_swapped, project_name)
