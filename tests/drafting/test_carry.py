"""Carrying last year's report forward: every number renewed from this year's figures or marked, never
left stale; years advance; directions, claims, causes and problems follow the new figures."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.api import Session
from assistant.cli import main
from assistant.config import Settings
from assistant.drafting.carried import MARK, CarriedDraft
from assistant.drafting.carry import CarryError, carry_forward
from assistant.drafting.vocab import VocabError, load_vocab
from assistant.figures import Figures, load_figures, parse_figures
from assistant.ingest import parse_document
from assistant.ingest.model import Document

ROOT = Path(__file__).resolve().parents[2]
EX2021, EX2024, EX2025 = (ROOT / "examples" / f"futian_{y}.yaml" for y in (2021, 2024, 2025))


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(Settings())


def report(body: str, year: int = 2024) -> Document:
    text = f"{year}年度部门整体支出绩效自评报告\n\n一、部门基本情况\n\n（一）预算执行情况\n\n{body}\n"
    return parse_document("syn.txt", text, "h")


def figures_2025(**replace: str) -> Figures:
    text = EX2025.read_text("utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_figures(text.replace("previous: futian_2024.yaml\n", ""))


def carry(session: Session, doc: Document, figures: Figures, previous: Path | None = EX2024) -> CarriedDraft:
    prev = load_figures(previous) if previous else None
    return carry_forward(doc, figures, session.score(figures), previous=prev,
                         previous_sheet=session.score(prev) if prev else None)


def body(draft: CarriedDraft) -> str:
    return "\n".join(p.text for p in draft.paragraphs if p.kind == "text")


def outside_marks(text: str) -> str:
    return MARK.sub("", text)


# ---------------------------------------------------------------- the stale-number rule


def test_a_number_the_figures_cannot_renew_is_marked_with_its_old_value(session: Session) -> None:
    doc = report("2024 年度，我局新增配置固定资产 35.61 万元，政府采购预算金额 657.77 万元。")
    draft = carry(session, doc, figures_2025())
    text = body(draft)
    assert "〔待核：旧值 35.61 万元，数据文件中无此项〕" in text
    assert "政府采购预算金额 720.00 万元" in text
    assert "35.61" not in outside_marks(text) and "657.77" not in text
    assert draft.unmarked_stale() == []
    sentences = [s for p in draft.paragraphs if p.kind == "text" and p.heading_path for s in p.sentences]
    assert sentences == ["marked"]


def test_every_digit_left_outside_a_mark_is_accounted_for_in_the_ledger(session: Session) -> None:
    for doc_id, figures, previous in (("004", EX2025, EX2024), ("002", EX2024, EX2021)):
        draft = carry(session, session.document(doc_id), load_figures(figures), previous)
        assert draft.unmarked_stale() == []
        for p in draft.paragraphs:
            for e in p.entries:
                words = ("claim", "cause", "problem", "direction")
                if e.status == "marked" and e.old and e.kind not in words:
                    # a marked number's old value is only ever printed inside its mark
                    assert e.span and MARK.fullmatch(p.text[e.span[0]:e.span[1]]), (p.line, e.old)


def test_the_audit_catches_a_number_left_stale(session: Session) -> None:
    draft = carry(session, report("我局核定编制 46 人，其他人员 6 人。"), figures_2025())
    assert draft.unmarked_stale() == []
    p = next(p for p in draft.paragraphs if "核定编制" in p.text)
    p.text = p.text.replace("48 人", "46 人，另有 12 人")  # what a careless edit would leave behind
    assert any("'12'" in s for s in draft.unmarked_stale())


def test_last_years_value_confirms_the_link_and_a_mismatch_is_marked(session: Session) -> None:
    doc = report("“三公”经费年初预算安排 8.65 万元，全年预算安排 13.50 万元，实际支出数 9.21 万元，控制率 68.22%。")
    text = body(carry(session, doc, figures_2025()))
    assert "全年预算安排 12.80 万元，实际支出数 10.05 万元，控制率 78.52%" in text
    assert "〔待核：旧值 8.65 万元" in text  # 年初 is not the full-year budget the figures give
    # without last year's figures the words alone link, and 年初 still rules the full-year budget out
    text = body(carry(session, doc, figures_2025(), previous=None))
    assert "全年预算安排 12.80 万元" in text and "〔待核：旧值 8.65 万元" in text


def test_a_number_of_another_year_in_the_sentence_is_not_renewed(session: Session) -> None:
    text = body(carry(session, report("2023年部门预算支出25,895.98万元。"), figures_2025()))
    assert "〔待核：旧值 25,895.98万元，原文所述为 2023 年（非报告年度）的数值〕" in text
    assert text.startswith("2024年部门预算支出")  # the year itself advances


# ---------------------------------------------------------------- years


def test_years_advance_and_cited_documents_are_checked(session: Session) -> None:
    doc = report("根据《关于开展2024年度预算绩效自评工作的通知》（福财〔2025〕53号）和《预算法》（深财绩〔2019〕5号），"
                 "开展了 2023 年度绩效自评、2025 年度绩效目标编报，截至 2024 年 12 月 31 日完成。"
                 "2024 年 5 月召开会议。")
    text = body(carry(session, doc, figures_2025()))
    assert "《关于开展2025年度预算绩效自评工作的通知》" in text
    assert "〔待核：旧值 福财[2025]53号，文号为上年文件，请填写本年文号〕" in text
    assert "深财绩〔2019〕5号" in text  # an older document keeps its number
    assert "开展了 2024 年度绩效自评、2026 年度绩效目标编报，截至 2025 年 12 月 31 日完成" in text
    assert "〔待核：旧值 2024 年 5 月，具体日期为上年情况〕" in text


def test_last_years_causes_are_marked_and_their_years_not_advanced(session: Session) -> None:
    doc = report("政府采购执行率 68.11%，主要原因是 2024 年咨询服务项目合同尚未履约完毕，预计在 2025 年度完成支付。")
    text = body(carry(session, doc, figures_2025()))
    assert "政府采购执行率 100.00%" in text
    assert "〔待核：旧值 2024，原因说明中的年份，未顺延〕" in text
    assert text.endswith("〔待核：原因说明为 2024 年情况，请按本年情况改写〕。")


# ---------------------------------------------------------------- direction words and claims


def test_a_change_against_last_year_is_renewed_and_a_turned_direction_marked(session: Session) -> None:
    doc = report("2024年度我局年初预算总规模25,895.98万元。2024年度相较于2023年度增加2,357.65万元，增长10.02%。")
    text = body(carry(session, doc, figures_2025()))
    # 24,310.50 against 25,895.98: down 1,585.48 (6.12%), so 增加 no longer holds
    assert "2025年度相较于2024年度增加1,585.48万元〔待核：方向已变：本年较上年为减少/下降，原文“增加”不再成立〕" in text
    assert "增长6.12%" in text
    rising = figures_2025(**{"initial: 24,310.50 万元": "initial: 26,000.00 万元"})
    text = body(carry(session, doc, rising))
    assert "增加104.02万元，增长0.40%。" in text and "方向已变" not in text


def test_a_change_without_last_years_figures_is_marked(session: Session) -> None:
    doc = report("2024年度我局年初预算总规模25,895.98万元。2024年度相较于2023年度增加2,357.65万元。")
    text = body(carry(session, doc, figures_2025(), previous=EX2021))
    assert "〔待核：旧值 2,357.65万元，2024 年数据不在数据文件中，无法更新与上年的比较〕" in text


def test_an_adjustment_whose_direction_turned_is_marked(session: Session) -> None:
    doc = report("全年预算数为 25,007.68 万元，共调减 888.3 万元。")
    text = body(carry(session, doc, figures_2025()))
    assert "共调减 809.9 万元〔待核：方向已变：本年为调增，原文“调减”不再成立〕" in text
    cut = figures_2025(**{"adjusted: 25,120.40 万元": "adjusted: 23,500.60 万元"})
    assert "方向已变" not in body(carry(session, doc, cut))


def test_claims_follow_the_new_figures(session: Session) -> None:
    doc = report("我局共有二级预算项目 31 个，及时完成 31 个，项目完成及时率为 100%，各项目均能够按照计划完成。"
                 "本年度共收到信访均在规定的时限内回复，未发生超期情况。")
    text = body(carry(session, doc, figures_2025()))
    assert "共有二级预算项目 30 个，及时完成 29 个，项目完成及时率为 96.67%" in text
    assert "均能够按照计划完成〔待核：本年项目完成及时率为 96.67%，与“所有项目均按期完成”不符〕" in text
    assert "未发生超期情况。" in text  # it still holds
    on_time = figures_2025(**{"completed_on_time: 29": "completed_on_time: 30"})
    text = body(carry(session, doc, on_time))
    assert "项目完成及时率为 100%，各项目均能够按照计划完成。" in text


# ---------------------------------------------------------------- problems follow the scores


def test_problems_follow_the_new_scores(session: Session) -> None:
    draft = carry(session, session.document("004"), load_figures(EX2025))
    headings = {p.old: p.text for p in draft.paragraphs if p.kind == "heading"}
    # procurement is fully executed and 绩效指标明确性 earns full marks: those problems are marked …
    assert headings["2. 政府采购执行率有待提高"].startswith(
        "2. 政府采购执行率有待提高〔待核：本年“政府采购执行情况”得满分（2 分），此问题可能已不存在")
    assert "〔待核：本年“绩效指标明确性”得满分（7 分）" in headings["1. 个别绩效指标设置不合理"]
    # … staffing still loses points: that problem stays, with this year's numbers
    assert headings["3. 编外人员管理有待加强"] == "3. 编外人员管理有待加强"
    staffing = next(p.text for p in draft.paragraphs if p.old.startswith("截至 2024 年 12 月 31 日，我局核定编制")
                    and "编外人员控制率 51.28%，编外人员管理情况有待加强" in p.old and "财政供养" not in p.old)
    assert "核定编制 48 人，年末实有人数 45 人" in staffing and "编外人员控制率 44.44%，编外人员管理情况有待加强。" in staffing
    # a project ran late: the scorer deducts 0.2, and the report has no problem about it
    added = [p.text for p in draft.paragraphs if p.added]
    assert added == ["〔待补：本年“项目完成及时性”扣 0.2 分（分值 6 分，得分 5.8 分）；数据文件所列问题："
                     "“个别项目未按计划时间完成”。原报告未述及此问题，请补写〕"]


def test_a_deduction_for_an_indicator_now_at_full_marks_is_marked(session: Session) -> None:
    draft = carry(session, session.document("002"), load_figures(EX2024), EX2021)
    text = body(draft)
    assert "此项需扣〔待核：旧值 1分，本年“财务合规性”得满分，未扣分〕" in text
    assert "（4）调整资金累计超过预算总规模的10%〔待核：本年“财务合规性”得满分（3 分）" in text
    assert "2024年度我局编外人员控制率达51.28%" in text  # still losing the point: kept, renewed


# ---------------------------------------------------------------- the real reports


def test_forward_from_2021_reproduces_2024s_published_numbers(session: Session) -> None:
    draft = carry(session, session.document("002"), load_figures(EX2024), EX2021)
    text = body(draft)
    for sentence in ("2024年我局预算调整后年度总指标为25,007.68万元",
                     "截至2024年年末，我局实际支出23,063.68万元",
                     "2024年部门整体预算执行率达92.23%，预算执行情况较好",
                     "日常公用经费调整后年度总指标为74.88万元，实际支出54.08万元，日常公用经费控制率为72.22%",
                     "2024年度我局政府采购预算数为657.77万元",
                     "政府采购实际支出448.01万元",
                     "我局核定编制数46人，实有在职人员38人",
                     "第一季度预算执行率为24.48%",
                     "自评总体得分为96.15分"):
        assert sentence in text, sentence
    # every score of the scoring table equals the one 004 prints
    published = {r.name: r.score for r in session.document("004").records if r.source == "table"}
    sheet = session.score(load_figures(EX2024))
    scores = [e for e in draft.ledger if e.quantity and e.quantity.startswith("score:")]
    assert len(scores) == 21
    for e in scores:
        name = sheet.get(e.quantity.removeprefix("score:")).name
        assert Decimal(e.new) == published[name], name  # type: ignore[arg-type]


def test_every_changed_figure_reaches_every_sentence_that_states_it(session: Session) -> None:
    doc = session.document("004")
    draft = carry(session, doc, load_figures(EX2025))
    new = {(e.line, e.at): e for e in draft.ledger}
    changed = {"657.77": "720.00", "448.01": "720.00", "68.11%": "100.00%", "51.28%": "44.44%",
               "82.61%": "93.75%", "24.48%": "20.10%", "55.25%": "45.30%", "53.38%": "70.25%",
               "92.23%": "95.96%", "25,007.68": "25,120.40", "23,063.68": "24,105.32", "96.15": "98.21"}
    found = 0
    for p in doc.paragraphs:
        for old, expected in changed.items():
            for m in re.finditer(re.escape(old) + r"(?!\d)", p.text):
                found += 1
                e = new[(p.line, m.start())]
                assert e.status == "marked" or (e.new or "").startswith(expected), (p.line, old, e)
    assert found >= 20


# ---------------------------------------------------------------- command line, Word, vocabulary


def test_draft_from_a_report_writes_markdown_word_and_the_ledger(tmp_path: Path, capsys) -> None:
    out, docx = tmp_path / "2025自评.md", tmp_path / "2025自评.docx"
    assert main(["draft", "--from", "004", str(EX2025), "-o", str(out), "--docx", str(docx), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["from"].startswith("004") and data["year"] == 2025 and data["total"] == 98.21
    numbers = [n for s in data["sections"] for n in s["numbers"]]
    assert {"old": "657.77 万元", "new": "720.00 万元", "source": "figures:procurement.plan",
            "status": "renewed"}.items() <= next(n for n in numbers if n["old"] == "657.77 万元").items()
    score = next(n for n in numbers if n["source"] == "scorer:futian_department.procurement")
    assert score["old"] == "1.68" and score["new"] == "2.00" and any("100%" in step for step in score["trace"])
    marked = next(n for n in numbers if n["old"] == "1187.08 亿元")
    assert marked["status"] == "marked" and marked["new"] is None and marked["reason"] == "数据文件中无此项"
    assert data["counts"]["sentences"]["marked"] > 0 and data["counts"]["numbers"]["renewed"] > 100
    markdown = out.read_text("utf-8")
    assert markdown.startswith("# 2025 年度部门整体绩效评价报告\n") and "〔待核：" in markdown

    from docx import Document as Docx

    word = Docx(str(docx))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) == sum(1 for line in markdown.splitlines() if re.match(r"#{2,6} ", line))
    assert "（二）部门整体支出绩效存在问题及改进措施" in headings and len(word.tables) == 2
    assert any(r.font.highlight_color for p in word.paragraphs for r in p.runs if r.text.startswith("〔待核"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "999"], "语料中没有报告 '999'"),
        (["--from", "004", "--section", "存在问题"], "--from 与 --section 不能同时使用"),
    ],
)
def test_draft_from_errors_are_one_line(capsys, args: list[str], message: str) -> None:
    assert main(["draft", str(EX2025), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_figures_older_than_the_report_are_refused(session: Session) -> None:
    with pytest.raises(CarryError, match="早于报告"):
        carry(session, session.document("004"), load_figures(EX2021), previous=None)


def test_a_bad_vocabulary_names_the_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "carry.yaml"
    text = (ROOT / "assistant" / "drafting" / "carry.yaml").read_text("utf-8")
    bad.write_text(text.replace('label: 政府采购预算\n    cues: ["(政府采购)?预算(金额|数)?"',
                                'label: 政府采购预算\n    cues: ["(政府采购预算"', 1), "utf-8")
    with pytest.raises(VocabError) as err:
        load_vocab(bad)
    where = r"carry\.yaml: line \d+: quantities\.procurement\.plan\.cues\.0\.cue: "
    assert re.search(where + ".*not a valid pattern", str(err.value))


def test_without_last_years_figures_an_ambiguous_list_is_marked_not_guessed(session: Session) -> None:
    doc = report("2024年各季度执行率分别为97.92%、110.50%、71.17%、92.23%。")
    text = body(carry(session, doc, figures_2025(), previous=None))
    # progress (24.48%) or progress ÷ schedule (97.92%)? only last year's values can tell
    assert "〔待核：旧值 97.92%，可能指一季度预算执行率（累计支出进度）、一季度执行率（支出进度 ÷ 序时进度），" in text
    text = body(carry(session, doc, figures_2025()))
    assert "2025年各季度执行率分别为80.40%、90.60%、93.67%、95.96%。" in text
