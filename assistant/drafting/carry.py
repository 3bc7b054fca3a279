"""Carry last year's report forward: keep its sections and sentences, renew every number from this
year's figures and the scorer, and mark what cannot be renewed.

Every number of the old text ends in one of three states, each in the ledger:
- renewed: it states a quantity of the figures vocabulary (or a score, a year, a date) and now prints
  this year's value, with its source;
- kept: it is the same every year (a rule's threshold, an ordinal, an older document's number, a name);
- marked: it cannot be renewed, and is replaced by 〔待核：旧值 X，原因〕, never left silently stale.
Words that depend on the numbers are checked too: a direction (较上年增加) that no longer holds, a claim
(均按期完成) the figures contradict, last year's causes, and the problems (see problems.py).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.drafting.carried import CarriedDraft, CarriedParagraph, ParagraphEdits
from assistant.drafting.link import Linker, Miss, in_token_unit
from assistant.drafting.numbers import (
    DATE,
    DOTTED_DATE,
    MONEY_UNITS,
    Token,
    format_like,
    rounded,
    to_unit,
    tokenize,
)
from assistant.drafting.problems import ProblemsPlan, num, plan_problems
from assistant.drafting.quantities import QValue, Values
from assistant.drafting.scoring_table import ScoringTable, find_scoring_table, scored_with
from assistant.drafting.vocab import Condition, Vocab, bundled_vocab
from assistant.errors import JixiaoError
from assistant.figures import Figures, load_figures
from assistant.ingest import load_document
from assistant.ingest.model import Document, Paragraph
from assistant.ingest.patterns import squash
from assistant.scoring.sheet import IndicatorScore, ScoreSheet

if TYPE_CHECKING:
    from assistant.api import Session

OTHER_FRAMEWORK = "报告的评分指标与本年评分框架不同，请按本年评分表填写"
_UNIT_LINE = re.compile(r"单位\s*[：:]\s*(亿元|万元|元)")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


class CarryError(JixiaoError):
    """A report cannot be carried forward with these figures."""


def _pairs(text: str, pairs: list[str]) -> list[tuple[int, int]]:
    """Spans of paired marks (“…”, 《…》) in `text`."""
    out = []
    for pair in pairs:
        opener, closer = re.escape(pair[0]), re.escape(pair[1])
        inner = f"[^{opener}]" if pair[0] == pair[1] else f"[^{opener}{closer}]"
        out += [m.span() for m in re.finditer(f"{opener}{inner}*{closer}", text)]
    return out


def _inside(tok: Token, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((a, b) for a, b in spans if a <= tok.start and tok.end <= b), None)


def _before_stop(text: str, end: int) -> int:
    """Where a note about a sentence goes: before its 。 (or at its end)."""
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


def _in_yuan(qv: QValue) -> Decimal:
    assert isinstance(qv.value, Decimal)
    return qv.value * MONEY_UNITS.get(qv.unit, Decimal(1))


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
        self.old: Values | None = None  # the report's year: confirms what a number states
        self.prior: Values | None = None  # the year before the new one: 较上年
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
        self.scores_apply = scored_with(doc, sheet)
        if not self.scores_apply:
            self.notes.append(f"报告的评分指标与本年评分框架（{sheet.framework_name}）不同：得分、等级与问题均标记待核")
        self.table: ScoringTable = find_scoring_table(doc, vocab.total_cells)
        self.problems = plan_problems(doc, vocab, self.new, figures) if self.scores_apply else ProblemsPlan()

    def run(self) -> CarriedDraft:
        out: list[CarriedParagraph] = []
        table_unit: str | None = None
        title_key = squash(self.doc.title)
        for i, p in enumerate(self.doc.paragraphs):
            if squash(p.text) == title_key and not p.heading_path:
                continue  # the title is the draft's own
            if p.kind == "heading":
                table_unit = None
            declared = _UNIT_LINE.search(p.text)
            if declared:
                table_unit = declared.group(1)
            out.append(_Paragraph(self, i, p, table_unit if p.kind == "table_row" else None).carry())
            out += self.problems.added.get(i, [])
        title = re.sub(r"(?<!\d)(?:19|20)\d{2}(?!\d)", lambda m: self.shifted_year(m.group(0)),
                       self.doc.title)
        return CarriedDraft(doc=self.doc.id, title=title, old_year=self.old_year, year=self.year,
                            total=self.sheet.total, grade=self.sheet.grade, paragraphs=out, notes=self.notes)

    def near_year(self, year: int) -> bool:
        """A year that moves with the report: the year before it up to two after (budgets, plans)."""
        return self.old_year - 1 <= year <= self.old_year + 2

    def shifted_year(self, text: str) -> str:
        return str(int(text) + self.shift) if self.near_year(int(text)) else text

    def _comma_style(self) -> bool:
        """Whether the report writes amounts of a thousand or more with thousands separators."""
        votes: Counter[bool] = Counter()
        for p in self.doc.paragraphs:
            for tok in tokenize(p.text):
                if tok.kind == "money" and tok.value is not None and abs(tok.value) >= 1000:
                    votes[tok.comma] += 1
        return votes[True] >= votes[False]

    def indicator_named(self, text: str) -> IndicatorScore | None:
        """The indicator named last in `text`."""
        flat = squash(text)
        best: tuple[int, IndicatorScore] | None = None
        for name, ind in self.names:
            pos = flat.rfind(name)
            if pos >= 0 and (best is None or pos > best[0]):
                best = (pos, ind)
        return best[1] if best else None

    def printed(self, tok: Token, qv: QValue) -> str:
        """A quantity's value printed as `tok` was: same unit, spacing and separators."""
        value = in_token_unit(qv, tok)
        assert value is not None
        # an amount that now has a thousand or more takes the report's separators (888.3 → 1,200.25)
        comma = tok.comma or (tok.kind == "money" and abs(value) >= 1000 and self.comma
                              and tok.value is not None and abs(tok.value) < 1000)
        at_most = 4 if tok.kind == "money" else 2
        return self.digits_in(tok, format_like(tok, value, comma=comma, at_most=at_most))

    @staticmethod
    def digits_in(tok: Token, digits: str) -> str:
        """`tok` with its digits replaced (unit and spacing kept; a sign goes with the digits)."""
        prefix = tok.text[:tok.num_start - tok.start].replace("-", "")
        return prefix + digits + tok.text[tok.num_end - tok.start:]

    def near_reason(self, qid: str, tok: Token) -> str:
        label = self.vocab.quantities[qid].label
        old, new = self.linker.old_value(qid), self.new.get(qid)
        old_text = self.printed(tok, old) if old else "—"
        new_text = f"；若指{label}，本年为 {self.printed(tok, new)}" if new else ""
        return f"与上年数据中的{label}（{old_text}）不符{new_text}"

    def claim_reason(self, says: str, cond: Condition, holds: bool | None) -> str:
        if holds is None:
            return f"数据文件无法确认“{says}”"
        if cond.quantity:
            qv = self.new.get(cond.quantity)
            if qv is not None and isinstance(qv.value, Decimal):
                pct = f"{rounded(qv.value, 2).normalize():f}%"
                return f"本年{self.vocab.quantities[cond.quantity].label}为 {pct}，与“{says}”不符"
        if cond.indicator:
            ind = self.new.indicator_by_id(cond.indicator)
            if ind is not None:
                state = f"得满分（{num(ind.score)} 分）" if ind.score == ind.weight else f"得 {num(ind.score)} 分"
                return f"本年“{ind.name}”{state}，与“{says}”不符"
        return f"本年数据与“{says}”不符"


class _Paragraph:
    """One paragraph of the old report, carried: each of its numbers decided in turn."""

    def __init__(self, c: _Carrier, index: int, p: Paragraph, table_unit: str | None) -> None:
        self.c, self.index, self.p = c, index, p
        self.text = p.text
        self.edits = ParagraphEdits(p.kind, p.heading_path, p.line, p.text)
        self.tokens = tokenize(p.text, table_unit, (c.old_year - 5, c.old_year + 5))
        self.quotes = _pairs(p.text, c.vocab.quotes)
        self.titles = _pairs(p.text, c.vocab.titles)
        self.constants = [(m.start(), m.end(), k.why) for k in c.vocab.constants
                          for m in re.finditer(k.pattern, p.text)]
        self.in_table = index in c.table.region
        self.causes: dict[int, int] = {}  # sentence → where last year's cause begins
        for n, (s0, s1) in enumerate(self.edits.spans):
            m = None if self.in_table else re.search(c.vocab.causes, p.text[s0:s1])
            if m:
                self.causes[n] = s0 + m.start()
        self.bases: list[tuple[int, str]] = []  # quantities linked so far, for a change against last year
        self.shifted_titles: list[tuple[int, int]] = []
        self.lists: dict[int, tuple[list[str], int]] = {}  # token → (families, item number) of a list
        self.families: dict[int, str] = {}  # token → the family its list item was linked to
        self.repeated = Counter((t.kind, t.value) for t in self.tokens
                                if t.kind in ("money", "bare", "percent"))
        self.last_change: Token | None = None

    def carry(self) -> CarriedParagraph:
        for k, tok in enumerate(self.tokens):
            self.number(k, tok)
        self.words()
        return self.edits.apply()

    # ---------------------------------------------------------------- numbers

    def number(self, k: int, tok: Token) -> None:
        e, text = self.edits, self.text
        s_idx = e.sentence_of(tok.start)
        s0, s1 = e.spans[s_idx]
        in_cause = s_idx in self.causes and tok.start >= self.causes[s_idx]
        constant = next((why for a, b, why in self.constants if a <= tok.start and tok.end <= b), None)
        prev_char = text[tok.start - 1] if tok.start else ""
        next_char = text[tok.end] if tok.end < len(text) else ""
        title = _inside(tok, self.titles)
        if tok.kind == "url":
            e.mark(tok.start, tok.end, tok.kind, "网址为上年公开页面，请填写本年网址")
        elif tok.kind == "phone":
            e.keep(tok.start, tok.end, tok.kind, "联系电话")
        elif tok.kind == "docno":
            after_shifted_title = any(0 <= tok.start - b <= 3 for _, b in self.shifted_titles)
            if after_shifted_title or tok.parts[0] >= self.c.old_year:
                e.mark(tok.start, tok.end, tok.kind, "文号为上年文件，请填写本年文号")
            else:
                e.keep(tok.start, tok.end, tok.kind, "所引文件的文号")
        elif _inside(tok, self.quotes):
            e.keep(tok.start, tok.end, tok.kind, "名称中的数字")
        elif title is not None:
            self.title_number(tok, title)
        elif self.in_table:
            self.scoring_table_number(tok)
        elif constant is not None:
            e.keep(tok.start, tok.end, tok.kind, constant)
        elif _ASCII_LETTER.match(prev_char) or (_ASCII_LETTER.match(next_char) and tok.kind == "bare"):
            e.keep(tok.start, tok.end, tok.kind, "名称中的数字")
        elif tok.kind == "date":
            self.date(tok, text[tok.end:s1], in_cause)
        elif tok.kind in ("year", "years"):
            self.year(tok, in_cause)
        else:
            self.amount(k, tok, s0, s1)

    def title_number(self, tok: Token, title: tuple[int, int]) -> None:
        """A number in a cited title: an annual document's year moves with the year; the rest stays."""
        dated = re.search(r"\d\s*月\s*\d{1,2}\s*日", self.text[title[0]:title[1]])
        in_parens = re.search(r"[（(][^）)]*$", self.text[title[0]:tok.start])
        if tok.kind in ("year", "years") and not dated and not in_parens:
            years = tok.parts if tok.kind == "years" else (int(tok.value or 0),)
            if all(self.c.near_year(y) for y in years):
                self.edits.renew(tok.start, tok.end, self.shifted(tok), "year", tok.kind, reason="所引文件名按年度顺延")
                self.shifted_titles.append(title)
                return
        self.edits.keep(tok.start, tok.end, tok.kind, "所引文件名")

    def shifted(self, tok: Token) -> str:
        return re.sub(r"(?:19|20)\d{2}", lambda m: str(int(m.group(0)) + self.c.shift), tok.text)

    def year(self, tok: Token, in_cause: bool) -> None:
        years = tok.parts if tok.kind == "years" else (int(tok.value or 0),)
        if in_cause:
            self.edits.mark(tok.start, tok.end, tok.kind, "原因说明中的年份，未顺延")
        elif all(self.c.near_year(y) for y in years):
            self.edits.renew(tok.start, tok.end, self.shifted(tok), "year", tok.kind)
        else:
            self.edits.mark(tok.start, tok.end, tok.kind, f"年份不在报告年度（{self.c.old_year}）前后，未顺延")

    def date(self, tok: Token, after: str, in_cause: bool) -> None:
        y, m, d = tok.parts
        e = self.edits
        if in_cause or not y:
            e.mark(tok.start, tok.end, tok.kind, "具体日期为上年情况")
            return
        for qid in ("disclosure.budget_date", "disclosure.final_accounts_date"):
            q = self.c.vocab.quantities.get(qid)
            if q and q.after and d and re.search(q.after, after):
                qv = self.c.new.get(qid)
                if qv is None or isinstance(qv.value, Decimal):
                    e.mark(tok.start, tok.end, tok.kind, f"本年数据文件未给出{q.label}", qid)
                else:
                    date = qv.value
                    new = _format_date(tok.text, date.year, date.month, date.day)
                    e.renew(tok.start, tok.end, new, qv.source, tok.kind, qid)
                return
        if (m, d) in ((12, 31), (1, 1)) and self.c.near_year(y):
            e.renew(tok.start, tok.end, _format_date(tok.text, y + self.c.shift, m, d), "year", tok.kind,
                    reason="年初或年末日期")
        else:
            e.mark(tok.start, tok.end, tok.kind, "具体日期为上年情况")

    def scoring_table_number(self, tok: Token) -> None:
        """In the scoring table only the score cells change; weights and rule texts are the framework's."""
        e, c = self.edits, self.c
        cell = c.table.score_cells.get(self.index)
        if not (cell and cell[0] <= tok.start and tok.end <= cell[1]):
            e.keep(tok.start, tok.end, tok.kind, "评分表原文（框架的分值与评分标准）")
        elif not c.scores_apply:
            e.mark(tok.start, tok.end, "score", OTHER_FRAMEWORK)
        elif not cell[2]:
            e.renew(tok.start, tok.end, c.digits_in(tok, format_like(tok, c.sheet.total)), "scorer:total", "score",
                    "score.total")
        elif (ind := c.new.indicator(cell[2])) is None:
            e.mark(tok.start, tok.end, "score", f"本年评分框架中无“{cell[2]}”")
        else:
            e.renew(tok.start, tok.end, c.digits_in(tok, format_like(tok, ind.score)), f"scorer:{ind.rule_id}",
                    "score", f"score:{ind.id}", trace=ind.trace)

    def amount(self, k: int, tok: Token, s0: int, s1: int) -> None:
        """A number: a change against last year, a score on an indicator, an item of a list, or a quantity."""
        e, c, text = self.edits, self.c, self.text
        before, after = text[s0:tok.start], text[tok.end:s1]
        directions = c.vocab.directions
        growth = self.last_change is not None and re.search(directions.growth,
                                                             text[self.last_change.end:tok.start])
        change = re.search(directions.change, before)
        if change or growth:
            word = (change or growth).group("word")  # type: ignore[union-attr]
            self.change(tok, word, relative=bool(growth and not change))
            self.last_change = tok
            return
        listed = self.listed(k, s0)
        if self.indicator_number(tok, before):
            return
        prefer = self.families.get(k - 1) if listed else None
        found = c.linker.link(tok, before, after, e.where, listed, by_value=self.p.kind == "table_row",
                              prefer=prefer)
        if isinstance(found, Miss):
            reason = c.near_reason(found.near, tok) if found.near else found.reason
            e.mark(tok.start, tok.end, tok.kind, reason, found.near)
            return
        if self.p.kind == "table_row" and self.repeated[(tok.kind, tok.value)] > 1:
            e.mark(tok.start, tok.end, tok.kind, "同一行中有相同的数值，无法确定各自所指")
            return
        governing = self.governing_year(k, s0)
        if governing is not None and governing != c.old_year:
            e.mark(tok.start, tok.end, tok.kind, f"原文所述为 {governing} 年（非报告年度）的数值", found.quantity)
            return
        if found.quantity == "score.total" and not c.scores_apply:
            e.mark(tok.start, tok.end, tok.kind, OTHER_FRAMEWORK, found.quantity)
            return
        qv = c.new.get(found.quantity)
        if qv is None:
            e.mark(tok.start, tok.end, tok.kind, f"本年数据文件未给出{c.vocab.quantities[found.quantity].label}",
                   found.quantity)
            return
        e.renew(tok.start, tok.end, c.printed(tok, qv), qv.source, tok.kind, found.quantity,
                reason=f"linked by {found.how}")
        self.bases.append((tok.end, found.quantity))
        self.families[k] = found.quantity.rsplit(".", 1)[0]
        self.direction_word(tok, found.quantity, found.cue)

    def indicator_number(self, tok: Token, before: str) -> bool:
        """'此项需扣1分' with the indicator named before it: a weight stays, a score or deduction is the
        scorer's (a deduction for an indicator now at full marks is marked)."""
        if tok.kind != "score":
            return False
        c, e = self.c, self.edits
        spec = c.vocab.indicator_numbers
        roles = (("weight", spec.weight), ("deduction", spec.deduction), ("score", spec.score))
        role = next((r for r, pattern in roles if re.search(f"(?:{pattern}){c.vocab.filler}$", before)), None)
        ind = c.indicator_named(before) or c.indicator_named("".join(self.p.heading_path[-1:]))
        if role is None or ind is None:
            return False
        if not c.scores_apply:
            e.mark(tok.start, tok.end, tok.kind, OTHER_FRAMEWORK)
        elif role == "weight":
            e.keep(tok.start, tok.end, tok.kind, "指标分值（评分规则）")
        elif role == "score":
            e.renew(tok.start, tok.end, c.digits_in(tok, format_like(tok, ind.score)),
                    f"scorer:{ind.rule_id}", tok.kind, f"score:{ind.id}", trace=ind.trace)
        elif ind.deduction == 0:
            e.mark(tok.start, tok.end, tok.kind, f"本年“{ind.name}”得满分，未扣分", f"deduction:{ind.id}")
        else:
            e.renew(tok.start, tok.end, c.digits_in(tok, format_like(tok, ind.deduction)),
                    f"scorer:{ind.rule_id} (weight − score)", tok.kind, f"deduction:{ind.id}", trace=ind.trace)
        return True

    def listed(self, k: int, s0: int) -> list[str] | None:
        """The quantities a list item may state: 分别为 24.48%、55.25%、… (item i of each family)."""
        tok = self.tokens[k]
        prev = self.tokens[k - 1] if k else None
        if prev is not None and k - 1 in self.lists and prev.kind == tok.kind \
                and re.fullmatch(r"[、，,\s]*", self.text[prev.end:tok.start]):
            families, i = self.lists[k - 1]
            self.lists[k] = (families, i + 1)
        else:
            found = self.c.linker.list_families(self.text[s0:tok.start])
            if found is None:
                return None
            self.lists[k] = (found, 0)
        families, i = self.lists[k]
        return [f"{f}.{i + 1}" for f in families if f"{f}.{i + 1}" in self.c.vocab.quantities] or None

    def governing_year(self, k: int, s0: int) -> int | None:
        """The year the sentence speaks of at this point (not a year compared with: 比2020年)."""
        for tok in reversed(self.tokens[:k]):
            if tok.start < s0:
                return None
            if re.search(self.c.vocab.compared, self.text[s0:tok.start]):
                continue
            if tok.kind == "year" and tok.value is not None:
                return int(tok.value)
            if tok.kind == "date" and tok.parts[0]:
                return tok.parts[0]
        return None

    def change(self, tok: Token, word: str, relative: bool) -> None:
        """较上年增加 X（增长 Y%）: this year's value of the quantity before it against last year's."""
        c, e = self.c, self.edits
        base = next((q for pos, q in reversed(self.bases) if pos <= tok.start), None)
        if base is None:
            e.mark(tok.start, tok.end, tok.kind, "未能确认与上年比较的是哪一项")
            return
        if c.prior is None:
            e.mark(tok.start, tok.end, tok.kind, f"{c.year - 1} 年数据不在数据文件中，无法更新与上年的比较", f"change:{base}")
            return
        new, old = c.new.get(base), c.prior.get(base)
        if not (new and old and isinstance(new.value, Decimal) and isinstance(old.value, Decimal)):
            e.mark(tok.start, tok.end, tok.kind, "与上年比较所需数据不全", f"change:{base}")
            return
        money = new.unit in MONEY_UNITS
        old_value = to_unit(old.value, old.unit, new.unit) if money else old.value
        diff = new.value - old_value
        source = f"derived: {base} {c.year} − {c.year - 1}"
        if tok.kind == "percent" and (relative or new.unit != "%"):
            if not old_value:
                e.mark(tok.start, tok.end, tok.kind, "上年数值为零，无法计算增幅", f"change:{base}")
                return
            value, source = abs(diff) / abs(old_value) * 100, source + " ÷ 上年"
        elif tok.kind in ("points", "percent") and new.unit == "%":
            value = abs(diff)
        elif tok.kind == "money" and money:
            value = to_unit(abs(diff), new.unit, tok.unit)
        else:
            e.mark(tok.start, tok.end, tok.kind, "未能确认与上年比较的数值", f"change:{base}")
            return
        comma = tok.comma or (c.comma and value >= 1000 and tok.kind == "money")
        e.renew(tok.start, tok.end, c.digits_in(tok, format_like(tok, value, comma=comma)), source, tok.kind,
                f"change:{base}")
        up = bool(re.fullmatch(c.vocab.directions.up, word))
        if (diff == 0 or (diff > 0) != up) and not relative:
            now = "持平" if diff == 0 else ("增加/提高" if diff > 0 else "减少/下降")
            e.note(tok.end, f"方向已变：本年较上年为{now}，原文“{word}”不再成立", "direction", word)

    def direction_word(self, tok: Token, qid: str, cue: str) -> None:
        """共调减 888.3 万元: the direction the cue states against the one this year's figures give."""
        spec = self.c.vocab.quantities[qid].direction
        if spec is None:
            return
        up, down = re.search(spec.up, cue), re.search(spec.down, cue)
        a, b = (self.c.new.get(p) for p in spec.diff)
        if not (up or down) or a is None or b is None:
            return
        av, bv = _in_yuan(a), _in_yuan(b)
        if av == bv or (av > bv) != bool(up):
            word = (up or down).group(0)  # type: ignore[union-attr]
            now = "未调整" if av == bv else (spec.up if av > bv else spec.down).split("|")[0]
            self.edits.note(tok.end, f"方向已变：本年为{now}，原文“{word}”不再成立", "direction", word)

    # ---------------------------------------------------------------- words

    def words(self) -> None:
        """Claims, causes and problems; the grade; the unit's name where it changed."""
        c, e, text = self.c, self.edits, self.text
        checks_claims = not self.in_table and self.index not in c.problems.marks
        for n, (s0, s1) in enumerate(e.spans):
            for claim in c.vocab.claims if checks_claims else []:
                for m in re.finditer(claim.pattern, text[s0:s1]):
                    cond = claim.holds
                    holds = c.new.holds(cond)
                    if holds:
                        e.verified(s0 + m.end(), m.group(0), cond.quantity or cond.field
                                   or f"{cond.indicator} full={cond.full}")
                    else:
                        e.note(s0 + m.end(), c.claim_reason(claim.says, cond, holds), "claim", m.group(0))
            if n in self.causes:
                e.note(_before_stop(text, s1), f"原因说明为 {c.old_year} 年情况，请按本年情况改写", "cause",
                       text[self.causes[n]:s1])
        if self.index in c.problems.marks:
            s0, s1 = e.spans[0]
            e.note(_before_stop(text, s1), c.problems.marks[self.index], "problem", text[s0:s1])
        for m in re.finditer(c.vocab.grade, text):
            if c.scores_apply:
                e.renew(m.start("grade"), m.end("grade"), c.sheet.grade, "scorer:grade", "grade")
            else:
                e.note(m.end("grade"), OTHER_FRAMEWORK, "grade", m.group("grade"))
        old_unit, new_unit = c.doc.unit, c.figures.unit
        if old_unit and new_unit and old_unit != new_unit:
            for m in re.finditer(re.escape(old_unit), text):
                if not any(a <= m.start() and m.end() <= b for a, b in self.titles):
                    e.renew(m.start(), m.end(), new_unit, "figures:unit", "name")


def carry_forward(doc: Document, figures: Figures, sheet: ScoreSheet, *, previous: Figures | None = None,
                  previous_sheet: ScoreSheet | None = None, vocab: Vocab | None = None) -> CarriedDraft:
    """Last year's report `doc` with this year's numbers (see the module docstring). `previous` is the
    report year's figures: it confirms what each old number states, and gives 较上年 when it is the
    year before `figures`."""
    return _Carrier(doc, figures, sheet, previous, previous_sheet, vocab or bundled_vocab()).run()


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
