"""The Check pane on the five bundled reports, in a small host app (no index needed): findings grouped
by report with 高/中/低, and evidence that opens the report at its quote."""

from __future__ import annotations

from types import SimpleNamespace

from textual.app import App, ComposeResult
from textual.widgets import Collapsible, TabbedContent, TabPane

from assistant.corpus import Corpus
from assistant.tui.checks import CheckPane, EvidenceButton
from assistant.tui.sources import SourcesPane


class Host(App):
    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.session = SimpleNamespace(corpus=corpus)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            with TabPane("检查", id="tab-check"):
                yield CheckPane(id="check")
            with TabPane("原文", id="tab-sources"):
                yield SourcesPane()

    def on_mount(self) -> None:
        self.query_one(SourcesPane).set_documents(self.session.corpus.documents)


async def test_findings_grouped_by_report_and_evidence_opens_the_source(corpus: Corpus) -> None:
    app = Host(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(CheckPane).run_checks()
        for _ in range(100):
            await pilot.pause(0.1)
            if app.query(Collapsible):
                break
        titles = [str(c.title) for c in app.query(Collapsible)]
        assert len(titles) == 5
        assert any("（002）" in t and "高 1" in t and "中 5" in t for t in titles)  # C13 medium since check3
        button = next(b for b in app.query(EvidenceButton) if "1931.52" in b.evidence.quote)
        app.query_one(CheckPane).post_message(EvidenceButton.Pressed(button))
        await pilot.pause(0.3)
        assert app.query_one("#tabs", TabbedContent).active == "tab-sources"
        assert app.query_one(SourcesPane).current.id.startswith("002")
