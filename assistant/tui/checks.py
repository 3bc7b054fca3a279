"""The Check pane: where the reports contradict themselves, grouped by report, most severe first; each
piece of evidence is a button that opens the report at that quote."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Collapsible, Static

from assistant.check import Evidence, Finding, check_corpus
from assistant.ingest import Document

LABEL = {"high": "高", "medium": "中", "low": "低"}
COLOUR = {"high": "red", "medium": "yellow", "low": "dim"}


class EvidenceButton(Button):
    def __init__(self, doc: str, evidence: Evidence) -> None:
        where = f"第 {evidence.page} 页 " if evidence.page else f"第 {evidence.line} 行 " if evidence.line else ""
        quote = evidence.quote if len(evidence.quote) <= 80 else evidence.quote[:80] + "…"
        super().__init__(f"{where}「{quote}」", classes="check-evidence")
        self.doc = evidence.doc or doc
        self.evidence = evidence


class CheckPane(Vertical):
    def compose(self) -> ComposeResult:
        yield Button("检查全部报告", id="check-run", variant="primary")
        with VerticalScroll(id="check-view"):
            yield Static("点击「检查全部报告」，查找正文与表格、前后数字、算术、评分规则、累计序列、"
                         "整体表述与表格、报告之间的矛盾。高：确定的矛盾；中：很可能；低：可能是舍入或读取问题。",
                         id="check-intro")

    @on(Button.Pressed, "#check-run")
    def run_checks(self) -> None:
        self._run()

    @work(thread=True, exclusive=True, group="check")
    def _run(self) -> None:
        docs = list(self.app.session.corpus)  # type: ignore[attr-defined]
        findings = check_corpus(docs)
        self.app.call_from_thread(self.show_results, [(d, [f for f in findings if f.doc == d.id]) for d in docs])

    def show_results(self, results: list[tuple[Document, list[Finding]]]) -> None:
        view = self.query_one("#check-view", VerticalScroll)
        view.remove_children()
        total = sum(len(fs) for _, fs in results)
        view.mount(Static(f"{len(results)} 份报告，共 {total} 处不一致。", id="check-summary"))
        for doc, findings in sorted(results, key=lambda r: (-sum(f.severity != "low" for f in r[1]), r[0].id)):
            counts = "、".join(f"{LABEL[s]} {n}" for s in LABEL if (n := sum(f.severity == s for f in findings)))
            box = Collapsible(title=f"{doc.title}（{doc.id[:3]}）：{counts or '未发现不一致'}",
                              collapsed=not any(f.severity != "low" for f in findings), classes="check-report")
            view.mount(box)
            for f in findings:
                calc = f"\n[dim]计算：{_escape(f.computation[:200])}[/dim]" if f.computation else ""
                box.mount(Static(f"[{COLOUR[f.severity]}][b]{LABEL[f.severity]}[/b][/{COLOUR[f.severity]}] "
                                 f"{_escape(f.message)}{calc}", classes="check-finding"))
                box.mount_all(EvidenceButton(doc.id, e) for e in f.evidence[:6])

    @on(Button.Pressed, ".check-evidence")
    def open_evidence(self, event: Button.Pressed) -> None:
        # The Sources pane is looked up by type so that app.py needs no change for this.
        from assistant.tui.sources import SourcesPane

        button = event.button
        assert isinstance(button, EvidenceButton)
        self.app.query_one("#tabs").active = "tab-sources"  # type: ignore[attr-defined]
        self.app.query_one(SourcesPane).open_document(button.doc, button.evidence.quote)


def _escape(text: str) -> str:
    """Report text is never markup."""
    return text.replace("[", r"\[")
