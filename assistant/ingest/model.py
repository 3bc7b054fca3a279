"""The document model: what ingestion produces from one report file.

Numbers are `Decimal` from parse to print. Every piece of text keeps where it came from
(`SourceRef`: document, page, heading path, verbatim quote).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

DocKind = Literal["项目支出绩效评价", "部门整体支出绩效评价", "专项资金绩效评价", "政策绩效评价", "部门预算", "部门决算",
                  "other"]
Evaluation = Literal["自评", "第三方评价"]


class SourceRef(BaseModel):
    """Provenance of a fact: the quote is verbatim (whitespace-normalised) in the document."""

    doc: str
    page: int | None = None
    heading_path: list[str] = Field(default_factory=list)
    quote: str = ""
    line: int | None = None  # 1-based line in the source file where the quote starts


class Paragraph(BaseModel):
    """A paragraph re-joined across broken lines and page breaks."""

    id: str
    text: str
    page: int | None
    heading_path: list[str]
    line: int
    kind: Literal["text", "table_row", "heading"] = "text"


class Section(BaseModel):
    """A node of the heading tree."""

    title: str
    level: int
    page: int | None
    line: int
    children: list[Section] = Field(default_factory=list)


class Figure(BaseModel):
    """A money amount, rate or count as printed, with its unit kept."""

    value: Decimal
    unit: str  # 元 / 万元 / 亿元 / % / 人 / 个 / 家 ...
    raw: str
    label: str  # the words just before the number, to say what it measures
    paragraph_id: str
    page: int | None

    def in_yuan(self) -> Decimal | None:
        factor = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}.get(self.unit)
        return None if factor is None else self.value * factor


class IndicatorRecord(BaseModel):
    """One indicator of a scoring table (or a narrative sentence stating 分值 and 得分).

    weight = 分值/权重, score = 得分, deduction = 扣分 (weight − score, computed, never typed).
    """

    id: str
    doc: str
    table: str  # caption of the table, or the heading of the narrative paragraph
    levels: list[str]  # 一级 … 四级 names, top first (without their codes)
    code: str | None = None  # the printed indicator code ('A101'), where the table has codes
    aliases: list[str] = Field(default_factory=list)  # other names the report gives it (a summary table's)
    confirmed_by: list[SourceRef] = Field(default_factory=list)  # summary-table rows stating the same scores
    also_stated: list[SourceRef] = Field(default_factory=list)  # narrative sentences on the same indicator
    commentary: str | None = None  # a paragraph on it by name ('A302资金分配合理性：…'), verbatim
    weight: Decimal | None = None
    score: Decimal | None = None
    reason: str | None = None  # 扣分原因 / 评分说明 in the report's words
    rule: str | None = None  # the scoring rule text the table states
    explanation: str | None = None  # 指标解释 / 指标说明
    page: int | None = None
    line: int | None = None
    source: Literal["table", "narrative"] = "table"
    linked_to: str | None = None  # narrative record → table record of the same indicator
    linked_by: Literal["name", "level", "numbers"] | None = None  # 'numbers': same scores, another name
    subtotal: bool = False  # a 小计/合计 row, not a leaf indicator
    quote: str = ""  # verbatim text the numbers were read from

    @property
    def name(self) -> str:
        return self.levels[-1] if self.levels else ""

    @property
    def deduction(self) -> Decimal | None:
        if self.weight is None or self.score is None:
            return None
        return self.weight - self.score


class TargetRow(BaseModel):
    """A row of a performance-target table (绩效目标表): the indicator, its target and, where the
    table has one, the actual value, as printed."""

    doc: str
    table: str
    levels: list[str]
    target: str  # 指标值 / 目标值 / 预期指标值, as printed ("≥ 60 个")
    actual: str | None = None  # 实际完成值
    page: int | None = None
    line: int | None = None
    quote: str = ""


class TableCheck(BaseModel):
    """Result of the on-ingest arithmetic check of one scoring table (never 'fixes' numbers)."""

    table: str
    kind: Literal["total", "subtotal", "weight"]
    group: str  # level-1 name for subtotals, "合计" for the total
    stated: Decimal | None
    computed: Decimal
    ok: bool
    page: int | None = None


class Document(BaseModel):
    id: str  # the file name: the stable document ID
    path: str
    title: str
    subject: str | None = None  # the project or fund evaluated (项目名称), where the report names one
    unit: str | None = None
    year: str | None = None  # "2021" or "2018-2020"
    kind: DocKind = "other"
    evaluation: Evaluation | None = None  # who evaluated: the unit itself, or a third party (evaluations only)
    evaluator: str | None = None  # the evaluating firm or body, where printed
    total_score: Decimal | None = None
    grade: str | None = None
    content_hash: str
    # Where page numbers come from: printed marks/form feeds, the table of contents (the page a
    # section starts on), or nowhere (pages stay None rather than guessed).
    page_source: Literal["marks", "toc", "none"] = "none"
    sections: list[Section] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    records: list[IndicatorRecord] = Field(default_factory=list)
    targets: list[TargetRow] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    checks: list[TableCheck] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # Rows of scoring tables that failed their sum checks (kept out of `records`), with those checks:
    # doubtful inputs the consistency checker may use only to localise, never to accuse.
    doubtful_records: list[IndicatorRecord] = Field(default_factory=list)
    doubtful_checks: list[TableCheck] = Field(default_factory=list)

    def indicators(self) -> list[IndicatorRecord]:
        """One record per indicator (table rows carrying their narrative statements), for listings."""
        from assistant.ingest.narrative import merged

        return merged(self.records)

    @property
    def header(self) -> str:
        """Who, when and what: the words that tell this report from the others."""
        parts = [self.unit or "", f"{self.year}年" if self.year else "", self.subject or "", self.title]
        return " ".join(p for p in parts if p)

    def summary(self) -> dict[str, object]:
        return {
            "doc": self.id,
            "title": self.title,
            "unit": self.unit,
            "year": self.year,
            "kind": self.kind,
            "evaluation": self.evaluation,
            "evaluator": self.evaluator,
            "total_score": self.total_score,
            "grade": self.grade,
        }
