"""The Check pane: where the reports contradict themselves."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Markdown

from assistant.check import Finding, check_document

LABEL = {"high": "🔴 高", "medium": "🟠 中", "low": "⚪ 低"}


class CheckPane(Vertical):
    def compose(self) -> ComposeResult:
        yield Button("检查全部报告", id="check-run", variant="primary")
        with VerticalScroll(id="check-view"):
            yield Markdown("点击「检查全部报告」，查找正文与表格、前后数字、算术、评分规则与等级之间的矛盾。", id="check-md")

    @on(Button.Pressed, "#check-run")
    def run_checks(self) -> None:
        self._run()

    @work(thread=True, exclusive=True, group="check")
    def _run(self) -> None:
        docs = list(self.app.session.corpus)  # type: ignore[attr-defined]
        results = [(d, check_document(d)) for d in docs]
        self.app.call_from_thread(self.show_results, results)

    def show_results(self, results: list) -> None:
        parts = []
        for doc, findings in results:
            parts.append(f"### {doc.title}（{doc.id[:3]}）：{len(findings) or '无'}处{'不一致' if findings else '发现'}")
            for f in findings:
                parts.append(self._finding(f))
        self.query_one("#check-md", Markdown).update("\n\n".join(parts))

    @staticmethod
    def _finding(f: Finding) -> str:
        ev = "\n".join(f"  - {'第 ' + str(e.page) + ' 页 ' if e.page else ''}「{e.quote[:120]}」" for e in f.evidence)
        calc = f"\n  - 计算：{f.computation[:200]}" if f.computation else ""
        return f"- **{LABEL[f.severity]}** {f.message}\n{ev}{calc}"
