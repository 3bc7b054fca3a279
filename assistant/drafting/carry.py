"""Carry last year's report forward: keep its sections and sentences, renew every number from this
year's figures and the scorer, and mark what cannot be renewed.

Every number of the old text ends in one of three states, each in the ledger:
- renewed: it states a quantity of the figures vocabulary (or a score, a year, a date) and now prints
  this year's value, with its source;
- kept: it is the same every year (a rule's threshold, an ordinal, a cited document's number, a name);
- marked: it cannot be renewed, and is replaced by 〔待核：旧值 X，原因〕 — never left silently stale.
Words that depend on the numbers are checked too: a direction (较上年增加) that no longer holds, a claim
(均按期完成) the figures contradict, last year's causes, a problem about an indicator that now scores full
marks are marked; an indicator that now loses points and has no problem gets a 〔待补〕 paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.drafting.link import Linker, Miss, in_token_unit
from assistant.drafting.numbers import (
    DATE,
    DOTTED_DATE,
    Token,
    format_like,
    to_unit,
    tokenize,
)
from assistant.drafting.quantities import QValue, Values
from assistant.drafting.vocab import Condition, Vocab, bundled_vocab
from assistant.errors import JixiaoError
from assistant.figures import Figures, load_figures
from assistant.ingest import load_document
from assistant.ingest.model import Document, Paragraph
from assistant.ingest.narrative import indicator_key
from assistant.ingest.patterns import squash
from assistant.scoring.sheet import IndicatorScore, ScoreSheet

if TYPE_CHECKING:
    from assistant.api import Session

Status = Literal["renewed", "kept", "marked"]
MARK = re.compile(r"〔待[核补]：[^〕]*〕")
_CELL = re.compile(r"\S+(?:[ \u3000]\S+)*")
_PURE_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_UNIT_LINE = re.compile(r"单位\s*[：:]\s*(亿元|万元|元)")
_ENUM = re.compile(r"^\s*(?:[（(]\d{1,2}[）)]|\d{1,2}\s*[、.．])")
_TOTAL_CELL = re.compile(r"^(综合评分|总得分情况|总得分|总分|合计)$")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?|[。！？]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
NUMBER_KINDS = ("money", "percent", "points", "count", "score", "year", "years", "date", "docno", "url", "phone",
                "bare", "other")


OTHER_FRAMEWORK = "报告的评分指标与本年评分框架不同，请按本年评分表填写"


class CarryError(JixiaoError):
    """A report cannot be carried forward with these figures."""


@dataclass
class Entry:
    """One number (or a word that depends on numbers) of the old text, and what became of it."""

    where: str  # the heading path
    line: int
    old: str
    new: str | None
    status: Status
    source: str  # 'figures:…', 'derived: …', 'scorer:…', 'year', 'constant: …', '〔待核〕'
    kind: str  # a number kind (money, percent, year, …) or claim / cause / problem / grade / name
    quantity: str | None = None
    reason: str = ""
    at: int | None = None  # where it stood in the old paragraph text
    span: tuple[int, int] | None = None  # where it stands in the new paragraph text

    def as_dict(self) -> dict[str, object]:
        return {"where": self.where, "line": self.line, "kind": self.kind, "old": self.old, "new": self.new,
                "status": self.status, "source": self.source, "quantity": self.quantity, "reason": self.reason}


@dataclass
class CarriedParagraph:
    kind: str  # text | table_row | heading
    heading_path: list[str]
    line: int
    old: str
    text: str
    sentences: list[Status] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    added: bool = False  # a 〔待补〕 paragraph the old report did not have


@dataclass
class CarriedDraft:
    doc: str
    title: str
    old_year: int
    year: int
    total: Decimal
    grade: str
    paragraphs: list[CarriedParagraph]
    notes: list[str] = field(default_factory=list)

    @property
    def ledger(self) -> list[Entry]:
        return [e for p in self.paragraphs for e in p.entries]

    @property
    def markdown(self) -> str:
        return render_markdown(self)

    def counts(self) -> dict[str, dict[str, int]]:
        sentences = Counter(s for p in self.paragraphs if not p.added for s in p.sentences)
        numbers = Counter(e.status for e in self.ledger if e.kind in NUMBER_KINDS)
        words = Counter(f"{e.kind}:{e.status}" for e in self.ledger if e.kind not in NUMBER_KINDS)
        return {
            "sentences": {s: sentences.get(s, 0) for s in ("kept", "renewed", "marked")},
            "numbers": {s: numbers.get(s, 0) for s in ("renewed", "kept", "marked")},
            "words": dict(sorted(words.items())),
            "added": {"paragraphs": sum(1 for p in self.paragraphs if p.added)},
        }

    def unmarked_stale(self) -> list[str]:
        """Digits in the new text that are neither inside a 〔待核〕 mark nor a renewed or kept number of
        the ledger: a stale number that survived unmarked (there should be none)."""
        found = []
        for p in self.paragraphs:
            covered = [m.span() for m in MARK.finditer(p.text)]
            covered += [e.span for e in p.entries if e.span and e.status in ("renewed", "kept")]
            for m in re.finditer(r"\d+", p.text):
                if not any(a <= m.start() and m.end() <= b for a, b in covered):
                    found.append(f"line {p.line}: '{m.group(0)}' in 「{p.text[max(0, m.start() - 20):m.end() + 10]}」")
        return found


@dataclass
class _Edit:
    start: int
    end: int
    text: str
    entry: Entry | None = None


def _mark(old: str, reason: str) -> str:
    safe = old.replace("〔", "[").replace("〕", "]")
    return f"〔待核：旧值 {safe}，{reason}〕"


def _note(reason: str) -> str:
    return f"〔待核：{reason}〕"


def cells(text: str) -> list[tuple[int, int, str]]:
    """A table row's cells (separated by two spaces or more)."""
    return [(m.start(), m.end(), m.group(0)) for m in _CELL.finditer(text)]


def sentence_spans(text: str, kind: str) -> list[tuple[int, int]]:
    if kind != "text":
        return [(0, len(text))]
    spans = [m.span() for m in _SENTENCE.finditer(text)]
    return spans or [(0, len(text))]


def _pairs(text: str, pairs: list[str]) -> list[tuple[int, int]]:
    out = []
    for pair in pairs:
        opener, closer = pair[0], pair[1]
        if opener == closer:
            out += [m.span() for m in re.finditer(f"{re.escape(opener)}[^{re.escape(opener)}]*{re.escape(closer)}", text)]
        else:
            out += [m.span() for m in re.finditer(f"{re.escape(opener)}[^{re.escape(opener + closer)}]*{re.escape(closer)}", text)]
    return out


def _inside(pos: int, end: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((a, b) for a, b in spans if a <= pos and end <= b), None)


class _Carrier:
    def __init__(self, doc: Document, figures: Figures, sheet: ScoreSheet, previous: Figures | None,
                 previous_sheet: ScoreSheet | None, vocab: Vocab) -> None:
        self.doc, self.figures, self.sheet, self.vocab = doc, figures, sheet, vocab
        try:
            self.old_year = int(str(doc.year).strip())
        except ValueError as exc:
            raise CarryError(f"{doc.id}: 报告年度不明（{doc.year}），无法续写") from exc
        if figures.year < self.old_year:
            raise CarryError(f"数据文件年度 {figures.year} 早于报告 {doc.id} 的年度 {self.old_year}，无法续写")
        self.year = figures.year
        self.shift = self.year - self.old_year
        self.notes: list[str] = []
        self.new = Values(figures, sheet, vocab)
        self.old: Values | None = None
        self.prior: Values | None = None  # the year before the new one, for 较上年
        if previous is not None and previous_sheet is not None:
            prev = Values(previous, previous_sheet, vocab)
            if previous.year == self.old_year:
                self.old = prev
            else:
                self.notes.append(f"上年数据文件为 {previous.year} 年，与报告年度 {self.old_year} 不同，未用于核对旧值")
            if previous.year == self.year - 1:
                self.prior = prev
        else:
            self.notes.append("未提供上年数据文件：旧值只按上下文词语关联，未按数值核对")
        if self.prior is None:
            self.notes.append(f"无 {self.year - 1} 年数据：“较上年”的增减无法更新，均已标记")
        self.linker = Linker(vocab, self.new, self.old)
        if self.old is not None and doc.total_score is not None:
            self.linker.overrides["score.total"] = QValue(doc.total_score, "", "report:total")
        self.names = sorted(((squash(i.name), i) for i in sheet.indicators), key=lambda x: -len(x[0]))
        self.comma = self._comma_style()
        self.scores_apply = self._scores_apply()
        if not self.scores_apply:
            self.notes.append(f"报告的评分指标与本年评分框架（{sheet.framework_name}）不同：得分、等级与问题均标记待核")
        self.score_cells, self.region = self._scoring_table()
        self.problem_marks, self.added = self._problems() if self.scores_apply else ({}, {})

    # ------------------------------------------------------------------ whole document

    def run(self) -> CarriedDraft:
        out: list[CarriedParagraph] = []
        table_unit: str | None = None
        title_key = squash(self.doc.title)
        for i, p in enumerate(self.doc.paragraphs):
            if squash(p.text) == title_key and not p.heading_path:
                continue
            if p.kind == "heading":
                table_unit = None
            declared = _UNIT_LINE.search(p.text)
            if declared:
                table_unit = declared.group(1)
            out.append(self._paragraph(i, p, table_unit if p.kind == "table_row" else None))
            out += self.added.get(i, [])
        return CarriedDraft(doc=self.doc.id, title=self._shift_years(self.doc.title), old_year=self.old_year,
                            year=self.year, total=self.sheet.total, grade=self.sheet.grade, paragraphs=out,
                            notes=self.notes)

    def _shift_years(self, text: str) -> str:
        def repl(m: re.Match[str]) -> str:
            y = int(m.group(0))
            return str(y + self.shift) if self.old_year - 1 <= y <= self.old_year + 2 else m.group(0)
        return re.sub(r"(?<!\d)(?:19|20)\d{2}(?!\d)", repl, text)

    def _scores_apply(self) -> bool:
        """Whether the report was scored with this year's framework: its scoring table names at least half
        of the framework's indicators (or, without a table, it is the kind of report the framework scores)."""
        keys = {indicator_key(i.name) for i in self.sheet.indicators}
        named = {indicator_key(r.name) for r in self.doc.records if r.source == "table"}
        if named:
            return len(named & keys) * 2 >= len(keys)
        return self.doc.kind != "other" and self.doc.kind in self.sheet.framework_name

    def _comma_style(self) -> bool:
        """Whether the report writes amounts of a thousand or more with thousands separators."""
        votes = Counter()
        for p in self.doc.paragraphs:
            for tok in tokenize(p.text):
                if tok.kind == "money" and tok.value is not None and abs(tok.value) >= 1000:
                    votes[tok.comma] += 1
        return votes[True] >= votes[False]

    def _scoring_table(self) -> tuple[dict[int, tuple[int, int, str]], set[int]]:
        """The scoring table's rows: where each indicator's score (and the total) is printed; every
        other number in those rows is the framework's (weights, rule texts) and stays."""
        records = {indicator_key(r.name): r for r in self.doc.records if r.source == "table" and r.score is not None}
        paras = self.doc.paragraphs
        score_cells: dict[int, tuple[int, int, str]] = {}
        paths: set[tuple[str, ...]] = set()
        for i, p in enumerate(paras):
            if p.kind != "table_row":
                continue
            row = cells(p.text)
            record = next((records[indicator_key(c)] for _, _, c in row if indicator_key(c) in records), None)
            if record is None:
                continue
            paths.add(tuple(p.heading_path))
            a, b, last = row[-1]
            if len(row) > 2 and _PURE_NUMBER.fullmatch(last) and Decimal(last) == record.score:
                score_cells[i] = (a, b, record.name)
            elif i + 1 < len(paras) and _PURE_NUMBER.fullmatch(paras[i + 1].text.strip()) \
                    and Decimal(paras[i + 1].text.strip()) == record.score:
                text = paras[i + 1].text
                score_cells[i + 1] = (len(text) - len(text.lstrip()), len(text.rstrip()), record.name)
        region: set[int] = set()
        for i, p in enumerate(paras):
            if tuple(p.heading_path) in paths and (p.kind == "table_row" or i in score_cells):
                region.add(i)
                row = cells(p.text)
                if p.kind == "table_row" and row and _TOTAL_CELL.match(row[0][2]):
                    for a, b, c in row[1:]:
                        if _PURE_NUMBER.fullmatch(c):
                            score_cells[i] = (a, b, "")
                            break
        return score_cells, region

    # ------------------------------------------------------------------ problems section

    def _problems(self) -> tuple[dict[int, str], dict[int, list[CarriedParagraph]]]:
        spec = self.vocab.problems
        paras = self.doc.paragraphs
        start = next((i for i, p in enumerate(paras) if p.kind == "heading" and re.search(spec.section, p.text)), None)
        if start is None:
            return {}, {}
        depth = len(paras[start].heading_path)
        prefix = paras[start].heading_path[:depth]
        members: list[int] = []
        for j in range(start + 1, len(paras)):
            if paras[j].heading_path[:depth] != prefix:
                break
            members.append(j)
        units: list[list[int]] = []
        last_problem = start
        in_measures = False
        for j in members:
            p = paras[j]
            if p.kind == "heading" and re.search(spec.measures, p.text):
                in_measures = True
            if p.kind == "heading" or _ENUM.match(p.text) or not units:
                units.append([j])
            else:
                units[-1].append(j)
            if not in_measures:
                last_problem = j
        marks: dict[int, str] = {}
        covered: set[str] = set()
        for unit in units:
            first = paras[unit[0]].text
            head = _SENTENCE.match(first)
            title = head.group(0) if head else first
            ids = [k for k, pattern in spec.topics.items() if re.search(pattern, title)]
            found = [ind for ind in (self.new.indicator_by_id(k) for k in ids) if ind is not None]
            covered.update(ind.id for ind in found)
            if found and all(ind.score == ind.weight for ind in found):
                names = "、".join(f"“{ind.name}”得满分（{_num(ind.score)} 分）" for ind in found)
                marks[unit[0]] = f"本年{names}，此问题可能已不存在，请核对或删除"
                for j in unit[1:]:
                    marks[j] = "所述问题本年可能已不存在（见上）"
        added: list[CarriedParagraph] = []
        where = paras[last_problem]
        for ind in self.sheet.indicators:
            if ind.deduction > 0 and ind.id not in covered:
                added.append(self._missing_problem(ind, where))
        return marks, ({last_problem: added} if added else {})

    def _missing_problem(self, ind: IndicatorScore, where: Paragraph) -> CarriedParagraph:
        pattern = self.vocab.problems.topics.get(ind.id)
        listed = next((p for p in self.figures.problems if pattern and re.search(pattern, p)), None)
        path = " > ".join(where.heading_path)
        entries = []
        parts = []
        for label, value in (("扣", ind.deduction), ("分值", ind.weight), ("得分", ind.score)):
            text = _num(value)
            parts.append(text)
            entries.append(Entry(path, where.line, "", text, "renewed", f"scorer:{ind.rule_id}", "score",
                                 reason=f"{ind.name}{label}（新增段落）"))
        text = f"〔待补：本年“{ind.name}”扣 {parts[0]} 分（分值 {parts[1]} 分，得分 {parts[2]} 分）"
        if ind.reason:
            text += f"；扣分原因：{ind.reason}"
        if listed:
            text += f"；数据文件所列问题：“{listed}”"
        text += "。原报告未述及此问题，请补写〕"
        entries.append(Entry(path, where.line, "", None, "marked", "〔待补〕", "problem", reason=f"{ind.name}新扣分"))
        return CarriedParagraph("text", list(where.heading_path), where.line, "", text, ["marked"], entries, added=True)

    # ------------------------------------------------------------------ one paragraph

    def _paragraph(self, index: int, p: Paragraph, table_unit: str | None) -> CarriedParagraph:
        text = p.text
        where = " > ".join(p.heading_path)
        spans = sentence_spans(text, p.kind)
        tokens = tokenize(text, table_unit, (self.old_year - 5, self.old_year + 5))
        quotes = _pairs(text, self.vocab.quotes)
        titles = _pairs(text, self.vocab.titles)
        constants = [(m.start(), m.end(), c.why) for c in self.vocab.constants for m in re.finditer(c.pattern, text)]
        in_region = index in self.region
        causes = {}
        for k, (s0, s1) in enumerate(spans):
            m = None if in_region else re.search(self.vocab.causes, text[s0:s1])
            if m:
                causes[k] = s0 + m.start()
        edits: list[_Edit] = []

        def entry(tok_text: str, status: Status, source: str, kind: str, quantity: str | None = None,
                  reason: str = "", at: int | None = None) -> Entry:
            return Entry(where, p.line, tok_text, None, status, source, kind, quantity, reason, at)

        def keep(tok: Token, why: str) -> None:
            e = entry(tok.text, "kept", f"constant: {why}", tok.kind, at=tok.start)
            e.new = tok.text
            edits.append(_Edit(tok.start, tok.end, tok.text, e))

        def mark(tok: Token, reason: str, quantity: str | None = None) -> None:
            edits.append(_Edit(tok.start, tok.end, _mark(tok.text, reason),
                               entry(tok.text, "marked", "〔待核〕", tok.kind, quantity, reason, tok.start)))

        def renew(tok: Token, new_text: str, source: str, quantity: str | None = None, reason: str = "",
                  kind: str | None = None) -> None:
            e = entry(tok.text, "renewed", source, kind or tok.kind, quantity, reason, tok.start)
            e.new = new_text
            edits.append(_Edit(tok.start, tok.end, new_text, e))

        def note(pos: int, reason: str, kind: str, old: str) -> None:
            edits.append(_Edit(pos, pos, _note(reason), entry(old, "marked", "〔待核〕", kind, reason=reason, at=pos)))

        bases: list[tuple[int, str]] = []  # linked quantities so far: (position, quantity), for 较上年
        shifted_titles: list[tuple[int, int]] = []
        lists: dict[int, tuple[list[str], int]] = {}
        families: dict[int, str] = {}  # the family each list item was linked to
        repeated = Counter((t.kind, t.value) for t in tokens if t.kind in ("money", "bare", "percent"))
        last_change: Token | None = None
        for k, tok in enumerate(tokens):
            s_idx = next(n for n, (a, b) in enumerate(spans) if a <= tok.start < b)
            s0, s1 = spans[s_idx]
            before, after = text[s0:tok.start], text[tok.end:s1]
            title = _inside(tok.start, tok.end, titles)
            constant = next((why for a, b, why in constants if a <= tok.start and tok.end <= b), None)
            in_cause = s_idx in causes and tok.start >= causes[s_idx]
            prev_char = text[tok.start - 1] if tok.start else ""
            next_char = text[tok.end] if tok.end < len(text) else ""

            if tok.kind == "url":
                mark(tok, "网址为上年公开页面，请填写本年网址")
            elif tok.kind == "phone":
                keep(tok, "联系电话")
            elif tok.kind == "docno":
                attached = any(0 <= tok.start - b <= 3 for _, b in shifted_titles)
                if attached or tok.parts[0] >= self.old_year:
                    mark(tok, "文号为上年文件，请填写本年文号")
                else:
                    keep(tok, "所引文件的文号")
            elif _inside(tok.start, tok.end, quotes):
                keep(tok, "名称中的数字")
            elif title is not None:
                self._title_token(tok, text, title, keep, renew, shifted_titles)
            elif index in self.region:
                cell = self.score_cells.get(index)
                if cell and cell[0] <= tok.start and tok.end <= cell[1]:
                    self._score_cell(tok, cell[2], renew, mark)
                else:
                    keep(tok, "评分表原文（框架的分值与评分标准）")
            elif constant is not None:
                keep(tok, constant)
            elif _ASCII_LETTER.match(prev_char) or (_ASCII_LETTER.match(next_char) and tok.kind == "bare"):
                keep(tok, "名称中的数字")
            elif tok.kind == "date":
                self._date(tok, after, in_cause, renew, mark, keep)
            elif tok.kind in ("year", "years"):
                self._year(tok, in_cause, renew, mark)
            else:
                # a number: a change against last year, an item of a list, a score on an indicator, or a quantity
                gap_ok = last_change is not None and re.search(self.vocab.directions.growth, text[last_change.end:tok.start])
                change = re.search(self.vocab.directions.change, before)
                if change or gap_ok:
                    word = (change or gap_ok).group("word")  # type: ignore[union-attr]
                    self._change(tok, word, bases, renew, mark, note, relative=bool(gap_ok and not change))
                    last_change = tok
                    continue
                listed = self._listed(k, tokens, text, s0, lists)
                if self._indicator_number(tok, before, p.heading_path, renew, mark, keep):
                    continue
                prefer = families.get(k - 1) if listed else None
                found = self.linker.link(tok, before, after, where, listed, by_value=p.kind == "table_row",
                                         prefer=prefer)
                if not isinstance(found, Miss) and p.kind == "table_row" and repeated[(tok.kind, tok.value)] > 1:
                    mark(tok, "同一行中有相同的数值，无法确定各自所指")
                    continue
                if isinstance(found, Miss):
                    reason = found.reason
                    if found.near:
                        reason = self._near_reason(found.near, tok)
                    mark(tok, reason, found.near)
                    continue
                governing = self._governing_year(text, tokens[:k], s0)
                if governing is not None and governing != self.old_year:
                    mark(tok, f"原文所述为 {governing} 年（非报告年度）的数值", found.quantity)
                    continue
                if found.quantity == "score.total" and not self.scores_apply:
                    mark(tok, OTHER_FRAMEWORK, found.quantity)
                    continue
                qv = self.new.get(found.quantity)
                if qv is None:
                    label = self.vocab.quantities[found.quantity].label
                    mark(tok, f"本年数据文件未给出{label}", found.quantity)
                    continue
                renew(tok, self._print(tok, qv), qv.source, found.quantity, reason=f"linked by {found.how}")
                bases.append((tok.end, found.quantity))
                families[k] = found.quantity.rsplit(".", 1)[0]
                self._direction_word(tok, found.quantity, found.cue, note)
        checks_claims = not in_region and index not in self.problem_marks
        for k, (s0, s1) in enumerate(spans):
            for claim in self.vocab.claims if checks_claims else []:
                for m in re.finditer(claim.pattern, text[s0:s1]):
                    holds = self.new.holds(claim.holds)
                    cond = claim.holds
                    if holds:
                        what = cond.quantity or cond.field or f"{cond.indicator} full={cond.full}"
                        e = entry(m.group(0), "kept", f"verified: {what}", "claim")
                        edits.append(_Edit(s0 + m.end(), s0 + m.end(), "", e))
                        continue
                    note(s0 + m.end(), self._claim_reason(claim.says, cond, holds), "claim", m.group(0))
            if k in causes:
                note(_before_stop(text, s1), f"原因说明为 {self.old_year} 年情况，请按本年情况改写", "cause",
                     text[causes[k]:s1])
        if index in self.problem_marks:
            s0, s1 = spans[0]
            note(_before_stop(text, s1), self.problem_marks[index], "problem", text[s0:s1])
        self._words(text, titles, index, entry, edits)
        return self._apply(p, text, spans, edits)

    def _apply(self, p: Paragraph, text: str, spans: list[tuple[int, int]], edits: list[_Edit]) -> CarriedParagraph:
        edits.sort(key=lambda e: (e.start, e.end))
        out: list[str] = []
        pos = 0
        status: list[set[str]] = [set() for _ in spans]
        for e in edits:
            if e.start < pos:
                raise AssertionError(f"overlapping edits at line {p.line}: {e}")  # pragma: no cover
            out.append(text[pos:e.start])
            start = sum(len(s) for s in out)
            out.append(e.text)
            pos = e.end
            if e.entry is not None:
                e.entry.span = (start, start + len(e.text))
                s_idx = next((n for n, (a, b) in enumerate(spans) if a <= e.start < b), len(spans) - 1)
                status[s_idx].add(e.entry.status)
        out.append(text[pos:])
        sentences: list[Status] = ["marked" if "marked" in s else "renewed" if "renewed" in s else "kept" for s in status]
        entries = [e.entry for e in edits if e.entry is not None]
        return CarriedParagraph(p.kind, list(p.heading_path), p.line, text, "".join(out), sentences, entries)

    # ------------------------------------------------------------------ decisions

    def _title_token(self, tok: Token, text: str, title: tuple[int, int], keep, renew, shifted) -> None:  # type: ignore[no-untyped-def]
        inner = text[title[0]:title[1]]
        dated = bool(re.search(r"\d\s*月\s*\d{1,2}\s*日", inner))
        in_parens = bool(re.search(r"[（(][^）)]*$", text[title[0]:tok.start]))
        if tok.kind in ("year", "years") and not dated and not in_parens:
            years = tok.parts if tok.kind == "years" else (int(tok.value or 0),)
            if all(self.old_year - 1 <= y <= self.old_year + 2 for y in years):
                renew(tok, self._shifted(tok), "year", reason="所引文件名按年度顺延")
                shifted.append(title)
                return
        keep(tok, "所引文件名")

    def _shifted(self, tok: Token) -> str:
        return re.sub(r"(?:19|20)\d{2}", lambda m: str(int(m.group(0)) + self.shift), tok.text)

    def _year(self, tok: Token, in_cause: bool, renew, mark) -> None:  # type: ignore[no-untyped-def]
        years = tok.parts if tok.kind == "years" else (int(tok.value or 0),)
        if in_cause:
            mark(tok, "原因说明中的年份，未顺延")
        elif all(self.old_year - 1 <= y <= self.old_year + 2 for y in years):
            renew(tok, self._shifted(tok), "year")
        else:
            mark(tok, f"年份不在报告年度（{self.old_year}）前后，未顺延")

    def _date(self, tok: Token, after: str, in_cause: bool, renew, mark, keep) -> None:  # type: ignore[no-untyped-def]
        y, m, d = tok.parts
        if in_cause or not y:
            mark(tok, "具体日期为上年情况")
            return
        for qid in ("disclosure.budget_date", "disclosure.final_accounts_date"):
            q = self.vocab.quantities.get(qid)
            if q and q.after and re.search(q.after, after) and d:
                qv = self.new.get(qid)
                if qv is None:
                    mark(tok, f"本年数据文件未给出{q.label}", qid)
                else:
                    date = qv.value
                    renew(tok, _format_date(tok.text, date.year, date.month, date.day), qv.source, qid)  # type: ignore[union-attr]
                return
        if (m, d) in ((12, 31), (1, 1)) and self.old_year - 1 <= y <= self.old_year + 2:
            renew(tok, _format_date(tok.text, y + self.shift, m, d), "year", reason="年初或年末日期")
        else:
            mark(tok, "具体日期为上年情况")

    def _score_cell(self, tok: Token, name: str, renew, mark) -> None:  # type: ignore[no-untyped-def]
        if not self.scores_apply:
            mark(tok, OTHER_FRAMEWORK)
            return
        if not name:
            renew(tok, format_like(tok, self.sheet.total), "scorer:total", "score.total", kind="score")
            return
        ind = self.new.indicator(name)
        if ind is None:
            mark(tok, f"本年评分框架中无“{name}”")
            return
        renew(tok, format_like(tok, ind.score), f"scorer:{ind.rule_id}", f"score:{ind.id}", kind="score")

    def _indicator_number(self, tok: Token, before: str, heading: list[str], renew, mark, keep) -> bool:  # type: ignore[no-untyped-def]
        if tok.kind != "score":
            return False
        spec = self.vocab.indicator_numbers
        filler = self.vocab.filler
        role = next((r for r, pattern in (("weight", spec.weight), ("deduction", spec.deduction), ("score", spec.score))
                     if re.search(f"(?:{pattern}){filler}$", before)), None)
        if role is None:
            return False
        ind = self._named(before) or self._named("".join(heading[-1:]))
        if ind is None:
            return False
        if not self.scores_apply:
            mark(tok, OTHER_FRAMEWORK)
            return True
        if role == "weight":
            keep(tok, "指标分值（评分规则）")
        elif role == "score":
            renew(tok, format_like(tok, ind.score), f"scorer:{ind.rule_id}", f"score:{ind.id}")
        elif ind.deduction == 0:
            mark(tok, f"本年“{ind.name}”得满分，未扣分", f"deduction:{ind.id}")
        else:
            renew(tok, format_like(tok, ind.deduction), f"scorer:{ind.rule_id} (weight − score)", f"deduction:{ind.id}")
        return True

    def _named(self, text: str) -> IndicatorScore | None:
        flat = squash(text)
        best: tuple[int, IndicatorScore] | None = None
        for name, ind in self.names:
            pos = flat.rfind(name)
            if pos >= 0 and (best is None or pos > best[0]):
                best = (pos, ind)
        return best[1] if best else None

    def _listed(self, k: int, tokens: list[Token], text: str, s0: int,
                lists: dict[int, tuple[list[str], int]]) -> list[str] | None:
        tok = tokens[k]
        prev = tokens[k - 1] if k else None
        if prev is not None and k - 1 in lists and prev.kind == tok.kind \
                and re.fullmatch(r"[、，,\s]*", text[prev.end:tok.start]):
            families, i = lists[k - 1]
            lists[k] = (families, i + 1)
        else:
            families = self.linker.list_families(text[s0:tok.start])
            if families is None:
                return None
            lists[k] = (families, 0)
        families, i = lists[k]
        return [f"{f}.{i + 1}" for f in families if f"{f}.{i + 1}" in self.vocab.quantities] or None

    def _governing_year(self, text: str, earlier: list[Token], s0: int) -> int | None:
        """The year the sentence speaks of at this point (not a year compared with: 比2020年)."""
        for tok in reversed(earlier):
            if tok.start < s0:
                return None
            if re.search(r"(比|较|相较于|与)\s*$", text[s0:tok.start]):
                continue
            if tok.kind == "year" and tok.value is not None:
                return int(tok.value)
            if tok.kind == "date" and tok.parts[0]:
                return tok.parts[0]
        return None

    def _print(self, tok: Token, qv: QValue) -> str:
        if isinstance(qv.value, Decimal):
            value = in_token_unit(qv, tok)
            assert value is not None
            comma = tok.comma or (tok.kind == "money" and abs(value) >= 1000 and self.comma and tok.value is not None
                                  and abs(tok.value) < 1000)
            digits = format_like(tok, value, comma=comma, at_most=4 if tok.kind == "money" else 2)
            prefix = self._text_between(tok, tok.start, tok.num_start).replace("-", "")
            return prefix + digits + self._text_between(tok, tok.num_end, tok.end)
        return tok.text  # pragma: no cover - dates are printed by _date

    @staticmethod
    def _text_between(tok: Token, a: int, b: int) -> str:
        return tok.text[a - tok.start:b - tok.start]

    def _near_reason(self, qid: str, tok: Token) -> str:
        label = self.vocab.quantities[qid].label
        old = self.linker.old_value(qid)
        new = self.new.get(qid)
        old_text = self._print(tok, old) if old else "—"
        new_text = f"；若指{label}，本年为 {self._print(tok, new)}" if new else ""
        return f"与上年数据中的{label}（{old_text}）不符{new_text}"

    def _claim_reason(self, says: str, cond: Condition, holds: bool | None) -> str:
        if holds is None:
            return f"数据文件无法确认“{says}”"
        if cond.quantity:
            q = self.vocab.quantities[cond.quantity]
            qv = self.new.get(cond.quantity)
            if qv is not None and isinstance(qv.value, Decimal):
                return f"本年{q.label}为 {_pct(qv.value)}，与“{says}”不符"
        if cond.indicator:
            ind = self.new.indicator_by_id(cond.indicator)
            if ind is not None:
                state = f"得满分（{_num(ind.score)} 分）" if ind.score == ind.weight else f"得 {_num(ind.score)} 分"
                return f"本年“{ind.name}”{state}，与“{says}”不符"
        return f"本年数据与“{says}”不符"

    def _change(self, tok: Token, word: str, bases: list[tuple[int, str]], renew, mark, note,  # type: ignore[no-untyped-def]
                relative: bool) -> None:
        base = next((q for pos, q in reversed(bases) if pos <= tok.start), None)
        if base is None:
            mark(tok, "未能确认与上年比较的是哪一项")
            return
        if self.prior is None:
            mark(tok, f"{self.year - 1} 年数据不在数据文件中，无法更新与上年的比较", f"change:{base}")
            return
        new, old = self.new.get(base), self.prior.get(base)
        if new is None or old is None or not isinstance(new.value, Decimal) or not isinstance(old.value, Decimal):
            mark(tok, "与上年比较所需数据不全", f"change:{base}")
            return
        unit = new.unit
        old_value = old.value
        if unit in ("元", "万元", "亿元") and old.unit in ("元", "万元", "亿元"):
            old_value = old.value * _factor(old.unit) / _factor(unit)
        diff = new.value - old_value
        source = f"derived: {base} {self.year} − {self.year - 1}"
        if tok.kind == "percent" and (relative or new.unit != "%"):
            if not old_value:
                mark(tok, "上年数值为零，无法计算增幅", f"change:{base}")
                return
            value = abs(diff) / abs(old_value) * 100
            source += " ÷ 上年"
        elif tok.kind in ("points", "percent") and new.unit == "%":
            value = abs(diff)
        elif tok.kind == "money" and new.unit in ("元", "万元", "亿元"):
            value = to_unit(abs(diff), unit, tok.unit)
        else:
            mark(tok, "未能确认与上年比较的数值", f"change:{base}")
            return
        digits = format_like(tok, value, comma=tok.comma or (self.comma and value >= 1000 and tok.kind == "money"))
        renew(tok, self._text_between(tok, tok.start, tok.num_start).replace("-", "") + digits
              + self._text_between(tok, tok.num_end, tok.end), source, f"change:{base}")
        up = bool(re.fullmatch(self.vocab.directions.up, word))
        if (diff == 0 or (diff > 0) != up) and not relative:
            now = "持平" if diff == 0 else ("增加/提高" if diff > 0 else "减少/下降")
            note(tok.end, f"方向已变：本年较上年为{now}，原文“{word}”不再成立", "direction", word)

    def _direction_word(self, tok: Token, qid: str, cue: str, note) -> None:  # type: ignore[no-untyped-def]
        spec = self.vocab.quantities[qid].direction
        if spec is None:
            return
        up, down = re.search(spec.up, cue), re.search(spec.down, cue)
        if not (up or down):
            return
        a, b = (self.new.get(p) for p in spec.diff)
        if a is None or b is None or not isinstance(a.value, Decimal) or not isinstance(b.value, Decimal):
            return
        av = a.value * _factor(a.unit)
        bv = b.value * _factor(b.unit)
        now_up = av > bv
        if av == bv or now_up != bool(up):
            word = (up or down).group(0)  # type: ignore[union-attr]
            now = spec.up.split("|")[0] if now_up else spec.down.split("|")[0]
            note(tok.end, f"方向已变：本年为{now if av != bv else '未调整'}，原文“{word}”不再成立", "direction", word)

    def _words(self, text: str, titles: list[tuple[int, int]], index: int, entry, edits: list[_Edit]) -> None:  # type: ignore[no-untyped-def]
        """The grade the scorer gives, and the unit's name where it changed."""
        for m in re.finditer(self.vocab.grade, text):
            if not self.scores_apply:
                e = entry(m.group("grade"), "marked", "〔待核〕", "grade", reason=OTHER_FRAMEWORK, at=m.start("grade"))
                edits.append(_Edit(m.end("grade"), m.end("grade"), _note(OTHER_FRAMEWORK), e))
                continue
            e = entry(m.group("grade"), "renewed", "scorer:grade", "grade", at=m.start("grade"))
            e.new = self.sheet.grade
            edits.append(_Edit(m.start("grade"), m.end("grade"), self.sheet.grade, e))
        old_unit, new_unit = self.doc.unit, self.figures.unit
        if old_unit and new_unit and old_unit != new_unit:
            for m in re.finditer(re.escape(old_unit), text):
                if _inside(m.start(), m.end(), titles):
                    continue
                e = entry(old_unit, "renewed", "figures:unit", "name")
                e.new = new_unit
                edits.append(_Edit(m.start(), m.end(), new_unit, e))


def _before_stop(text: str, end: int) -> int:
    return end - 1 if end and text[end - 1] in "。！？；" else end


def _format_date(text: str, y: int, m: int, d: int) -> str:
    match = DATE.search(text) or DOTTED_DATE.search(text)
    if match is None:  # pragma: no cover - only dates with a year are renewed
        return text
    out = text
    for group, value in (("d", d), ("m", m), ("y", y)):  # right to left keeps the offsets
        if match.group(group) is not None:
            out = out[:match.start(group)] + str(value) + out[match.end(group):]
    return out


def _factor(unit: str) -> Decimal:
    return {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}.get(unit, Decimal(1))


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}%"


# ---------------------------------------------------------------------- rendering


def _table(rows: list[str]) -> list[str]:
    split = [[c.replace("|", "\\|") for _, _, c in cells(r)] or [""] for r in rows]
    width = max(len(r) for r in split)
    lines = []
    for n, r in enumerate(split):
        lines.append("| " + " | ".join(r + [""] * (width - len(r))) + " |")
        if n == 0:
            lines.append("|" + "|".join(["---"] * width) + "|")
    return lines


def render_markdown(draft: CarriedDraft) -> str:
    return "\n".join([f"# {draft.title}", "", *_render(draft.paragraphs)]).rstrip() + "\n"


def _render(paragraphs: list[CarriedParagraph]) -> list[str]:
    lines: list[str] = []
    block: list[str] = []
    for p in paragraphs:
        if p.kind == "table_row":
            block.append(p.text)
            continue
        if block:
            lines += _table(block) + [""]
            block = []
        if p.kind == "heading":
            lines.append("#" * min(6, len(p.heading_path) + 1) + " " + p.text.strip())
        else:
            lines.append(p.text.strip())
        lines.append("")
    if block:
        lines += _table(block) + [""]
    return lines


def ledger_json(draft: CarriedDraft) -> dict[str, object]:
    """What `draft --from … --json` prints: the counts, and per section its text and every number with
    its old value, new value and source (or why it is marked)."""
    sections: dict[str, list[CarriedParagraph]] = {}
    for p in draft.paragraphs:
        sections.setdefault(p.heading_path[0] if p.heading_path else "（封面）", []).append(p)
    return {
        "title": draft.title, "from": draft.doc, "old_year": draft.old_year, "year": draft.year,
        "total": draft.total, "grade": draft.grade, "counts": draft.counts(), "notes": draft.notes,
        "sections": [{"name": name, "markdown": "\n".join(_render(ps)).strip() + "\n",
                      "numbers": [e.as_dict() for p in ps for e in p.entries]} for name, ps in sections.items()],
    }


def load_report(session: Session, key: str) -> Document:
    """A report by document ID ('004') or by path to a report file."""
    path = Path(key).expanduser()
    if path.suffix and path.is_file():
        return load_document(path, max_mb=session.settings.max_file_mb)
    return session.document(key)


def carry_report(session: Session, source: str, figures_path: Path,
                 previous_path: Path | None = None) -> tuple[CarriedDraft, ScoreSheet]:
    """Load, score and carry forward: what the command line and the app call."""
    figures = load_figures(figures_path)
    sheet = session.score(figures)
    prev_path = previous_path or figures.previous
    previous = load_figures(prev_path) if prev_path else None
    previous_sheet = session.score(previous) if previous else None
    doc = load_report(session, source)
    return carry_forward(doc, figures, sheet, previous=previous, previous_sheet=previous_sheet), sheet


def carry_forward(doc: Document, figures: Figures, sheet: ScoreSheet, *, previous: Figures | None = None,
                  previous_sheet: ScoreSheet | None = None, vocab: Vocab | None = None) -> CarriedDraft:
    """Last year's report `doc` with this year's numbers: see the module docstring."""
    return _Carrier(doc, figures, sheet, previous, previous_sheet, vocab or bundled_vocab()).run()
