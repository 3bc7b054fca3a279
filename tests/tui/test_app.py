"""The terminal app, driven by Textual's Pilot on the real corpus and index."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TextArea

from assistant.tui.app import JixiaoApp
from assistant.tui.ask import AskPane
from assistant.tui.draft import DraftPane

ROOT = Path(__file__).resolve().parents[2]


async def wait_for(pilot, condition, tries: int = 300) -> None:  # type: ignore[no-untyped-def]  # 30 s: slow is not wrong
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture
def app(indexed_session) -> JixiaoApp:
    return JixiaoApp(indexed_session)


async def test_ask_and_open_a_citation(app: JixiaoApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, app.index_ready.is_set)
        box = app.query_one("#ask-input", Input)
        box.value = "为什么绩效目标合理性扣了1.5分？"
        await pilot.press("enter")
        pane = app.query_one(AskPane)
        await wait_for(pilot, lambda: pane.answers)
        assert "扣 1.5 分" in pane.answers[0].answer
        buttons = app.query(".citation")
        assert len(buttons) == len(pane.answers[0].citations) >= 2
        first = buttons.first()
        first.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(first)
        await pilot.pause(0.3)
        assert app.query_one("#tabs").active == "tab-sources"
        hit = app.query(".-hit")
        assert len(hit) == 1 and "绩效目标合理性" in hit.first().squashed
        # history: ↑ brings the question back
        app.query_one("#tabs").active = "tab-ask"
        box.focus()
        await pilot.press("up")
        assert box.value == "为什么绩效目标合理性扣了1.5分？"


async def test_filter_indicator_table_and_ask_why(app: JixiaoApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, app.loaded.is_set)
        await pilot.pause()
        app.query_one("#tabs").active = "tab-indicators"
        table = app.query_one("#ind-table", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        everything = table.row_count
        app.query_one("#ind-deductions").value = True
        await pilot.pause()
        lost = table.row_count
        assert 0 < lost < everything
        app.query_one("#ind-filter", Input).value = "编外人员控制率"
        await pilot.pause()
        assert table.row_count == 2  # 002 and 004 both scored it 0
        table.focus()
        await pilot.press("enter")
        pane = app.query_one(AskPane)
        await wait_for(pilot, lambda: pane.answers)
        assert app.query_one("#tabs").active == "tab-ask"
        assert "编外人员控制率" in pane.answers[-1].answer and "得分 0 分" in pane.answers[-1].answer


async def test_render_a_draft_and_save(app: JixiaoApp, tmp_path: Path) -> None:
    figures = tmp_path / "futian_2024.yaml"
    figures.write_text((ROOT / "examples" / "futian_2024.yaml").read_text("utf-8"), "utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#tabs").active = "tab-draft"
        app.query_one("#draft-path", Input).value = str(figures)
        app.query_one(DraftPane).generate()
        await pilot.pause()
        text = app.query_one("#draft-editor", TextArea).text
        assert "得分为 96.15 分" in text and "5.47" in text
        assert "96.15" in str(app.query_one("#draft-summary").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "96.15" in figures.with_suffix(".md").read_text("utf-8")
        app.query_one(DraftPane).export_docx()
        assert figures.with_suffix(".docx").stat().st_size > 10_000


async def test_bad_figures_file_shows_the_field_error(app: JixiaoApp, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "examples" / "futian_2024.yaml").read_text("utf-8").replace("satisfaction: 95", "satisfaction: 120"), "utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#tabs").active = "tab-draft"
        app.query_one("#draft-path", Input).value = str(bad)
        app.query_one(DraftPane).generate()
        await pilot.pause()
        errors = app.query_one("#draft-errors")
        assert errors.has_class("-shown")
        assert "satisfaction：120% 不在 0–100% 之间" in str(errors.render())
        assert app.is_running  # no crash


async def test_small_terminal_keeps_everything_usable(app: JixiaoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, app.index_ready.is_set)
        for tab in ("tab-ask", "tab-sources", "tab-indicators", "tab-draft", "tab-check"):
            app.query_one("#tabs").active = tab
            await pilot.pause()
        app.query_one("#tabs").active = "tab-ask"
        await pilot.pause()
        box = app.query_one("#ask-input", Input)
        assert box.region.height > 0 and box.region.bottom <= 24
        assert app.query_one("#status-bar").region.height == 1


async def test_help_and_theme(app: JixiaoApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before
