"""Drafting next year's 自评: validated figures → scorer → Jinja2 paragraphs, each number traced."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from assistant.drafting.carried import MARK, CarriedDraft
from assistant.drafting.carry import CarryError, carry_forward
from assistant.drafting.context import change_facts, figure_facts, score_facts
from assistant.drafting.facts import Ledger, Placed
from assistant.errors import DraftError, JixiaoError
from assistant.figures import Figures
from assistant.files import atomic_write_bytes, atomic_write_text
from assistant.scoring.sheet import ScoreSheet
from assistant.templating import environment

# (name, template) in report order; names are what --section takes.
SECTIONS: list[tuple[str, str]] = [
    ("基本情况", "draft/basic.j2"),
    ("绩效目标及完成情况", "draft/targets.j2"),
    ("评价指标分析", "draft/analysis.j2"),
    ("总分与等级", "draft/total.j2"),
    ("存在问题", "draft/problems.j2"),
    ("改进措施", "draft/measures.j2"),
]




__all__ = ["SECTIONS", "CarriedDraft", "CarryError", "Draft", "DraftError", "DraftSection", "carry_forward",
           "render_draft", "write_docx", "write_markdown"]


@dataclass
class DraftSection:
    name: str
    markdown: str
    numbers: list[Placed] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    sections: list[DraftSection]

    @property
    def markdown(self) -> str:
        return f"# {self.title}\n\n" + "\n\n".join(s.markdown.strip() for s in self.sections) + "\n"


def build_context(figures: Figures, sheet: ScoreSheet, previous: Figures | None = None,
                  previous_sheet: ScoreSheet | None = None) -> dict[str, Any]:
    facts = figure_facts(figures)
    prev = figure_facts(previous) if previous else None
    return {**facts, **score_facts(sheet), "change": change_facts(facts, prev, sheet, previous_sheet)}


def render_draft(figures: Figures, sheet: ScoreSheet, *, previous: Figures | None = None,
                 previous_sheet: ScoreSheet | None = None, only: str | None = None,
                 templates_dir: Path | None = None) -> Draft:
    names = [n for n, _ in SECTIONS]
    if only and only not in names:
        raise DraftError(f"没有 '{only}' 这一部分（可选：{'、'.join(names)}）")
    if templates_dir is not None and not Path(templates_dir).is_dir():
        what = "不存在" if not Path(templates_dir).exists() else "不是文件夹"
        raise DraftError(f"{templates_dir}: 模板文件夹{what}（--templates 或 config.toml 的 templates_dir）")
    env = environment(str(templates_dir) if templates_dir else None)
    context = build_context(figures, sheet, previous, previous_sheet)
    sections = []
    for name, template in SECTIONS:
        if only and name != only:
            continue
        ledger = Ledger(section=name)
        try:
            text = env.get_template(template).render(**context, show=ledger.show)
        except UndefinedError as exc:  # StrictUndefined: a missing variable fails loudly
            raise DraftError(f"模板 {template} 用到了未定义的名称（{exc.message}）") from exc
        except TemplateNotFound as exc:
            raise DraftError(f"找不到模板 {exc.name}") from exc
        except TemplateSyntaxError as exc:
            where = f"{exc.filename or template}:{exc.lineno}"
            raise DraftError(f"模板语法错误 {where}: {exc.message}") from exc
        except (SecurityError, OverflowError) as exc:  # the sandbox held (an attribute, a range too big)
            raise DraftError(f"模板 {template} 试图执行不允许的操作，已被沙箱拦截：{exc}") from exc
        except RecursionError as exc:
            raise DraftError(f"模板 {template} 无限递归（宏调用自身而没有终止条件）") from exc
        except JixiaoError:
            raise
        except Exception as exc:  # a template is code a user may write: its failure is one line
            raise DraftError(f"模板 {template} 出错：{type(exc).__name__}: {exc}") from exc
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        sections.append(DraftSection(name=name, markdown=text, numbers=ledger.placed))
    return Draft(title=f"{figures.unit}{figures.year}年度部门整体支出绩效自评报告（草稿）", sections=sections)


def write_markdown(draft: Draft, path: Path) -> None:
    atomic_write_text(path, draft.markdown)


def write_docx(draft: Draft | str, path: Path) -> None:
    atomic_write_bytes(path, docx_bytes(draft))


def docx_bytes(draft: Draft | str) -> bytes:
    """A Word document (these reports are submitted as .docx) from a draft or its edited Markdown."""
    import io

    from docx import Document as Docx

    markdown = draft.markdown if isinstance(draft, Draft) else draft
    lines = markdown.splitlines()
    doc = Docx()
    if lines and lines[0].startswith("# "):
        doc.add_heading(lines.pop(0)[2:], level=0)
    table: list[list[str]] = []
    for line in [*lines, ""]:
        if line.startswith("|"):  # a Markdown table (a carried-forward report's table rows)
            if not re.fullmatch(r"\|[-| ]+\|", line):
                row = re.split(r"(?<!\\)\|", line.strip())[1:-1]
                table.append([c.strip().replace("\\|", "|") for c in row])
            continue
        if table:
            _docx_table(doc, table)
            table = []
        heading = re.match(r"(#{2,6}) (.*)", line)
        if heading:
            doc.add_heading(heading.group(2), level=len(heading.group(1)) - 1)
        elif line.startswith("- "):
            _docx_text(doc.add_paragraph(style="List Bullet"), line[2:])
        elif line.strip():
            _docx_text(doc.add_paragraph(), line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_text(paragraph, text: str) -> None:  # type: ignore[no-untyped-def]
    """Text into a Word paragraph, 〔待核〕 and 〔待补〕 marks highlighted."""
    from docx.enum.text import WD_COLOR_INDEX

    pos = 0
    for m in MARK.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos:m.start()])
        paragraph.add_run(m.group(0)).font.highlight_color = WD_COLOR_INDEX.YELLOW
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


def _docx_table(doc, rows: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for row, cells in zip(rows, table.rows, strict=True):  # row by row: table.cell(r, c) is slow
        for text, cell in zip(row, cells.cells, strict=False):
            _docx_text(cell.paragraphs[0], text)
