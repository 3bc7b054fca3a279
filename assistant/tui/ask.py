"""The Ask pane: a conversation of questions, cited answers, and citations that open the source."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, LoadingIndicator, Markdown, Static
from textual.worker import Worker, get_current_worker

from assistant.llm.numbers import mask_numbers
from assistant.qa.model import Answer, Citation


class HistoryInput(Input):
    """An input that remembers what was asked: ↑ and ↓ walk through earlier questions."""

    BINDINGS = [Binding("up", "older", "上一条", show=False), Binding("down", "newer", "下一条", show=False)]

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.history: list[str] = []
        self._pos = 0

    def remember(self, text: str) -> None:
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self._pos = len(self.history)

    def action_older(self) -> None:
        if self.history and self._pos > 0:
            self._pos -= 1
            self.value = self.history[self._pos]
            self.cursor_position = len(self.value)

    def action_newer(self) -> None:
        if self._pos < len(self.history) - 1:
            self._pos += 1
            self.value = self.history[self._pos]
        else:
            self._pos = len(self.history)
            self.value = ""
        self.cursor_position = len(self.value)


class CitationButton(Button):
    """One source under an answer. ↑/↓ move between sources, Enter opens it in 原文."""

    BINDINGS = [("up", "app.focus_previous", "上一处"), ("down", "app.focus_next", "下一处")]

    def __init__(self, number: int, citation: Citation) -> None:
        where = " · ".join(x for x in (citation.title, citation.section.split(" > ")[-1] if citation.section else "",
                                       f"第 {citation.page} 页" if citation.page else "") if x)
        quote = citation.quote if len(citation.quote) <= 60 else citation.quote[:60] + "…"
        super().__init__(f"[{number}] {where}\n「{quote}」", classes="citation")
        self.citation = citation


class AskPane(Vertical):
    class OpenCitation(Message):
        def __init__(self, citation: Citation) -> None:
            super().__init__()
            self.citation = citation

    BINDINGS = [Binding("escape", "cancel", "取消", show=False), Binding("ctrl+o", "focus_citations", "出处")]

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.answers: list[Answer] = []
        self._worker: Worker | None = None
        self.llm = False  # the configured language model phrases answers (Ctrl+L), every number checked
        self._stream: Static | None = None
        self._streamed = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="conversation"):
            yield Static("问一个关于绩效评价报告的问题，例如「为什么绩效目标合理性扣了1.5分？」。F1 查看帮助。",
                         classes="answer")
        yield LoadingIndicator(id="ask-busy")
        yield HistoryInput(placeholder="输入问题后回车（↑/↓ 历史，Ctrl+O 出处，Esc 取消）", id="ask-input")

    def focus_input(self) -> None:
        self.query_one("#ask-input", Input).focus()

    @on(Input.Submitted, "#ask-input")
    def submitted(self, event: Input.Submitted) -> None:
        self.ask(event.value)

    def ask(self, question: str) -> None:
        question = question.strip()
        if not question:
            return
        box = self.query_one("#ask-input", HistoryInput)
        box.remember(question)
        box.value = ""
        conv = self.query_one("#conversation", VerticalScroll)
        conv.mount(Static(f"问：{question}", classes="question", markup=False))
        conv.scroll_end(animate=False)
        self.query_one("#ask-busy").add_class("-busy")
        self._worker = self._answer(question, self.llm)

    def toggle_llm(self) -> None:
        settings = self.app.session.settings  # type: ignore[attr-defined]
        if not self.llm and not settings.llm_base_url:
            self.app.notify("未配置模型服务：请设置环境变量 JIXIAO_LLM_BASE_URL（jixiao doctor 可检查）", severity="warning")
            return
        self.llm = not self.llm
        self.app.notify("模型作答已开启：由模型组织语言，数字、引文和出处逐一核对，未通过核对时显示程序生成的回答"
                        if self.llm else "模型作答已关闭")

    @work(thread=True, exclusive=True, group="ask")
    def _answer(self, question: str, llm: bool) -> None:
        app = self.app
        app.index_ready.wait()  # type: ignore[attr-defined]
        worker = get_current_worker()

        def delta(piece: str) -> None:
            if not worker.is_cancelled:
                app.call_from_thread(self._stream_piece, piece)

        session = app.session  # type: ignore[attr-defined]
        answer = session.ask(question, llm=llm, on_delta=delta if llm else None)
        if not worker.is_cancelled:
            app.call_from_thread(self.show_answer, answer)

    def _stream_piece(self, piece: str) -> None:
        """The model's reply as it arrives, its numbers hidden until the guard has checked them."""
        conv = self.query_one("#conversation", VerticalScroll)
        if self._stream is None:
            self._streamed = ""
            self._stream = Static("", classes="answer streaming", markup=False)
            conv.mount(self._stream)
        self._streamed += piece
        self._stream.update(f"模型作答中（核对后显示，数字暂以＊代替）：\n{mask_numbers(self._streamed)}")
        conv.scroll_end(animate=False)

    def show_answer(self, answer: Answer) -> None:
        self.answers.append(answer)
        self.query_one("#ask-busy").remove_class("-busy")
        if self._stream is not None:
            self._stream.remove()
            self._stream = None
        conv = self.query_one("#conversation", VerticalScroll)
        if answer.llm_note:
            rejected = " declined" if answer.llm_rejected is not False else ""
            conv.mount(Static(answer.llm_note, classes=f"answer llm-note{rejected}", markup=False))
        if answer.llm_rejected is False:  # a model's words: plain text, no Markdown links or markup
            conv.mount(Static(answer.answer, classes="answer", markup=False))
        else:
            conv.mount(Markdown(answer.answer.replace("\n", "  \n"),
                                classes="answer" if answer.answered else "answer declined"))
        if answer.citations:
            box = Vertical(classes="citations")
            conv.mount(box)
            box.mount_all(CitationButton(i, c) for i, c in enumerate(answer.citations, 1))
        conv.scroll_end(animate=False)

    def action_focus_citations(self) -> None:
        """Ctrl+O: to the first source of the latest answer (then ↑/↓, Enter)."""
        boxes = list(self.query(".citations"))
        if not boxes or not boxes[-1].children:
            self.notify("最近的回答没有出处", severity="warning")
            return
        first = boxes[-1].children[0]
        first.focus()
        self.query_one("#conversation", VerticalScroll).scroll_to_widget(first)

    def action_cancel(self) -> None:
        if self._worker is not None and self._worker.is_running:
            self._worker.cancel()
            self.query_one("#ask-busy").remove_class("-busy")
            if self._stream is not None:
                self._stream.remove()
                self._stream = None
            self.query_one("#conversation", VerticalScroll).mount(Static("（已取消）", classes="answer declined"))

    @on(Button.Pressed, ".citation")
    def citation_pressed(self, event: Button.Pressed) -> None:
        assert isinstance(event.button, CitationButton)
        self.post_message(self.OpenCitation(event.button.citation))

    def conversation_markdown(self) -> str:
        parts = ["# jixiao 对话记录\n"]
        for a in self.answers:
            parts.append(f"## 问：{a.question}\n\n{a.answer}\n")
            if a.llm_note:
                parts.append(f"> {a.llm_note}\n")
            for i, c in enumerate(a.citations, 1):
                parts.append(f"{i}. {c.title} · {c.section} · 第 {c.page or '?'} 页：「{c.quote}」")
            parts.append("")
        return "\n".join(parts)
