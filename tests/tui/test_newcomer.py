"""What a new user trips over in the app (issue 17), driven by Pilot on the real corpus and index:
tab keys, palette entries that switch tabs, help that scrolls, export from the question box,
citations reached by key, table rows kept apart, and no English in the interface."""

from __future__ import annotations

import html
import re

import pytest
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from assistant.config import bundled_corpus_dir
from assistant.tui.app import TABS, JixiaoApp
from assistant.tui.ask import AskPane, CitationButton
from assistant.tui.sources import SourcesPane
from tests.tui.test_app import wait_for

# English that may appear: the product name, key names, file formats, the example path
ALLOWED = {
    "jixiao", "ctrl", "tab", "shift", "esc", "enter", "pageup", "pagedown", "home", "end", "markdown",
    "yaml", "svg", "word", "docx", "examples", "futian", "drafts", "conversations", "help",
    "ask", "search", "indicators", "rules", "draft", "check",  # command names of the shell
}
WORD = re.compile(r"[A-Za-z]{2,}")
# acronyms the reports themselves print ('GDP', 'PCT') are content, not interface
CONTENT = {w for p in bundled_corpus_dir().glob("*.txt") for w in WORD.findall(p.read_text("utf-8")) if w.isupper()}


@pytest.fixture
def app(indexed_session) -> JixiaoApp:
    return JixiaoApp(indexed_session)


def screen_words(app: JixiaoApp) -> set[str]:
    """English words on the screen as rendered (the SVG screenshot holds every visible character)."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    visible = html.unescape(" ".join(re.sub(r"<[^>]+>", "", t) for t in texts)).replace("\xa0", " ")
    return {w for w in WORD.findall(visible) if w.lower() not in ALLOWED and w not in CONTENT}


async def test_function_keys_switch_tabs_and_the_footer_says_so(app: JixiaoApp) -> None:
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, app.loaded.is_set)
        shown = {b.key: b.description for (_, b, enabled, _tip) in app.screen.active_bindings.values()
                 if b.show and enabled}
        for n, (tab, name) in enumerate(TABS.items(), 2):
            assert shown.get(f"f{n}") == name
            await pilot.press(f"f{n}")
            pane = app.query_one(f"#{tab}")
            await wait_for(pilot, lambda pane=pane: app.focused is not None and pane in app.focused.ancestors, tries=300)
            assert app.query_one("#tabs").active == tab


async def test_palette_entries_switch_tabs_and_speak_chinese(app: JixiaoApp) -> None:
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, app.loaded.is_set)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "搜索命令…"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not [t for t in titles if WORD.search(t)], titles
        assert not screen_words(app)
        await pilot.press(*"指标表")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert app.query_one("#tabs").active == "tab-indicators"
        await pilot.pause(0.3)  # and it stays there once the palette has handed focus back
        assert app.query_one("#tabs").active == "tab-indicators"


async def test_help_scrolls_to_its_key_table_on_a_small_terminal(app: JixiaoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause(0.3)
        box = app.screen.query_one("#help", VerticalScroll)
        assert box.max_scroll_y > 0  # the help is longer than the screen
        await pilot.press("pagedown")
        await pilot.pause(0.2)
        assert box.scroll_y > 0
        await pilot.press("end")
        await pilot.pause(0.2)
        assert box.scroll_y == box.max_scroll_y
        assert not screen_words(app)


async def test_export_and_citations_from_the_question_box(app: JixiaoApp) -> None:
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, app.index_ready.is_set)
        box = app.query_one("#ask-input", Input)
        box.value = "为什么绩效目标合理性扣了1.5分？"
        await pilot.press("enter")
        pane = app.query_one(AskPane)
        await wait_for(pilot, lambda: pane.answers)
        assert app.focused is box
        shown = {b.key for (_, b, enabled, _tip) in app.screen.active_bindings.values() if b.show and enabled}
        assert "ctrl+e" in shown  # not hidden by the input's own Ctrl+E
        folder = app.session.settings.home / "conversations"
        before = set(folder.glob("*.md")) if folder.exists() else set()
        await pilot.press("ctrl+e")
        await pilot.pause(0.2)
        new = set(folder.glob("*.md")) - before
        assert len(new) == 1 and "绩效目标合理性" in new.pop().read_text("utf-8")
        # one key to the sources, ↓ to the next, the focused one looks different, Enter opens it
        await pilot.press("ctrl+o")
        await pilot.pause(0.2)
        first = app.focused
        assert isinstance(first, CitationButton)
        assert first.styles.background != app.query(CitationButton).last().styles.background or len(pane.answers[0].citations) == 1
        await pilot.press("down")
        await pilot.pause(0.1)
        second = app.focused
        assert isinstance(second, CitationButton) and second is not first
        await pilot.press("up", "enter")
        await pilot.pause(0.4)
        assert app.query_one("#tabs").active == "tab-sources"
        assert app.query_one(SourcesPane).current.id == first.citation.doc


async def test_sources_show_table_rows_apart_with_chinese_page_labels(app: JixiaoApp) -> None:
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_for(pilot, app.loaded.is_set)
        sources = app.query_one(SourcesPane)
        doc = next(d for d in sources.documents if d.id.startswith("001"))
        await pilot.press("f3")
        sources.open_document(doc.id)
        await pilot.pause(0.3)
        texts = [str(w.render()) for w in sources.query_one("#doc-view").query(Static)]
        rows = [t for t in texts if "绩效目标合理性" in t and "62.5%" in t]
        assert rows and all(t.rstrip().endswith("62.5%") for t in rows)  # the next row is not run on
        assert any("〔第" in t for t in texts) and not any("[p." in t for t in texts)


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_every_tab_speaks_chinese(app: JixiaoApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, app.index_ready.is_set)
        await pilot.pause(0.3)
        for n, tab in enumerate(TABS, 2):
            await pilot.press(f"f{n}")
            await pilot.pause(0.3)
            assert app.query_one("#tabs").active == tab
            assert not screen_words(app), (tab, screen_words(app))
