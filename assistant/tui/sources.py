"""The Sources pane: a document with its heading tree, page numbers and search; citations open here."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Select, Static, Tree

from assistant.ingest import Document
from assistant.ingest.model import Section
from assistant.ingest.patterns import squash


class SourcesPane(Horizontal):
    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.documents: list[Document] = []
        self.current: Document | None = None

    def compose(self) -> ComposeResult:
        yield Tree("报告", id="doc-tree")
        with Vertical(id="doc-view-wrap"):
            yield Select([], prompt="选择报告", id="doc-select")
            yield Input(placeholder="在本文中搜索（回车跳到下一处）", id="doc-search")
            yield VerticalScroll(id="doc-view")

    def set_documents(self, documents: list[Document]) -> None:
        self.documents = documents
        self.query_one("#doc-select", Select).set_options([(f"{d.title}（{d.id[:3]}）", d.id) for d in documents])

    @on(Select.Changed, "#doc-select")
    def selected(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and (self.current is None or self.current.id != event.value):
            self.open_document(event.value)

    def open_document(self, doc_id: str, quote: str | None = None) -> None:
        doc = next(d for d in self.documents if d.id == doc_id)
        if self.current is None or self.current.id != doc.id:
            self.current = doc
            self._render_document(doc)
            select = self.query_one("#doc-select", Select)
            if select.value != doc.id:
                with self.prevent(Select.Changed):
                    select.value = doc.id
        if quote:
            self.highlight(quote)

    def _render_document(self, doc: Document) -> None:
        tree = self.query_one("#doc-tree", Tree)
        tree.clear()
        tree.root.set_label(doc.title)

        def add(node, sections: list[Section]) -> None:  # type: ignore[no-untyped-def]
            for s in sections:
                label = s.title + (f"  第{s.page}页" if s.page else "")
                child = node.add(label, data=s.line, expand=s.level <= 1) if s.children else node.add_leaf(label, data=s.line)
                add(child, s.children)

        add(tree.root, doc.sections)
        tree.root.expand()
        view = self.query_one("#doc-view", VerticalScroll)
        view.remove_children()
        widgets = []
        for p in doc.paragraphs:
            page = f"〔第{p.page}页〕" if p.page else ""
            cls = {"heading": "para-heading", "table_row": "para table-row"}.get(p.kind, "para")
            w = Static(f"{page}{p.text}", classes=cls, markup=False)
            w.line_no = p.line  # type: ignore[attr-defined]
            w.squashed = squash(p.text)  # type: ignore[attr-defined]
            widgets.append(w)
        view.mount_all(widgets)

    def _paragraphs(self) -> list[Static]:
        return list(self.query_one("#doc-view", VerticalScroll).query(Static))

    def highlight(self, quote: str) -> Static | None:
        key = squash(quote)[:50]
        target = None
        for w in self._paragraphs():
            w.remove_class("-hit")
            if target is None and key and key in w.squashed:  # type: ignore[attr-defined]
                target = w
        if target is not None:
            target.add_class("-hit")
            self.call_after_refresh(self.query_one("#doc-view", VerticalScroll).scroll_to_widget, target, top=True)
        return target

    @on(Tree.NodeSelected, "#doc-tree")
    def jump(self, event: Tree.NodeSelected) -> None:
        line = event.node.data
        if line is None:
            return
        for w in self._paragraphs():
            if w.line_no >= line:  # type: ignore[attr-defined]
                self.query_one("#doc-view", VerticalScroll).scroll_to_widget(w, top=True)
                break

    @on(Input.Submitted, "#doc-search")
    def search(self, event: Input.Submitted) -> None:
        needle = squash(event.value)
        if not needle:
            return
        paras = self._paragraphs()
        start = next((i for i, w in enumerate(paras) if w.has_class("-hit")), -1) + 1
        for w in paras[start:] + paras[:start]:
            if needle in w.squashed:  # type: ignore[attr-defined]
                self.highlight(w.squashed)  # type: ignore[attr-defined]
                return
        self.notify(f"本文中没有「{event.value}」", severity="warning")
