"""Reports the ingestion was not written for (tests/data/external, copied from the project's shared
data): a third-party 河南 evaluation with a page-broken scoring table, and a 上海 部门决算."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.ingest import Document, load_document
from assistant.ingest.cell_tables import PART_BREAK
from assistant.ingest.patterns import canonical_source, squash

DATA = Path(__file__).parents[1] / "data"
HENAN = DATA / "external" / "01_henan_skills_competition_2021_2024_eval.txt"
PUTUO = DATA / "external" / "02_shanghai_putuo_finance_2024_final_accounts.txt"
TRUTH = yaml.safe_load((DATA / "truth" / "ingestion.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def henan() -> Document:
    return load_document(HENAN)


@pytest.fixture(scope="module")
def putuo() -> Document:
    return load_document(PUTUO)


def leaves(doc: Document):
    return [r for r in doc.records if r.source == "table" and r.score is not None]


def test_every_henan_scoring_row_is_read_exactly(henan: Document) -> None:
    """The 28 rows written down by hand (tests/data/truth/ingestion.yaml) — names re-joined over page
    breaks, weights and scores that a page break cut taken from the summary tables 附表3-3…3-6."""
    by_code = {r.code: r for r in leaves(henan)}
    assert len(by_code) == len(leaves(henan)) == 28
    for row in TRUTH["henan_scoring_rows"]:
        rec = by_code[row["code"]]
        assert rec.name == row["name"] or row["name"] in rec.aliases, row["code"]
        assert rec.levels[0] == row["level1"] and rec.levels[1] == row["level2"], row["code"]
        assert rec.weight == Decimal(row["fubiao"]["weight"]) and rec.score == Decimal(row["score"]), row["code"]


def test_henan_names_cut_by_page_breaks_are_rejoined(henan: Document) -> None:
    names = {r.code: r.name for r in leaves(henan)}
    assert names["A102"] == "立项程序规范性"  # 'A102立项程序规范' / '性' across a page break
    assert names["B102"] == "制度执行有效性"
    assert names["D101"] == "省职业技能大赛资金使用效益"
    # a name cell that holds the start of the 指标解释 takes the summary table's name
    assert names["D402"] == "参赛选手、专家教练团队及选送单位补助对象满意度"
    assert not any(len(n) <= 2 or "，" in n for n in names.values())


def test_henan_missing_cells_are_filled_and_sourced(henan: Document) -> None:
    by_code = {r.code: r for r in leaves(henan)}
    a302 = by_code["A302"]  # no 得分 cell: the 附表 gives 1.00
    assert a302.score == Decimal("1.00") and any("A302" in ref.quote for ref in a302.confirmed_by)
    a102 = by_code["A102"]  # no 得分 cell: its own verdict '综上，该指标得0.00分'
    assert a102.score == Decimal("0.00") and "该指标得0.00分" in (a102.reason or "")
    assert by_code["C102"].weight == Decimal("3.00")
    assert "主办方、承办方满意度" in by_code["D401"].aliases  # the summary table's name for it


def test_henan_table_adds_up_and_summary_tables_agree(henan: Document) -> None:
    assert henan.total_score == Decimal("65.00") and henan.grade == "中"
    assert sum(r.score for r in leaves(henan)) == Decimal("65.00")
    assert sum(r.weight for r in leaves(henan)) == 100
    subtotals = {c.group: c for c in henan.checks if c.kind == "subtotal"}
    for group, score in {"决策": "10.40", "过程": "11.47", "产出": "19.88", "效益": "23.25"}.items():
        assert subtotals[group].stated == Decimal(score) and subtotals[group].ok
    assert all(c.ok for c in henan.checks) and not henan.warnings


def test_henan_transposed_level1_table_is_not_read_as_indicators(henan: Document) -> None:
    names = {n for r in henan.records for n in r.levels}
    assert not names & {"分值", "得分", "得分率", "15.00", "25.00"}


def test_henan_metadata(henan: Document) -> None:
    assert henan.kind == "项目支出绩效评价" and henan.evaluation == "第三方评价"
    assert henan.evaluator == "河南昭元绩效评价咨询有限公司"
    assert henan.year == "2021-2024" and henan.unit == "河南省人力资源和社会保障厅"


def test_henan_reasons_and_quotes_are_verbatim(henan: Document) -> None:
    src = canonical_source(HENAN.read_text("utf-8"))
    for r in henan.records:
        for text in (r.reason, r.rule, r.explanation, r.quote):
            for part in (text or "").split(PART_BREAK):
                assert squash(part) in src, (r.code, part[:40])


def test_year_on_its_own_line_and_title_block(putuo: Document) -> None:
    assert putuo.title == "上海市普陀区财政局2024年度部门决算"
    assert putuo.year == "2024" and putuo.kind == "部门决算" and putuo.evaluation is None
    assert putuo.total_score is None and putuo.grade is None  # 平均得分99.43 is not this document's total
    assert not leaves(putuo)


def test_table_of_contents_is_not_headings(putuo: Document) -> None:
    titles = [s.title for s in putuo.sections]
    assert titles == ["第一部分 上海市普陀区财政局概况", "第二部分 上海市普陀区财政局2024年度部门决算表",
                      "第三部分上海市普陀区财政局2024年度部门决算情况说明", "第四部分 名词解释"]
    # the tables of 第二部分 are printed without the numbers the TOC gives them; the TOC confirms them
    part2 = [c.title for c in putuo.sections[1].children]
    assert part2[:3] == ["收入支出决算总表", "收入决算表", "支出决算表"]
    # glossary entries ('一、财政拨款收入：指…') are text, not headings
    assert not putuo.sections[3].children


def test_truth_headings_of_all_twelve_documents() -> None:
    """Every top-level heading the truth lists is found, and no TOC line or list item is a heading."""
    folders = [Path(__file__).parents[2] / "corpus", DATA / "external", DATA / "foreign"]
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            t = TRUTH["documents"][path.name]
            doc = load_document(path)
            roots = {s.line for s in doc.sections}
            for h in t["top_headings"]:
                # 002 prints its scoring table under a caption with no 附件 label: a table inside 四、 here
                if h.get("line") and not h.get("annex"):
                    assert any(abs(h["line"] - r) <= 1 for r in roots), (path.name, h)

            def lines(sections):
                for s in sections:
                    yield s.line
                    yield from lines(s.children)

            bad = {i["line"] for i in t.get("list_items_not_headings") or []}
            if t.get("toc_lines"):
                bad |= set(range(t["toc_lines"][0], t["toc_lines"][1] + 1))
            assert not bad & set(lines(doc.sections)), path.name


def test_numbered_list_items_are_not_headings() -> None:
    doc = load_document(Path(__file__).parents[2] / "corpus" / "004_2a5a53dce232ebf3.txt")
    duties = doc.sections[0].children[0]
    assert duties.title == "（一）部门主要职能"
    assert not any(c.title.startswith(("14.", "16.")) for c in duties.children)


def test_one_row_per_indicator_with_the_explaining_reason() -> None:
    doc = load_document(Path(__file__).parents[2] / "corpus" / "001_fe42dec7ad1cb942.txt")
    rows = [r for r in doc.indicators() if r.deduction]
    names = [r.name for r in rows]
    assert len(names) == len(set(names)) == 7
    target = next(r for r in rows if r.name == "绩效目标合理性")
    assert target.also_stated and target.source == "table"
    assert not target.reason.startswith(("绩效目标合理性指标权重", "该指标考"))
    assert "资金到位及时率" in target.reason
