"""A row filed under a category its content belongs not to: a target named by the words of another
level-2 category (满意度 under 数量指标), or a coded indicator under another 一级 than its code's letter."""

from __future__ import annotations

import re
from collections import Counter

from assistant.checks.model import Finding
from assistant.checks.text import ev, ev_record, ev_target, patterns
from assistant.ingest import Document


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


CHECKS = (target_categories, code_letters, closed_categories)
