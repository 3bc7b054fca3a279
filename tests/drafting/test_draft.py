"""Drafting the 自评 report: numbers from the figures and the scorer only, in the reports' phrasing."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2 import Environment

from assistant.api import Session
from assistant.cli import main
from assistant.config import Settings, bundled_templates_dir
from assistant.drafting import DraftError, render_draft
from assistant.figures import FiguresError, load_figures, parse_figures

ROOT = Path(__file__).resolve().parents[2]
EX2024 = ROOT / "examples" / "futian_2024.yaml"
EX2021 = ROOT / "examples" / "futian_2021.yaml"


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(Settings())


def draft_of(session: Session, text: str, **kw):
    figures = parse_figures(text)
    return render_draft(figures, session.score(figures), **kw)


def paragraph(markdown: str, starts: str) -> str:
    return next(p for p in markdown.split("\n\n") if p.startswith(starts))


def test_2024_draft_total_and_key_paragraphs(session: Session) -> None:
    md = draft_of(session, EX2024.read_text("utf-8")).markdown
    assert "得分为 96.15 分，评价等级为“优”" in md
    execution = paragraph(md, "预算执行率指标")
    assert "分值 6 分，得分 5.47 分" in execution
    assert "24.48%、55.25%、53.38%、92.23%" in execution
    procurement = paragraph(md, "政府采购执行情况指标")
    assert "68.11%" in procurement and "得分 1.68 分" in procurement


def test_every_number_placed_has_a_source(session: Session) -> None:
    draft = draft_of(session, EX2024.read_text("utf-8"))
    placed = [n for s in draft.sections for n in s.numbers]
    assert placed and all(n.source.split(":")[0] in ("figures", "scorer", "framework", "derived") for n in placed)
    assert any(n.text == "5.47" and n.source == "scorer:futian_department.budget_execution" for n in placed)
    # every number in the body text is one that was placed through the ledger
    body = "\n".join(s.markdown for s in draft.sections if s.name not in ("存在问题", "改进措施", "绩效目标及完成情况"))
    shown = {n.text.split()[0] for n in placed}
    for token in re.findall(r"\d[\d,]*(?:\.\d+)?", body):
        assert token in shown or any(token in t for t in shown), token


def test_templates_type_no_numbers_by_hand() -> None:
    env = Environment()
    for path in (bundled_templates_dir() / "draft").rglob("*.j2"):
        source = path.read_text("utf-8")
        literal_text = "".join(tok[2] for tok in env.lex(source) if tok[1] == "data")
        assert not re.search(r"\d", literal_text), f"{path.name} types a number by hand"


def test_changing_one_figure_changes_exactly_what_depends_on_it(session: Session) -> None:
    text = EX2024.read_text("utf-8")
    base = draft_of(session, text).markdown.split("\n\n")
    changed = draft_of(session, text.replace("actual: 448.01 万元", "actual: 500.00 万元")).markdown.split("\n\n")
    diff = [(a, b) for a, b in zip(base, changed, strict=True) if a != b]
    starts = sorted(b[:10] for _, b in diff)
    # the procurement paragraph, the total, and the list of deductions (0.32 → 0.24)
    assert len(diff) == 3, starts
    assert any("政府采购执行率 76.01%" in b and "得分 1.76 分" in b for _, b in diff)
    assert any("得分为 96.23 分" in b for _, b in diff)


def test_year_on_year_changes(session: Session) -> None:
    figures, previous = load_figures(EX2024), load_figures(EX2021)
    md = render_draft(figures, session.score(figures), previous=previous, previous_sheet=session.score(previous)).markdown
    # 68.11% this year against 37.83% in 2021: three years earlier, so named, not "上年"
    assert "政府采购执行率 68.11%，较2021年提高 30.28 个百分点" in md and "较上年" not in md
    # the total the 2021 report published (94.94) is compared, and the recomputation (94.32) shown
    assert "2021年度自评报告公布得分为 94.94 分（按本年评分规则重算为 94.32 分），本年较2021年提高 1.21 分" in md


def test_missing_template_variable_fails_loudly(session: Session, tmp_path: Path) -> None:
    (tmp_path / "draft").mkdir()
    (tmp_path / "draft" / "total.j2").write_text("总分 {{ show(no_such_fact) }}", "utf-8")
    figures = load_figures(EX2024)
    with pytest.raises(DraftError, match="no_such_fact"):
        render_draft(figures, session.score(figures), templates_dir=tmp_path)


def test_user_templates_override_bundled(session: Session, tmp_path: Path) -> None:
    (tmp_path / "draft" / "indicators").mkdir(parents=True)
    (tmp_path / "draft" / "indicators" / "satisfaction.j2").write_text("满意度为{{ show(satisfaction) }}，得{{ show(ind.score) }}分。", "utf-8")
    figures = load_figures(EX2024)
    md = render_draft(figures, session.score(figures), templates_dir=tmp_path).markdown
    assert "满意度为95.00%，得6分。" in md


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("approved: 46", "approved: forty-six", "staff.approved"),
        ("actual: 23,063.68 万元", "actual: -5 万元", "budget.actual：-5 万元 为负数"),
        ("satisfaction: 95", "satisfaction: 120", "satisfaction：120% 不在 0–100% 之间"),
        ("unit: 深圳", "bogus_field: 1\nunit: 深圳", "bogus_field：未知字段"),
    ],
)
def test_bad_figures_give_a_field_message_and_write_nothing(tmp_path: Path, capsys, old: str, new: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EX2024.read_text("utf-8").replace(old, new, 1), "utf-8")
    out = tmp_path / "draft.md"
    assert main(["draft", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml: 第" in err and message in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_draft_json_and_files(tmp_path: Path, capsys) -> None:
    out, docx = tmp_path / "r.md", tmp_path / "r.docx"
    assert main(["draft", str(EX2024), "-o", str(out), "--docx", str(docx), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 96.15 and [s["name"] for s in data["sections"]][0] == "基本情况"
    numbers = [n for s in data["sections"] for n in s["numbers"]]
    assert {"text": "1.68", "source": "scorer:futian_department.procurement"} in numbers
    assert "5.47" in out.read_text("utf-8") and docx.stat().st_size > 10_000


def test_init_writes_a_template_and_never_overwrites(tmp_path: Path, capsys) -> None:
    target = tmp_path / "figures.yaml"
    assert main(["draft", "--init", "-o", str(target)]) == 0
    assert "quarterly_progress" in target.read_text("utf-8")
    assert main(["draft", "--init", "-o", str(target)]) == 2
    assert "文件已存在" in capsys.readouterr().err
    assert main(["draft", "--init", "--from", str(EX2024), "-o", str(target), "--force"]) == 0
    assert load_figures(target).year == 2024


def test_bad_source_for_init_is_not_copied(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: x\n", "utf-8")
    assert main(["draft", "--init", "--from", str(bad), "-o", str(tmp_path / "new.yaml")]) == 2
    assert not (tmp_path / "new.yaml").exists()
    with pytest.raises(FiguresError, match="year"):
        load_figures(bad)


def test_scores_in_draft_are_decimals(session: Session) -> None:
    figures = load_figures(EX2024)
    assert session.score(figures).get("预算执行率").score == Decimal("5.47")


def test_the_year_before_is_called_last_year(session: Session) -> None:
    figures = load_figures(EX2024)
    previous = load_figures(EX2021).model_copy(update={"year": 2023, "published_total": None})
    md = render_draft(figures, session.score(figures), previous=previous, previous_sheet=session.score(previous)).markdown
    assert "较上年提高 30.28 个百分点" in md
    assert "上年（2023年）得分为 94.32 分（按本年评分规则重算），本年较上年提高 1.83 分" in md
