"""A table against what its own header, its rows or the text say of it: a total that counts a subtotal
and its parts, a column headed by a year that holds the row totals, a stated number of targets against
the rows of the target table, a project's cost breakdown against its 资金总额, a total the text
states for a whole table, a column's 合计 restated in the text, a 一级 indicator's weight and score in
the text against the score summary table."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.model import Evidence, Finding, Severity
from assistant.checks.numbers import NUM, Span, dec, judge, show
from assistant.checks.text import ev, patterns, row_runs, rx, sentences
from assistant.ingest import Document
from assistant.ingest.model import Paragraph
from assistant.ingest.patterns import squash

_NUM_CELL = re.compile(rf"^(?:{NUM})$")
_SPLIT = re.compile(r"\t|\s{2,}")


def _cells(p: Paragraph) -> list[str]:
    return [c.strip() for c in _SPLIT.split(p.text.strip()) if c.strip()]


def _runs(doc: Document) -> list[list[Paragraph]]:
    return row_runs(doc, bridge=False)


def _exact(a: str, parts: list[str]) -> bool:
    total = sum((Span.printed(x, exact_integers=True) for x in parts), Span.exact(Decimal(0)))
    return Span.printed(a, exact_integers=True).gap(total) == 0


def subtotal_twice(doc: Document) -> list[Finding]:
    """Header '… A  B  C  小计  合计': a row whose 小计 is the sum of the columns before it and whose 合计
    adds the 小计 and those columns again."""
    out = []
    for run in _runs(doc):
        for i, head in enumerate(run):
            cells = _cells(head)
            if len(cells) < 5 or not cells[-1].endswith(("合计", "总计")):
                continue
            sub = next((k for k, c in enumerate(cells) if c.endswith("小计")), None)
            if sub is None or sub != len(cells) - 2:
                continue
            for row in run[i + 1:]:
                rc = _cells(row)
                if len(rc) != len(cells) or not all(_NUM_CELL.match(c) for c in rc[1:]):
                    continue
                nums = rc[1:]
                s, t = sub - 1, len(nums) - 1
                j = next((j for j in range(s - 1, -1, -1) if s - j >= 2 and _exact(nums[s], nums[j:s])), None)
                if j is None or dec(nums[s]) == 0:
                    continue
                right = nums[:j] + [nums[s]]
                if _exact(nums[t], right) or not _exact(nums[t], nums[:t]):
                    continue
                out.append(Finding(
                    doc=doc.id, kind="table_sum", severity="medium", rule="tables.subtotal_twice",
                    message=(f"「{rc[0]}」行「{cells[-1]}」{nums[t]} 把「{cells[sub]}」{nums[s]} 和它所含的"
                             f"{'、'.join(cells[j + 1:sub])}又加了一遍；应为 {show(sum(dec(x) for x in right))}。"),
                    evidence=[ev(head, head.text), ev(row, row.text)],
                ))
                break
    return out


def total_column_label(doc: Document) -> list[Finding]:
    """A header that repeats a label ('年度 2021 2023 2024 2024') where the repeated column holds every
    row's total of the others: the column is the 合计, mislabelled."""
    out = []
    for run in _runs(doc):
        for i, head in enumerate(run):
            cells = _cells(head)
            labels = cells[1:]
            if len(labels) < 3 or len(set(labels)) == len(labels) or labels[-1] not in labels[:-1]:
                continue
            rows = []
            for row in run[i + 1:]:
                rc = _cells(row)
                if len(rc) != len(cells) or not all(_NUM_CELL.match(c) for c in rc[1:]):
                    break
                rows.append((row, rc))
            if len(rows) >= 2 and all(_exact(rc[-1], rc[1:-1]) and dec(rc[-1]) != 0 for _, rc in rows):
                out.append(Finding(
                    doc=doc.id, kind="category", severity="low", rule="tables.total_column_label",
                    message=f"表头「{' '.join(cells)}」最后一列标为「{labels[-1]}」，但各行该列都是其余各列之和（合计）。",
                    evidence=[ev(head, head.text), ev(rows[0][0], rows[0][0].text)],
                ))
    return out


def counted_rows(doc: Document) -> list[Finding]:
    """'共设置绩效目标 46 项' against the rows of the report's only target table (a header repeated after a
    page break is not a row)."""
    tables = {t.table for t in doc.targets}
    if len(tables) != 1:
        return []
    lines = [t.line for t in doc.targets if t.line]
    if not lines:
        return []
    head = re.compile(patterns()["target_header"])
    rows = [p for p in doc.paragraphs if p.kind == "table_row" and min(lines) <= p.line <= max(lines)
            and not head.search(p.text)]
    out = []
    for p, s in sentences(doc):
        m = rx("target_count").search(s)
        if not m or int(m.group("n")) == len(rows) or abs(int(m.group("n")) - len(rows)) > 3:
            continue
        out.append(Finding(
            doc=doc.id, kind="value_twice", severity="low", rule="tables.counted_rows",
            message=f"称共设置绩效目标 {m.group('n')} 项，但「{tables.pop()}」列有 {len(rows)} 行指标。",
            evidence=[ev(p, s), ev(rows[0], rows[0].text), ev(rows[-1], rows[-1].text)],
        ))
        break
    return out


def _wan(num: str, unit: str) -> Decimal:
    return dec(num) / 10000 if unit == "元" else dec(num)


def cost_breakdown(doc: Document) -> list[Finding]:
    """A target declaration table's '资金总额（万元）X' against its 测算明细: the total the breakdown
    states ('合计 81 万元', '年租金 …=6002018 元') or, where every item prints one amount, their sum."""
    out = []
    paras = doc.paragraphs
    end = re.compile(patterns()["breakdown_end"])
    for i, p in enumerate(paras):
        m = rx("fund_total").search(p.text)
        if not m:
            continue
        k = next((k for k in range(i + 1, min(i + 12, len(paras))) if patterns()["breakdown_start"] in paras[k].text), None)
        if k is None or rx("fund_total").search(" ".join(x.text for x in paras[i + 1:k])):
            continue
        lines = [paras[k]]
        for q in paras[k + 1:k + 8]:
            if end.search(q.text) or rx("fund_total").search(q.text):
                break
            lines.append(q)
        text = " ".join(x.text for x in lines).split(patterns()["breakdown_start"], 1)[1]
        text = re.sub(r"[（(][^）)]*[）)]", "", text)  # '（其中 52 万为大赛奖金）': a part of an item
        stated = list(rx("breakdown_stated").finditer(text))
        if stated:
            got, how = _wan(stated[-1].group("num"), stated[-1].group("unit")), f"测算明细写合计 {stated[-1].group(0).strip()}"
        else:
            items = [x for x in re.split(rx("breakdown_item").pattern, text) if x.strip()]
            if len(items) < 2:
                continue
            amounts = []
            for it in items:
                results = re.findall(rf"[=＝]\s*({NUM})\s*(万元|万|元)", it)
                found = results or [(a.group("num"), a.group("unit")) for a in rx("breakdown_amount").finditer(it)
                                    if not re.search(r"[*×xX]\s*$", it[: a.start()]) and not re.match(r"\s*[*×xX]", it[a.end():])]
                if len(found) != 1 or re.search(r"约|每", it):
                    amounts = []
                    break
                amounts.append(found[0])
            if not amounts:
                continue
            got = sum((_wan(a, u) for a, u in amounts), Decimal(0))
            how = "测算明细各项合计 " + " + ".join(f"{a} {u}" for a, u in amounts)
        total = m.group("total")
        sev = judge(total, Span.exact(got), most="medium")
        if sev is None:
            continue
        out.append(Finding(
            doc=doc.id, kind="table_sum", severity=sev, rule="tables.cost_breakdown",
            message=f"资金总额 {total} 万元，{how}，折合 {show(got, 4).rstrip('0').rstrip('.')} 万元。",
            evidence=[ev(p, m.group(0)), ev(lines[0], lines[0].text)] + ([ev(lines[-1], lines[-1].text)] if len(lines) > 1 else []),
        ))
    return out


def stated_totals(doc: Document) -> list[Finding]:
    """'YYYY 年度财政拨款收入支出总计 X 万元' against the 总计 row of that table (财政拨款收入支出决算总表)."""
    out = []
    for p, s in sentences(doc):
        for m in rx("stated_total").finditer(s):
            name = re.compile(str(patterns()["stated_total_table"]).replace("{what}", re.escape(m.group("what"))))
            rows = [q for q in doc.paragraphs if q.kind == "table_row" and q.heading_path
                    and name.fullmatch(squash(q.heading_path[-1])) and re.match(r"^总计\s", q.text)]
            if len(rows) != 1:
                continue
            t = re.match(rf"^总计\s+({NUM})", rows[0].text)
            if not t:
                continue
            table = dec(t.group(1))
            if m.group("unit") == "亿元":
                table = table / 10000
            sev = judge(m.group("num"), Span.printed(t.group(1)) if m.group("unit") == "万元" else Span.exact(table), most="medium")
            if sev is None:
                continue
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity=sev, rule="tables.stated_totals",
                message=f"正文称{m.group('what')}收入支出总计 {m.group('num')} {m.group('unit')}，「{rows[0].heading_path[-1]}」总计为 {t.group(1)}。",
                evidence=[ev(p, s), ev(rows[0], rows[0].text)],
            ))
    return out


def level_totals(doc: Document) -> list[Finding]:
    """'产出指标共 35 分，评价得分 23.25 分' against the score summary table ('一级指标 决策 过程 产出 效益',
    rows 分值 and 得分)."""
    table: dict[str, tuple[str, str]] = {}
    src: tuple[Paragraph, Paragraph] | None = None
    for run in _runs(doc):
        for i, head in enumerate(run):
            cells = _cells(head)
            if not cells or cells[0] != "一级指标" or len(cells) < 4:
                continue
            got = {}
            for row in run[i + 1:i + 4]:
                rc = _cells(row)
                if rc and rc[0] in ("分值", "得分") and len(rc) == len(cells):
                    got[rc[0]] = (row, rc[1:])
            if len(got) == 2:
                for k, name in enumerate(cells[1:]):
                    table[name] = (got["分值"][1][k], got["得分"][1][k])
                src = (got["分值"][0], got["得分"][0])
    if not table or src is None:
        return []
    out = []
    for p, s in sentences(doc):
        for m in rx("level_total").finditer(s):
            name = m.group("name")
            if name not in table:
                continue
            w, sc = table[name]
            if dec(w) == dec(m.group("w")) and dec(sc) == dec(m.group("s")):
                continue
            other = [n for n, (w2, s2) in table.items() if dec(w2) == dec(m.group("w")) and dec(s2) == dec(m.group("s"))]
            sev: Severity = "medium"
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity=sev, rule="tables.level_totals",
                message=(f"正文称「{name}指标共 {m.group('w')} 分，得分 {m.group('s')} 分」，得分情况表中{name}为 {w} 分、得分 {sc} 分"
                         + (f"（{m.group('w')}/{m.group('s')} 是「{other[0]}」的）" if other else "") + "。"),
                evidence=[ev(p, s), ev(src[0], src[0].text), ev(src[1], src[1].text)],
            ))
    return out


CHECKS = (subtotal_twice, total_column_label, counted_rows, cost_breakdown, stated_totals, level_totals)


def column_totals(doc: Document) -> list[Finding]:
    """An amount the text names by a table's column header ('项目预算调剂金额为 85.7 万元') against that
    column's 合计 row (85.60), in a sentence naming none of the table's rows (so it is the whole)."""
    cols: list[tuple[str, str, Paragraph, list[str]]] = []
    for run in _runs(doc):
        head = next((p for p in run if len(_cells(p)) >= 3 and not any(_NUM_CELL.match(c.rstrip("%％")) for c in _cells(p))), None)
        total = next((p for p in run if _cells(p) and _cells(p)[0] in ("合计", "总计")), None)
        if head is None or total is None:
            continue
        hc, tc = _cells(head), _cells(total)
        rows = [_cells(p)[0] for p in run if p is not head and p is not total and _cells(p)]
        if len(hc) != len(tc):
            continue
        for name, cell in zip(hc[1:], tc[1:], strict=True):
            name = squash(name)
            if len(name) >= 4 and _NUM_CELL.match(cell):
                cols.append((name, cell, total, rows))
    if not cols:
        return []
    out = []
    for p, s in sentences(doc):
        for m in rx("column_amount").finditer(s):
            label = re.sub(r"^(?:虽然|但是|但|其中|而且|而|并且|且)", "", squash(m.group("label")))
            for name, cell, total, rows in cols:
                if not label.endswith(name) or any(squash(r) in squash(s) for r in rows if len(squash(r)) >= 2):
                    continue
                sev = judge(m.group("num"), Span.printed(cell), most="low")
                if sev is None:
                    continue
                out.append(Finding(
                    doc=doc.id, kind="value_twice", severity=sev, rule="tables.column_totals",
                    message=f"正文称{label} {m.group('num')} 万元，表中「{name}」合计为 {cell}。",
                    evidence=[ev(p, s), ev(total, total.text)],
                ))
    return out


def target_counts(doc: Document) -> list[Finding]:
    """A count in the text ('完成劳务派遣 35 人聘用工作') against the actual value of the target row whose
    name holds the same words ('劳务派遣人数 34 人'), in a sentence about no other year than the report's."""
    from assistant.checks.targets import actual_value

    rows = []
    for t in doc.targets:
        a = actual_value(t)
        if a and t.levels and t.line:
            rows.append((squash(t.levels[-1]), a, t))
    if not rows:
        return []
    suffix = re.compile(patterns()["count_name_suffix"])
    out = []
    done: set[int] = set()
    target_lines = {t.line for t in doc.targets}
    for p, s in sentences(doc, ("text", "table_row")):
        years = set(re.findall(r"(20\d\d)\s*年", s))
        if p.line in target_lines or (years and years != {doc.year}):
            continue
        for m in rx("text_count").finditer(s):
            label = squash(m.group("label"))
            for n in (6, 5, 4):
                key = suffix.sub("", label[-n:]) if len(label) >= n else ""
                hits = [(name, a, t) for name, a, t in rows if len(key) >= 4 and key in name and a[1] == m.group("unit")]
                if hits:
                    break
            if not hits or len({a for _, a, _ in hits}) != 1:
                continue  # rows with the same words but different actuals: which one is meant is unclear
            name, (value, unit), t = hits[0]
            if value == dec(m.group("num")) or t.line in done:
                continue
            done.add(t.line)  # type: ignore[arg-type]
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity="low", rule="tables.target_counts",
                message=f"正文写「{m.group(0).strip()}」，绩效指标表中「{t.levels[-1]}」实际完成 {t.actual}。",
                evidence=[ev(p, s), Evidence(page=t.page, line=t.line, quote=t.quote)],
            ))
    return out


def unit_standards(doc: Document) -> list[Finding]:
    """A row counting units ('等7个赛项') with an amount no per-unit standard the report states gives
    (每个赛项 25、15、5 万元: 7 个赛项 cannot get 15 万元)."""
    std: dict[str, set[Decimal]] = {}
    for _p, s in sentences(doc, ("text", "table_row")):
        for m in rx("unit_standard").finditer(s):
            std.setdefault(m.group("per"), set()).add(dec(m.group("num")))
    if not std:
        return []
    out = []
    for p in doc.paragraphs:
        m = rx("counted_row").search(p.text)
        if not m or m.group("per") not in std or len(re.findall(r"\d\s*个" + m.group("per"), p.text)) != 1:
            continue  # a row joining two events ('(1个赛项)…(3个赛项)') may mix standards
        n, amount = int(m.group("n")), dec(m.group("amount"))
        if amount == 0 or any(n * k == amount for k in std[m.group("per")]):
            continue
        shown = "、".join(str(k) for k in sorted(std[m.group("per")], reverse=True))
        out.append(Finding(
            doc=doc.id, kind="formula", severity="low", rule="tables.unit_standards",
            message=f"{n} 个{m.group('per')}补贴 {m.group('amount')} 万元，按报告所列每个{m.group('per')} {shown} 万元的标准都得不到。",
            evidence=[ev(p, p.text)],
        ))
    return out


_YEAR = re.compile(r"(?<![-—－至~\d])(20\d\d)\s*年(?!\s*[-—－至~])")


def _pairs(doc: Document) -> list[tuple[tuple[str, str, str, str, str], str, Paragraph, str]]:
    """(year, label, n, u1, u2) → m of every 'label N 个 u1 M 个 u2' with a year: in the text, the last
    year the clause names before it; in a table, the row's year cell or the year of the rows above."""
    pair = rx("count_pair")
    out = []
    year: str | None = None
    for p in doc.paragraphs:
        if p.kind == "heading":
            year = None
        if p.kind == "table_row":
            cells = _cells(p)
            if cells and re.fullmatch(r"20\d\d", cells[0]):
                year = cells[0]
            for label, c in zip(cells, cells[1:], strict=False):
                m = pair.match(label + c)
                if year and m and m.group("label") == label:
                    out.append(((year, *m.group("label", "n", "u1", "u2")), m.group("m"), p, p.text))
        if p.kind in ("text", "table_row"):
            for s in (re.split(r"(?<=[。；;])", p.text) if p.kind == "text" else
                      [c for cell in _cells(p) for c in re.split(r"(?<=[。；;])", cell)]):
                for m in pair.finditer(s):
                    years = _YEAR.findall(s[:m.start("n")])
                    label = re.sub(r"^.*年", "", m.group("label")).removeprefix("计划").removesuffix("为")
                    if years and len(label) >= 2:
                        out.append(((years[-1], label, *m.group("n", "u1", "u2")), m.group("m"), p, s))
    return out


def pair_counts(doc: Document) -> list[Finding]:
    """'2021年计划一类赛9个赛事36个赛项' against the table's 2021 row '一类赛 9个赛事34个赛项': the same year,
    class and 赛事 count with another 赛项 count."""
    pairs = _pairs(doc)
    out = []
    done: set[tuple] = set()
    for i, (key, m, p, s) in enumerate(pairs):
        if p.kind != "text" and not _YEAR.search(s):
            continue  # a table's own row is compared from the other side
        for key2, m2, q, s2 in pairs[:i] + pairs[i + 1:]:
            if key2 != key or m2 == m or (key, frozenset((m, m2))) in done:
                continue
            done.add((key, frozenset((m, m2))))
            year, label, n, u1, u2 = key
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity="low", rule="tables.pair_counts",
                message=f"{year} 年「{label}」{n} 个{u1}：一处为 {m} 个{u2}，另一处为 {m2} 个{u2}。",
                evidence=[ev(p, s), ev(q, s2)],
            ))
    return out


CHECKS = (*CHECKS, column_totals, target_counts, unit_standards, pair_counts)
