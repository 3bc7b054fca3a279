"""The Draft pane: open a figures file, see validation errors inline, render the draft with the
scorer's numbers, edit it, save it. Edits are autosaved so nothing is lost. Given last year's report
too (a document ID such as 004), the draft starts from that report's own text: numbers renewed, and
the ledger beside it lists every 〔待核〕 mark."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static, TextArea

from assistant.drafting import docx_bytes, render_draft
from assistant.drafting.carried import CarriedDraft
from assistant.drafting.carry import carry_report
from assistant.errors import JixiaoError
from assistant.figures import FiguresError, load_figures
from assistant.files import atomic_write_text, write_output


class DraftPane(Vertical):
    AUTOSAVE_SECONDS = 2.0

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.figures_path: Path | None = None
        self._autosave_timer = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="draft-top"):
            yield Input(placeholder="数据文件路径，如 examples/futian_2024.yaml，回车生成草稿", id="draft-path")
            yield Input(placeholder="上年报告（可选，如 004）", id="draft-from")
            yield Button("生成", id="draft-render", variant="primary")
            yield Button("保存 (Ctrl+S)", id="draft-save")
            yield Button("导出 Word", id="draft-docx")
        yield Static("", id="draft-errors", markup=False)
        with Horizontal(id="draft-body"):
            yield TextArea("", id="draft-editor", language="markdown", soft_wrap=True)
            yield Static("打开数据文件后，这里显示总分、等级和各指标得分。", id="draft-summary", markup=False)

    @property
    def autosave_path(self) -> Path:
        name = self.figures_path.stem if self.figures_path else "draft"
        return self.app.session.settings.drafts_dir / f"{name}.autosave.md"  # type: ignore[attr-defined]

    @on(Input.Submitted, "#draft-path")
    @on(Input.Submitted, "#draft-from")
    @on(Button.Pressed, "#draft-render")
    def generate(self) -> None:
        raw = self.query_one("#draft-path", Input).value.strip()
        errors = self.query_one("#draft-errors", Static)
        if not raw:
            self._show_errors("请输入数据文件路径。")
            return
        path = Path(raw).expanduser()
        source = self.query_one("#draft-from", Input).value.strip()
        if source:
            self._carry(source, path)
            return
        try:
            figures = load_figures(path)
            session = self.app.session  # type: ignore[attr-defined]
            sheet = session.score(figures)
            previous = load_figures(figures.previous) if figures.previous else None
            draft = render_draft(figures, sheet, previous=previous,
                                 previous_sheet=session.score(previous) if previous else None,
                                 templates_dir=session.settings.templates_dir)
        except FiguresError as exc:
            self._show_errors("数据文件有误：\n" + "\n".join(f"• {p}" for p in exc.problems))
            return
        except JixiaoError as exc:
            self._show_errors(str(exc))
            return
        errors.remove_class("-shown")
        self.figures_path = path
        self.query_one("#draft-editor", TextArea).load_text(draft.markdown)
        lines = [f"总分 {sheet.total} 分  等级「{sheet.grade}」", ""]
        lines += [f"{i.name}：{i.score}/{i.weight}" + (" ⚠" if i.discrepancy else "") for i in sheet.indicators]
        self.query_one("#draft-summary", Static).update("\n".join(lines))
        self.notify(f"已生成草稿：总分 {sheet.total} 分，等级「{sheet.grade}」")

    def _carry(self, source: str, path: Path) -> None:
        """Start from last year's report: its text with this year's numbers, the ledger beside it."""
        try:
            carried, sheet = carry_report(self.app.session, source, path)  # type: ignore[attr-defined]
        except FiguresError as exc:
            self._show_errors("数据文件有误：\n" + "\n".join(f"• {p}" for p in exc.problems))
            return
        except JixiaoError as exc:
            self._show_errors(str(exc))
            return
        self.query_one("#draft-errors", Static).remove_class("-shown")
        self.figures_path = path
        self.query_one("#draft-editor", TextArea).load_text(carried.markdown)
        self.query_one("#draft-summary", Static).update(ledger_summary(carried, sheet.total, sheet.grade))
        marked = carried.counts()["sentences"]["marked"]
        self.notify(f"已据 {carried.doc[:3]} 续写 {carried.year} 年草稿：{marked} 句待核，总分 {sheet.total} 分")

    def _show_errors(self, text: str) -> None:
        errors = self.query_one("#draft-errors", Static)
        errors.update(text)
        errors.add_class("-shown")
        self.notify("数据文件有误，详见上方提示", severity="error")

    @on(TextArea.Changed, "#draft-editor")
    def schedule_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(self.AUTOSAVE_SECONDS, self.autosave)

    def autosave(self) -> None:
        text = self.query_one("#draft-editor", TextArea).text
        if text.strip():
            try:
                atomic_write_text(self.autosave_path, text)
            except JixiaoError as exc:
                self.notify(f"自动保存失败：{exc}", severity="warning")

    @on(Button.Pressed, "#draft-save")
    def save(self) -> Path | None:
        text = self.query_one("#draft-editor", TextArea).text
        if not text.strip():
            self.notify("草稿为空，未保存", severity="warning")
            return None
        target = self.figures_path.with_suffix(".md") if self.figures_path else self.autosave_path.with_suffix("")
        inputs = [self.figures_path] if self.figures_path else []
        try:
            write_output(target, text, inputs=inputs, force=True)  # this draft's own file; never its input
        except JixiaoError as exc:
            target = self.app.session.settings.drafts_dir / target.name  # type: ignore[attr-defined]
            try:
                write_output(target, text, inputs=inputs, force=True)
            except JixiaoError as exc2:
                self.notify(str(exc2), severity="error")
                return None
            self.notify(f"{exc}；已改存到 {target}", severity="warning")
            return target
        self.notify(f"已保存 {target}")
        return target

    @on(Button.Pressed, "#draft-docx")
    def export_docx(self) -> Path | None:
        text = self.query_one("#draft-editor", TextArea).text
        if not text.strip():
            self.notify("草稿为空，未导出", severity="warning")
            return None
        target = (self.figures_path or self.autosave_path).with_suffix(".docx")
        try:
            write_output(target, docx_bytes(text), inputs=[self.figures_path] if self.figures_path else [], force=True)
        except JixiaoError as exc:
            self.notify(str(exc), severity="error")
            return None
        self.notify(f"已导出 {target}")
        return target


def ledger_summary(carried: CarriedDraft, total: object, grade: str, limit: int = 80) -> Text:
    """The ledger beside a carried-forward draft: the counts, then every 〔待核〕 mark, highlighted."""
    counts = carried.counts()
    s, n = counts["sentences"], counts["numbers"]
    text = Text(f"据 {carried.doc[:3]} 续写 {carried.year} 年\n总分 {total} 分  等级「{grade}」\n"
                f"句子：保留 {s['kept']} · 更新 {s['renewed']} · 待核 {s['marked']}\n"
                f"数字：更新 {n['renewed']} · 不变 {n['kept']} · 待核 {n['marked']}\n\n")
    marks = [e for e in carried.ledger if e.status == "marked"]
    for e in marks[:limit]:
        text.append(f"第{e.line}行 ", style="dim")
        text.append(f"〔待核〕{e.old[:16]}", style="black on yellow")
        text.append(f" {e.reason[:40]}\n")
    if len(marks) > limit:
        text.append(f"…另有 {len(marks) - limit} 处待核", style="dim")
    return text
