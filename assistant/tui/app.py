"""The jixiao terminal app. `jixiao` with no arguments opens it on the configured corpus.

First paint is immediate: the corpus is read and the index loaded (or built, with a progress bar)
in a background worker, and browsing works meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Markdown, ProgressBar, Static, TabbedContent, TabPane

from assistant.api import Session
from assistant.errors import JixiaoError
from assistant.files import atomic_write_text
from assistant.tui.ask import AskPane
from assistant.tui.checks import CheckPane
from assistant.tui.draft import DraftPane
from assistant.tui.indicators import IndicatorsPane
from assistant.tui.sources import SourcesPane

HERE = Path(__file__).parent


class HelpScreen(ModalScreen[None]):
    """The help text in a scrolling box: ↑/↓, PageUp/PageDown and Home/End reach all of it."""

    BINDINGS = [("escape,f1,q", "dismiss", "关闭")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown((HERE / "help.md").read_text("utf-8"))

    def on_mount(self) -> None:
        self.query_one("#help").focus()


TABS = {"tab-ask": "提问", "tab-sources": "原文", "tab-indicators": "指标", "tab-draft": "起草", "tab-check": "检查"}


class JixiaoApp(App[None]):
    TITLE = "jixiao 绩效"
    SUB_TITLE = "绩效评价报告助手"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f1", "help", "帮助"),
        *(Binding(f"f{n}", f"show_tab('{tab}')", name) for n, (tab, name) in enumerate(TABS.items(), 2)),
        Binding("ctrl+s", "save_draft", "保存"),
        Binding("ctrl+y", "copy_answer", "复制回答", show=False),
        # priority: the question box would otherwise take Ctrl+E (end of line) and hide it
        Binding("ctrl+e", "export", "导出", priority=True),
        Binding("ctrl+t", "toggle_theme", "明/暗", show=False),
        Binding("ctrl+p", "command_palette", "命令", priority=True, show=False),  # the footer shows it at the right
        Binding("ctrl+l", "toggle_llm", "模型作答", show=False),
        Binding("ctrl+q", "quit", "退出"),
    ]

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session or Session()
        self.index_ready = threading.Event()
        self.loaded = threading.Event()

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="tab-ask", id="tabs"):
            with TabPane("提问", id="tab-ask"):
                yield AskPane(id="ask")
            with TabPane("原文", id="tab-sources"):
                yield SourcesPane(id="sources")
            with TabPane("指标", id="tab-indicators"):
                yield IndicatorsPane(id="indicators")
            with TabPane("起草", id="tab-draft"):
                yield DraftPane(id="draft")
            with TabPane("检查", id="tab-check"):
                yield CheckPane(id="check")
        with Horizontal(id="status-bar"):
            yield Static("正在读取报告…", id="status-text")
            yield ProgressBar(id="index-progress", show_eta=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(AskPane).focus_input()
        self._load()

    # ---------------------------------------------------------------- background loading

    def _status(self, text: str) -> None:
        self.query_one("#status-text", Static).update(text)

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        docs = self.session.corpus.documents
        self.call_from_thread(self._documents_loaded)
        self.loaded.set()
        try:
            status = self.session.index_status()
            if status:
                # everything is searchable at once; reports still being embedded by keyword only
                waiting = self.session.search_index.provisional(docs)
                self.index_ready.set()
                note = f"；{len(waiting)} 份报告正在生成向量，暂按关键词检索" if waiting else ""
                self.call_from_thread(self._status, f"正在更新检索索引（{status}{note}）…")

                def progress(stage: str, done: int, total: int) -> None:
                    self.call_from_thread(self.query_one("#index-progress", ProgressBar).update, total=total, progress=done)

                self.session.refresh_index(progress=progress)
            _ = self.session.search_index.keyword  # build the keyword matrix before the first question
            self.session.embedder.encode_queries(["预热"])  # load the model now, not on the first question
            self.call_from_thread(self._status, f"{len(docs)} 份报告 · 索引就绪（{self.session.search_index.passage_count} 段）")
        except Exception as exc:  # reported in the UI, never a crash
            self.call_from_thread(self._status, f"索引不可用：{exc}")
            self.call_from_thread(self.notify, f"索引不可用：{exc}", severity="error")
        finally:
            self.index_ready.set()
            self.call_from_thread(self.query_one("#index-progress", ProgressBar).update, total=1, progress=1)

    def _documents_loaded(self) -> None:
        docs = self.session.corpus.documents
        self.query_one(SourcesPane).set_documents(docs)
        self.query_one(IndicatorsPane).set_documents(docs)
        self._status(f"{len(docs)} 份报告已读取 · 正在准备检索索引…")
        for err in self.session.corpus.errors:
            self.notify(err, severity="warning", timeout=10)

    # ---------------------------------------------------------------- cross-pane actions

    @on(AskPane.OpenCitation)
    def open_citation(self, event: AskPane.OpenCitation) -> None:
        self.query_one("#tabs", TabbedContent).active = "tab-sources"
        sources = self.query_one(SourcesPane)
        sources.open_document(event.citation.doc, event.citation.quote)
        # focus moves with the reader: a focused widget left in the Ask tab would pull it back
        sources.query_one("#doc-view").focus()

    @on(IndicatorsPane.AskWhy)
    def ask_why(self, event: IndicatorsPane.AskWhy) -> None:
        self.query_one("#tabs", TabbedContent).active = "tab-ask"
        self.query_one(AskPane).ask(event.question)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_save_draft(self) -> None:
        self.query_one(DraftPane).save()

    def action_copy_answer(self) -> None:
        answers = self.query_one(AskPane).answers
        if not answers:
            self.notify("还没有回答可复制", severity="warning")
            return
        self.copy_to_clipboard(answers[-1].answer)
        self.notify("已复制最近一条回答")

    def action_export(self) -> Path | None:
        pane = self.query_one(AskPane)
        if not pane.answers:
            self.notify("还没有对话可导出", severity="warning")
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.session.settings.home / "conversations" / f"对话记录-{stamp}.md"  # a new file each time
        try:
            atomic_write_text(target, pane.conversation_markdown())
        except JixiaoError as exc:
            self.notify(str(exc), severity="error")
            return None
        self.notify(f"已导出 {target}")
        return target

    def action_toggle_llm(self) -> None:
        self.query_one(AskPane).toggle_llm()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        # focus follows the tab: a focused widget left in another tab (the palette hands focus back
        # to it when it closes) would switch the tabs straight back
        self.call_after_refresh(self._focus_in_tab, tab)

    def _focus_in_tab(self, tab: str, tries: int = 20) -> None:
        pane = self.query_one(f"#{tab}", TabPane)
        focused = self.focused
        if focused is not None and pane in focused.ancestors:
            return
        if self.query_one("#tabs", TabbedContent).active != tab:
            return  # the user went on to another tab meanwhile
        if tab == "tab-ask":
            self.query_one(AskPane).focus_input()
        else:
            target = next((w for w in pane.query("*") if w.can_focus and not w.disabled and w.display), None)
            if target is not None:
                target.focus()
        if tries > 0:  # on a busy machine the pane may not be laid out yet: look again shortly
            self.set_timer(0.1, lambda: self._focus_in_tab(tab, tries - 1))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder="搜索主题…"))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="搜索命令…"))

    def action_rebuild_index(self) -> None:
        self.index_ready.clear()
        self.session.search_index.manifest = None  # forces a full rebuild in the worker
        self._rebuild()

    @work(thread=True, exclusive=True, group="load")
    def _rebuild(self) -> None:
        try:
            self.session.build_index(rebuild=True)
            self.call_from_thread(self._status, "索引已重建")
        finally:
            self.index_ready.set()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own entries (Theme, Quit, Keys, Screenshot) are given here in Chinese
        yield SystemCommand("更换主题", "选择配色主题", self.action_change_theme)
        yield SystemCommand("退出", "退出 jixiao", self.action_quit)
        yield SystemCommand("截图", "把当前屏幕保存为 SVG 图片", lambda: self.set_timer(0.1, self.deliver_screenshot))
        yield SystemCommand("提问", "切换到提问页（F2）", lambda: self.action_show_tab("tab-ask"))
        yield SystemCommand("原文", "阅读报告原文（F3）", lambda: self.action_show_tab("tab-sources"))
        yield SystemCommand("指标表", "浏览各报告的评分指标（F4）", lambda: self.action_show_tab("tab-indicators"))
        yield SystemCommand("起草自评报告", "从数据文件生成草稿（F5）", lambda: self.action_show_tab("tab-draft"))
        yield SystemCommand("检查报告矛盾", "查找报告自相矛盾之处（F6）", lambda: self.action_show_tab("tab-check"))
        yield SystemCommand("导出对话", "把对话导出为 Markdown（Ctrl+E）", self.action_export)
        yield SystemCommand("复制回答", "复制最近一条回答（Ctrl+Y）", self.action_copy_answer)
        yield SystemCommand("切换明暗主题", "明暗两种配色之间切换（Ctrl+T）", self.action_toggle_theme)
        yield SystemCommand("重建索引", "从头重建检索索引", self.action_rebuild_index)
        yield SystemCommand("帮助", "按键与用法（F1）", self.action_help)


def run(session: Session | None = None) -> None:
    JixiaoApp(session).run()
