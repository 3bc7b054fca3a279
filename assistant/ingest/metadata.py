"""Title, issuing unit, year, kind, published total and grade of a report."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.ingest.lines import Line
from assistant.ingest.model import DocKind
from assistant.ingest.patterns import patterns, squash

_YEAR_RANGE = re.compile(r"(20\d{2})\s*[-—–~至]\s*(20\d{2})\s*年")
_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?")
_TITLE_WORDS = re.compile(r"报告|预算|决算|评价|自评|绩效|公开")


_NUMBERED = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.]")
_TITLE_FALLBACK = re.compile(r"(20\d{2}(?:\s*[-—–]\s*20\d{2})?\s*年度?[^\s，。；：、,]{2,40}?(?:绩效评价|绩效自评|部门预算|部门决算))")


_NOT_TITLE = re.compile(r"^(?:目录|第[一二三四五六七八九十]+部分|公开\d+表|附件|附表|\d{1,3}$)")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}$")


def title_block(lines: list[Line]) -> str | None:
    """A title printed over several short lines at the very top ('上海市普陀区财政局' / '年度部门决算' /
    '2024'), joined; a year the extractor moved to its own line goes back before its 年度."""
    block: list[str] = []
    for ln in lines[:12]:
        t = ln.text
        if not t:
            if block:
                break
            continue
        if (ln.is_page_mark or "\t" in ln.raw or len(t) > 30 or re.search(r"[。，；：:]", t) or _NUMBERED.match(t)
                or _NOT_TITLE.match(t.replace(" ", ""))):
            break
        block.append(re.sub(r"\s+", " ", t))
    if len(block) < 2 or not any(_TITLE_WORDS.search(b) for b in block):
        return None
    years = [b for b in block if _YEAR_ONLY.match(b)]
    words = [b for b in block if not _YEAR_ONLY.match(b)]
    title = "".join(words)
    for y in years:
        title = re.sub(r"(?<!\d)\s*(年度)", f"{y}\\1", title, count=1) if not re.search(r"\d\s*年", title) else title
    return title


def find_title(lines: list[Line]) -> str:
    """The title near the top (one line, or a block of short lines); else the first
    'YYYY年…绩效评价/自评/预算' phrase of the text.

    A report without a printed title (e.g. one that starts at 一、基本情况) gets that phrase, which is
    still verbatim in the document.
    """
    block = title_block(lines)
    if block:
        return block
    nonempty = [ln for ln in lines if ln.text][:12]
    for ln in nonempty:
        t = ln.text
        if (6 <= len(t) <= 50 and _TITLE_WORDS.search(t) and "\t" not in ln.raw
                and not t.startswith(("目", "附件")) and not _NUMBERED.match(t) and not re.search(r"[。，；》]", t)):
            return re.sub(r"\s+", " ", t)
    phrases = [m.group(1) for ln in lines if "\t" not in ln.raw for m in _TITLE_FALLBACK.finditer(ln.text)]
    specific = [ph for ph in phrases if re.search(r"部门整体|专项资金|项目支出", ph)]
    if specific or phrases:
        return re.sub(r"\s+", " ", (specific or phrases)[0])
    return nonempty[0].text[:50] if nonempty else ""


def find_kind(title: str, head: str) -> DocKind:
    for kind, pattern in patterns().kinds:
        if pattern.search(title):
            return kind  # type: ignore[return-value]
    for kind, pattern in patterns().kinds:
        if pattern.search(head):
            return kind  # type: ignore[return-value]
    return "other"


def find_year(title: str, head: str, text: str = "") -> str | None:
    """From the title, else the first lines; else the one year the whole document speaks of (a
    tables-only disclosure prints it in a table caption)."""
    for part in (title, head):
        m = _YEAR_RANGE.search(part)
        if m:
            return f"{m.group(1)}-{m.group(2)}"
        m = _YEAR.search(part)
        if m:
            return m.group(1)
    years = [m.group(1) for m in _YEAR.finditer(text)]
    if years:
        top = max(set(years), key=years.count)
        if years.count(top) >= 0.6 * len(years):
            return top
    return None


def find_evaluation(kind: str, head: str, text: str) -> tuple[str | None, str | None]:
    """(自评 | 第三方评价 | None, evaluator): a third party where the report names one, else an
    evaluation is the unit's own; budgets and final accounts are neither."""
    if not kind.endswith("评价"):
        return None, None
    p = patterns()
    flat = re.sub(r"[ \t]+", " ", text[:20000])
    for pattern in p.third_party:
        m = pattern.search(flat)
        if m:
            evaluator = (m.groupdict().get("evaluator") or "").strip() or None
            return "第三方评价", evaluator
    return "自评", None


def find_unit(head: str) -> str | None:
    for pattern in patterns().unit_patterns:
        m = pattern.search(head)
        if m:
            return m.group(1).strip().lstrip("年度")
    return None


def find_total_and_grade(text: str) -> tuple[Decimal | None, str | None]:
    """The published total score and grade, from the report's own words (first statement wins)."""
    flat = squash(text)
    total = None
    for pattern in patterns().total_patterns:
        m = pattern.search(flat)
        if m:
            total = Decimal(m.group(1))
            break
    grade = None
    for pattern in patterns().grade_patterns:
        m = pattern.search(flat) or pattern.search(text)
        if m:
            grade = m.group(1)
            break
    return total, grade


_SUBJECT = re.compile(r"^(?:项目名称|专项名称|资金名称)\s*[：:]\s*(\S.{1,40})$", re.M)


def find_subject(head: str) -> str | None:
    m = _SUBJECT.search(head)
    return m.group(1).strip() if m else None
