"""The Indicators pane: every indicator record of the reports, sortable and filterable; Enter asks why."""

from __future__ import annotations

from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Input, Select

from assistant.ingest import Document, IndicatorRecord
from assistant.qa.scope import doc_place

COLUMNS = ("报告", "指标", "分值", "得分", "扣分", "页", "来源", "原因")


class IndicatorsPane(Vertical):
    class AskWhy(Message):
        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.documents: list[Document] = []
        self.rows: list[IndicatorRecord] = []
        self._sort: tuple[int, bool] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="ind-filters"):
            yield Select([], prompt="全部报告", id="ind-doc")
            yield Input(placeholder="筛选指标名称或原因", id="ind-filter")
            yield Checkbox("只看扣分", id="ind-deductions")
        yield DataTable(id="ind-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)

    def set_documents(self, documents: list[Document]) -> None:
        self.documents = documents
        self.query_one("#ind-doc", Select).set_options([(f"{d.title}（{d.id[:3]}）", d.id) for d in documents])
        self.refresh_rows()

    @on(Input.Changed, "#ind-filter")
    @on(Checkbox.Changed, "#ind-deductions")
    @on(Select.Changed, "#ind-doc")
    def refresh_rows(self) -> None:
        text = self.query_one("#ind-filter", Input).value.strip()
        only_lost = self.query_one("#ind-deductions", Checkbox).value
        doc = self.query_one("#ind-doc", Select).value
        rows = [r for d in self.documents for r in d.records if r.score is not None and not r.subtotal]
        if isinstance(doc, str):
            rows = [r for r in rows if r.doc == doc]
        if only_lost:
            rows = [r for r in rows if r.deduction]
        if text:
            rows = [r for r in rows if text in " ".join(r.levels) or text in (r.reason or "")]
        if self._sort is not None:
            col, reverse = self._sort
            rows.sort(key=lambda r: self._key(r, col), reverse=reverse)
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(r.doc[:3], " > ".join(r.levels), _n(r.weight), _n(r.score), _n(r.deduction),
                          str(r.page or ""), "表" if r.source == "table" else "正文", (r.reason or "")[:40])

    @staticmethod
    def _key(r: IndicatorRecord, col: int):  # type: ignore[no-untyped-def]
        values = (r.doc, " > ".join(r.levels), r.weight, r.score, r.deduction, r.page, r.source, r.reason or "")
        v = values[col]
        return (v is None, v if v is not None else Decimal(0))

    @on(DataTable.HeaderSelected)
    def sort(self, event: DataTable.HeaderSelected) -> None:
        col = event.column_index
        reverse = bool(self._sort and self._sort[0] == col and not self._sort[1])
        self._sort = (col, reverse)
        self.refresh_rows()

    @on(DataTable.RowSelected)
    def ask_why(self, event: DataTable.RowSelected) -> None:
        r = self.rows[event.cursor_row]
        doc = next(d for d in self.documents if d.id == r.doc)
        where = f"{doc_place(doc) or ''}{doc.year or ''}年"
        verb = f"为什么扣了{_n(r.deduction)}分" if r.deduction else "得分多少"
        self.post_message(self.AskWhy(f"{where}{r.name}{verb}"))


def _n(v: Decimal | None) -> str:
    return "" if v is None else f"{v.normalize():f}"
