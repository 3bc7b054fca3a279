"""The jixiao terminal app. `jixiao` with no arguments opens it on the configured corpus.

First paint is immediate: the corpus is read and the index loaded (or built, with a progress bar)
in a background worker, and browsing works meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Markdown, ProgressBar, Static, TabbedContent, TabPane

from assistant.api import Session
from assistant.figures import atomic_write
from assistant.tui.ask import AskPane
from assistant.tui.checks import CheckPane
from assistant.tui.draft import DraftPane
from assistant.tui.indicators import IndicatorsPane
from assistant.tui.sources import SourcesPane

HERE = Path(__file__).parent


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,f1,q", "dismiss", "关闭")]

    def compose(self) -> ComposeResult:
        yield Markdown((HERE / "help.md").read_text("utf-8"), id="help")


class JixiaoApp(App[None]):
    TITLE = "jixiao 绩效"
    SUB_TITLE = "绩效评价报告助手"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f1", "help", "帮助"),
        Binding("ctrl+s", "save_draft", "保存草稿"),
        Binding("ctrl+y", "copy_answer", "复制回答"),
        Binding("ctrl+e", "export", "导出对话"),
        Binding("ctrl+t", "toggle_theme", "明/暗"),
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
            yield ProgressBar(id="index-progress", show_eta=False)
        yield Footer()

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
                self.call_from_thread(self._status, f"正在更新检索索引（{status}）…")

                def progress(stage: str, done: int, total: int) -> None:
                    self.call_from_thread(self.query_one("#index-progress", ProgressBar).update, total=total, progress=done)

                self.session.build_index(progress=progress)
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
        target = self.session.settings.home / "conversations" / "对话记录.md"
        atomic_write(target, pane.conversation_markdown())
        self.notify(f"已导出 {target}")
        return target

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

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
        yield from super().get_system_commands(screen)
        yield SystemCommand("提问", "切换到提问页", lambda: self.action_show_tab("tab-ask"))
        yield SystemCommand("原文", "阅读报告原文", lambda: self.action_show_tab("tab-sources"))
        yield SystemCommand("指标表", "浏览各报告的评分指标", lambda: self.action_show_tab("tab-indicators"))
        yield SystemCommand("起草自评报告", "从数据文件生成草稿", lambda: self.action_show_tab("tab-draft"))
        yield SystemCommand("检查报告矛盾", "查找报告自相矛盾之处", lambda: self.action_show_tab("tab-check"))
        yield SystemCommand("导出对话", "把对话导出为 Markdown", self.action_export)
        yield SystemCommand("复制回答", "复制最近一条回答", self.action_copy_answer)
        yield SystemCommand("切换明暗主题", "light / dark", self.action_toggle_theme)
        yield SystemCommand("重建索引", "从头重建检索索引", self.action_rebuild_index)
        yield SystemCommand("帮助", "按键与用法", self.action_help)


def run(session: Session | None = None) -> None:
    JixiaoApp(session).run()
