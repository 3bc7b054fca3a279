"""The Draft pane starting from last year's report (no index, no model: the pane on its own)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from assistant.api import Session
from assistant.config import Settings
from assistant.tui.draft import DraftPane

ROOT = Path(__file__).resolve().parents[2]


class PaneApp(App[None]):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield DraftPane(id="draft")


async def test_draft_from_last_years_report_shows_the_marks_beside_the_text(tmp_path: Path) -> None:
    app = PaneApp(Session(Settings(home=tmp_path / "home")))
    async with app.run_test(size=(140, 40)) as pilot:
        app.query_one("#draft-path", Input).value = str(ROOT / "examples" / "futian_2025.yaml")
        app.query_one("#draft-from", Input).value = "004"
        app.query_one(DraftPane).generate()
        await pilot.pause()
        text = app.query_one("#draft-editor", TextArea).text
        assert text.startswith("# 2025 年度部门整体绩效评价报告")
        assert "政府采购预算金额 720.00 万元" in text and "〔待核：旧值 1187.08 亿元，数据文件中无此项〕" in text
        summary = app.query_one("#draft-summary").render()
        assert "据 004 续写 2025 年" in str(summary) and "总分 98.21 分" in str(summary)
        assert any("yellow" in str(span.style) for span in summary.spans)  # the marks are highlighted


async def test_an_unknown_report_is_an_inline_error(tmp_path: Path) -> None:
    app = PaneApp(Session(Settings(home=tmp_path / "home")))
    async with app.run_test(size=(140, 40)) as pilot:
        app.query_one("#draft-path", Input).value = str(ROOT / "examples" / "futian_2025.yaml")
        app.query_one("#draft-from", Input).value = "999"
        app.query_one(DraftPane).generate()
        await pilot.pause()
        errors = app.query_one("#draft-errors")
        assert errors.has_class("-shown") and "语料中没有报告 '999'" in str(errors.render())
        assert app.query_one("#draft-editor", TextArea).text == ""
