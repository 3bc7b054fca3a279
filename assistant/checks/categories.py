"""A row filed under a category its content belongs not to: a target named by the words of another
level-2 category (满意度 under 数量指标), a coded indicator under another 一级 than its code's letter, or
an item's spending explained as 基本支出 where its own table files it under 项目支出."""

from __future__ import annotations

import re
from collections import Counter

from assistant.checks.model import Finding
from assistant.checks.text import ev, ev_record, ev_target, patterns
from assistant.ingest import Document
from assistant.ingest.model import Paragraph


def target_categories(doc: Document) -> list[Finding]:
    cats = patterns()["categories"]
    out = []
    for t in doc.targets:
        if len(t.levels) < 3:
            continue
        filed, name = t.levels[-2], t.levels[-1]
        home = [c for c, spec in cats.items() if spec["label"] in filed]
        if not home:
            continue  # not a category we know: nothing to contradict
        for cat, spec in cats.items():
            if cat in home or not re.search(spec["words"], name):
                continue
            if any(re.search(cats[h]["words"], name) for h in home):
                break  # the name has words of its own category too
            out.append(Finding(
                doc=doc.id, kind="category", severity="low", rule="categories.target_categories",
                message=f"「{name}」列在「{filed}」下，但从名称看属于{cat}类指标。",
                evidence=[ev_target(t)],
            ))
            break
    return out


def code_letters(doc: Document) -> list[Finding]:
    """Codes A101, B203…: in a table, a letter stands for one 一级; a row whose 一级 is another's."""
    out = []
    by_table: dict[str, list] = {}
    for r in doc.records:
        if r.source == "table" and r.code and r.levels and re.match(r"[A-Z]\d", r.code):
            by_table.setdefault(r.table, []).append(r)
    for rows in by_table.values():
        homes = {letter: Counter(r.levels[0] for r in rows if r.code[0] == letter) for letter in {r.code[0] for r in rows}}
        for r in rows:
            home, n = homes[r.code[0]].most_common(1)[0]
            if r.levels[0] != home and n >= 2:
                out.append(Finding(
                    doc=doc.id, kind="category", severity="medium", rule="categories.code_letters",
                    message=f"「{r.code} {r.name}」列在「{r.levels[0]}」下，但 {r.code[0]} 字头的其余 {n} 个指标都属于「{home}」。",
                    evidence=[ev_record(r)],
                ))
    return out



def closed_categories(doc: Document) -> list[Finding]:
    """A row under 生态效益 or 满意度 (categories whose rows always name their subject) that names none
    of its words: '生态效益指标 营造良好的创新创业氛围'."""
    closed = patterns()["closed_categories"]
    row = re.compile(patterns()["category_row"])
    na = re.compile(patterns()["not_applicable"])
    out = []
    for p in doc.paragraphs:
        m = row.match(p.text)
        if not m or na.match(m.group("content")) or re.search(closed[m.group("cat")], m.group("content")):
            continue
        content = re.split(r"\t|\s{2,}| ", m.group("content").strip())[0]
        if len(content) < 4 or not re.search(r"[\u4e00-\u9fff]{4}", content):
            continue
        out.append(Finding(
            doc=doc.id, kind="category", severity="low", rule="categories.closed_categories",
            message=f"「{content}」列在「{m.group('cat')}指标」下，但内容与{m.group('cat')}无关。",
            evidence=[ev(p, p.text)],
        ))
    for t in doc.targets:
        if len(t.levels) >= 3 and (cat := next((c for c in closed if t.levels[-2].startswith(c)), None)) \
                and not na.match(t.levels[-1]) and not re.search(closed[cat], t.levels[-1]) and len(t.levels[-1]) >= 4:
            out.append(Finding(
                doc=doc.id, kind="category", severity="low", rule="categories.closed_categories",
                message=f"「{t.levels[-1]}」列在「{t.levels[-2]}」下，但内容与{cat}无关。",
                evidence=[ev_target(t)],
            ))
    return out


_ROW = re.compile(r"^(?P<code>\d{3}(?:\s+\d{2}){0,2})\s+(?P<name>[^\d\s][^\d]*?)\s+(?P<nums>(?:\d[\d,]*\.\d{2}\s*){1,3})$")
_EXPLAINED = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,20})（项）[。.]?\s*主要用于[：:][^。]{0,60}?(?P<kind>基本支出|项目支出)")


def _cents(text: str) -> int:
    return int(round(float(text.replace(",", "")) * 100))


def expense_kind(doc: Document) -> list[Finding]:
    """A 决算 explanation calling an item's spending 基本支出 where its own table files it under 项目支出 (or
    the other way). The table prints 合计 / 基本支出 / 项目支出 per row, an item's empty column left out, so
    a row of two equal amounts is one or the other; which one is settled by arithmetic where only one
    way of filing the 项 of a 款 gives the 款's own 基本 and 项目 totals. Low: '基本支出' in an explanation
    may be loose wording."""
    rows = []
    for i, p in enumerate(doc.paragraphs):
        m = _ROW.match(p.text.strip()) if p.kind == "table_row" else None
        if m:
            head = " ".join(q.text for q in doc.paragraphs[max(0, i - 40): i])
            if "基本支出" in head and "项目支出" in head:
                rows.append((p, m.group("code").split(), m.group("name").strip(), [_cents(x) for x in m.group("nums").split()]))
    filed: dict[str, tuple[str, Paragraph]] = {}
    for _p, code, _, nums in rows:
        if len(code) != 2 or len(nums) != 3 or nums[0] != nums[1] + nums[2]:
            continue
        kids = [(q, n, v) for q, c, n, v in rows if len(c) == 3 and c[:2] == code]
        fixed = [v for _, _, v in kids if len(v) == 3]
        loose = [(q, n, v[0]) for q, n, v in kids if len(v) == 2 and v[0] == v[1]]
        if len(fixed) + len(loose) != len(kids) or not loose or len(loose) > 12:
            continue
        need_basic = nums[1] - sum(v[1] for v in fixed)
        ways = [mask for mask in range(1 << len(loose))
                if sum(a for k, (_, _, a) in enumerate(loose) if mask >> k & 1) == need_basic
                and sum(a for k, (_, _, a) in enumerate(loose) if not mask >> k & 1) == nums[2] - sum(v[2] for v in fixed)]
        if len(ways) != 1:
            continue
        for k, (q, name, _) in enumerate(loose):
            filed[name] = ("基本支出" if ways[0] >> k & 1 else "项目支出", q)
    out = []
    paras = doc.paragraphs
    for i, p in enumerate(paras):
        if p.kind != "text":
            continue
        # ('…（项）。主要用于：' may end its line, the use on the next)
        after = paras[i + 1] if p.text.rstrip().endswith(("：", ":")) and i + 1 < len(paras) else None
        text = p.text + (after.text if after else "")
        for m in _EXPLAINED.finditer(text):
            name = m.group("name").split("（款）")[-1]
            if name in filed and filed[name][0] != m.group("kind"):
                kind, q = filed[name]
                said = [ev(p, text[m.start(): min(m.end(), len(p.text))])]
                if m.end() > len(p.text) and after is not None:
                    said.append(ev(after, text[len(p.text): m.end()]))
                out.append(Finding(
                    doc=doc.id, kind="category", severity="low", rule="categories.expense_kind",
                    message=(f"「{name}」的说明称其为{m.group('kind')}，但支出决算表把它列在{kind}"
                             f"（该款的基本、项目支出合计只有这一种分法）。"),
                    evidence=[*said, ev(q, q.text)],
                ))
    return out


CHECKS = (target_categories, code_letters, closed_categories, expense_kind)
