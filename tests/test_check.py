"""The consistency checker on the twelve real reports: the real contradictions (verified by reading the
text and the blind list in tests/data/truth/contradictions.yaml), nothing false above low, rounding
never above low, and figures planted in a copy found at their spot."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.check import check_corpus, check_document, verbatim
from assistant.checks.numbers import Span, judge
from assistant.cli import main
from assistant.config import bundled_corpus_dir
from assistant.corpus import Corpus
from assistant.ingest import Document, load_document, parse_document
from assistant.ingest.patterns import canonical_source

DATA = Path(__file__).parent / "data"
OTHERS = sorted((DATA / "external").glob("*.txt")) + sorted((DATA / "foreign").glob("*.txt"))


@pytest.fixture(scope="module")
def findings(corpus: Corpus) -> dict[str, list]:
    return {d.id[:3]: check_document(d) for d in corpus}


@pytest.fixture(scope="module")
def others() -> dict[str, Document]:
    return {p.stem: load_document(p) for p in OTHERS}


def _doc(others: dict[str, Document], prefix: str) -> Document:
    return next(d for k, d in others.items() if k.startswith(prefix))


def _planted(path: Path, old: str, new: str, nth: int = 0) -> Document:
    text = path.read_text("utf-8")
    at = -1
    for _ in range(nth + 1):
        at = text.index(old, at + 1)
    return parse_document(path.name, text[:at] + new + text[at + len(old):], "h", str(path))


# ------------------------------------------------------------------------------ bundled reports

def test_000_innovation_indicator_12_in_text_9_in_annex(findings) -> None:
    f = [f for f in findings["000"] if f.kind == "value_twice" and f.severity != "low"]
    assert len(f) == 1 and f[0].severity == "high"
    assert "辖区创新能力提升" in f[0].message and "12" in f[0].message and "9" in f[0].message


def test_001_execution_rate_99_99_vs_99_97(findings) -> None:
    f = [f for f in findings["001"] if f.rule == "repeats.rates_twice"]
    assert len(f) == 1 and f[0].severity == "medium"
    assert "99.97%" in f[0].message and "99.99%" in f[0].message
    assert {e.page for e in f[0].evidence} == {6, 28}


def test_001_score_rate_column_breaks_its_own_rule(findings) -> None:
    """C08: every other row of 表3 prints 得分 ÷ 权重 in its last column; 预算执行率 prints its own 99.99%."""
    f = [f for f in findings["001"] if f.rule.startswith("sums.column_formulas")]
    assert len(f) == 1 and "99.99%" in f[0].message and "99.75%" in f[0].message and f[0].evidence[0].line == 562


def test_002_procurement_rule_gives_1_38_not_2(findings) -> None:
    f = [f for f in findings["002"] if f.kind == "rule_vs_score"]
    assert len(f) == 1 and f[0].severity == "high"
    assert "1.38" in f[0].message and "730.68" in f[0].computation


def test_002_listed_parts_exceed_the_budget_and_quarters_stated_twice(findings) -> None:
    parts = [f for f in findings["002"] if f.rule == "sums.listed_parts"]
    assert len(parts) == 1 and "43,211.54" in parts[0].message  # C14: 离退休 22.33 counted twice
    quarters = sorted(f.message for f in findings["002"] if f.rule == "series.quarter_statements")
    assert len(quarters) == 2 and "15.64%" in quarters[0] and "62.56%" in quarters[0]  # C17
    assert "25.37%" in quarters[1] and "82.02%" in quarters[1]  # C18


def test_004_cumulative_quarters_decrease_and_satisfaction_claim(findings) -> None:
    series = [f for f in findings["004"] if f.kind == "series"]
    assert len(series) == 1 and "53.38" in series[0].message and "55.25" in series[0].message  # C36
    claim = [f for f in findings["004"] if f.kind == "claim_vs_table"]
    assert len(claim) == 1 and "95%" in claim[0].message and "受支持企业满意度 80%" in claim[0].message  # C31


def test_names_that_differ_between_text_and_table(findings) -> None:
    low = {k: [f.message for f in v if f.kind == "naming"] for k, v in findings.items()}
    assert len(low["000"]) == 2 and "项目立项充分性" in low["000"][0] and "立项依据充分性" in low["000"][0]
    assert "创新驱动与产业服务" in low["000"][1]  # C06: the cover's name and the text's
    assert len(low["001"]) == 1 and "预算编制合理性" in low["001"][0] and "预算编制科学性" in low["001"][0]


def test_every_bundled_finding_is_one_we_judged(findings) -> None:
    """The findings read and judged in docs/benchmarks.md (consistency checker), by report and severity."""
    count = {k: [sum(f.severity == s for f in v) for s in ("high", "medium", "low")] for k, v in findings.items()}
    assert count == {"000": [1, 0, 7], "001": [0, 2, 3], "002": [1, 5, 4], "003": [0, 3, 2], "004": [0, 2, 4]}


def test_002_three_first_level_indicators_listing_two(findings) -> None:
    """C22: '分别设置了“产出”、“效益”三个一级绩效指标' names two."""
    f = [f for f in findings["002"] if f.rule == "claims.counted_lists"]
    assert len(f) == 1 and f[0].severity == "medium" and "2 个" in f[0].message and f[0].evidence[0].line == 91


def test_003_fifteen_percent_of_210_is_not_30(findings) -> None:
    """C27: '210 万,2019 年支付费用的 15%即 30 万' — 31.5 万; a schedule's 15% is a term, not rounded."""
    f = [f for f in findings["003"] if f.rule == "formulas.part_of"]
    assert len(f) == 1 and f[0].severity == "medium" and "31.50" in f[0].message


def test_002_personnel_costs_list_both_parts_short_of_the_total(findings) -> None:
    """C23: '人员经费支出606.07万元，其中工资福利支出489.49万元、对个人和家庭的补助15.48万元' — the two
    parts of 人员经费 by the 经济分类 add up to 504.97; a list naming every part is not a partial one."""
    f = [f for f in findings["002"] if f.rule == "sums.closed_parts"]
    assert len(f) == 1 and f[0].severity == "low" and "504.97" in f[0].message and f[0].evidence[0].line == 162


def test_closed_parts_that_add_up_or_a_partial_list_are_not_findings() -> None:
    path = bundled_corpus_dir() / "002_7caf6f40ccb13888.txt"
    sentence = "其中工资福利支出489.49万元、对个人和家庭的补助15.48万元"
    for new in ("其中工资福利支出590.59万元、对个人和家庭的补助15.48万元",  # adds up to 606.07
                "其中工资福利支出489.49万元",  # one part named: may be partial
                "其中工资福利支出489.49万元、奖金15.48万元"):  # not the classification's parts
        found = check_document(_planted(path, sentence, new))
        assert not [f for f in found if f.rule == "sums.closed_parts"], new
    text = "2024年基本支出120.00万元，其中人员经费100.00万元、公用经费15.00万元。\n"
    found = [f for f in check_document(parse_document("t.txt", text, "h")) if f.rule == "sums.closed_parts"]
    assert len(found) == 1 and "115" in found[0].message
    ok = parse_document("t.txt", text.replace("15.00", "20.00"), "h")
    assert not [f for f in check_document(ok) if f.rule == "sums.closed_parts"]


def test_002_the_whole_budget_called_the_projects_budget(findings) -> None:
    """C16: '项目预算总指标81,164.95万元' where L95 splits 81,164.95 into 基本支出 710.04 + 项目支出 80,454.91."""
    f = [f for f in findings["002"] if f.rule == "sums.whole_as_part"]
    assert len(f) == 1 and f[0].severity == "low" and "80,454.91" in f[0].message
    assert [e.line for e in f[0].evidence] == [155, 95]


def test_whole_as_part_not_when_the_projects_figure_is_the_part() -> None:
    path = bundled_corpus_dir() / "002_7caf6f40ccb13888.txt"
    ok = _planted(path, "2021年项目预算总指标81,164.95万元", "2021年项目预算总指标80,454.91万元")
    assert not [f for f in check_document(ok) if f.rule == "sums.whole_as_part"]
    text = ("2024年预算总指标为100.00万元，包括基本支出40.00万元和项目支出60.00万元。\n"
            "部门预算总指标100.00万元，全年执行率95%。\n")
    assert not [f for f in check_document(parse_document("t.txt", text, "h")) if f.rule == "sums.whole_as_part"]
    wrong = parse_document("t.txt", text.replace("部门预算", "项目预算"), "h")
    assert len([f for f in check_document(wrong) if f.rule == "sums.whole_as_part"]) == 1


def test_jiangsu_class_change_not_the_sum_of_its_items_changes(others) -> None:
    """C71: 公共安全（类）+134.37 万元, while its five 项 (amounts adding up to the 类's 16,593.12) changed
    by +1385.26 −1311.6 −709.4 and two new 项 of 315 and 469.5 (上年…无此项级科目): +148.76."""
    f = [f for f in check_document(_doc(others, "02_jiangsu_proc")) if f.rule == "sums.changes_of_parts"]
    assert len(f) == 1 and f[0].severity == "low" and "148.76" in f[0].message and "134.37" in f[0].message
    assert [e.line for e in f[0].evidence] == [628, 677, 680, 689, 694, 697]


def test_changes_of_parts_that_add_up_or_a_list_not_whole_are_not_findings() -> None:
    text = ("一、支出预算\n1．公共安全（类）支出300.00万元。与上年相比增加20.00万元，增长7.14%。\n"
            "五、财政拨款支出预算情况说明\n（一）公共安全（类）\n"
            "1．检察（款）行政运行（项）支出200.00万元，与上年相比增加30.00万元，增长17.65%。\n"
            "2．检察（款）检察监督(项)支出100.00万元，与上年相比减少10.00万元，减少9.09%。\n")
    rule = "sums.changes_of_parts"
    assert not [f for f in check_document(parse_document("t.txt", text, "h")) if f.rule == rule]
    wrong = parse_document("t.txt", text.replace("减少10.00", "减少5.00").replace("减少9.09", "减少4.76"), "h")
    found = [f for f in check_document(wrong) if f.rule == rule]
    assert len(found) == 1 and found[0].severity == "medium" and "25.00" in found[0].message
    # the 项 add up to less than the 类: a list that is not whole is not compared
    partial = parse_document("t.txt", text.replace("减少10.00", "减少5.00").replace("支出100.00万元", "支出90.00万元"), "h")
    assert not [f for f in check_document(partial) if f.rule == rule]


def test_evidence_is_verbatim_in_all_twelve(corpus: Corpus, findings, others) -> None:
    for d in list(corpus) + list(others.values()):
        src = canonical_source(Path(d.path).read_text("utf-8"))
        assert all(verbatim(src, f) for f in check_document(d)), d.id


# ------------------------------------------------------------------- external and foreign reports

def test_henan_has_no_false_high_or_medium(others) -> None:
    """The two false highs of the old checker (165 vs 65 and 34.02 vs 65) are gone: its scoring table
    adds up (10.40 + 11.47 + 19.88 + 23.25 = 65.00) and nothing else is above low but C51 (judged true)."""
    found = check_document(_doc(others, "01_henan"))
    assert [f.rule for f in found if f.severity != "low"] == ["tables.level_totals"]
    assert not any("165" in f.message or "34.02" in f.message for f in found)


def test_henan_summary_leaves_deducted_indicators_out(others) -> None:
    """C55: the summary's 效益 扣分项 omit D301/D302 (1.00 of 2 each); the other three levels' lists are
    whole (产出's 「一次性竞赛补贴补助对象达标率」 is the table's 「一次性竞赛补贴对达标率」)."""
    f = [f for f in check_document(_doc(others, "01_henan")) if f.rule == "met.deducted_unlisted"]
    assert len(f) == 1 and f[0].severity == "low" and f[0].message.startswith("效益")
    assert "产业驱动持续性" in f[0].message and "资源转化长效性" in f[0].message
    assert [e.line for e in f[0].evidence] == [15, 448, 449]


def test_deducted_unlisted_not_when_the_list_is_whole() -> None:
    path = DATA / "external" / "01_henan_skills_competition_2021_2024_eval.txt"
    whole = _planted(path, "集训基地建设与运营管理参赛选手职业能力晋升情况。",
                     "集训基地建设与运营管理参赛选手职业能力晋升情况、产业驱动持续性、资源转化长效性。")
    assert not [f for f in check_document(whole) if f.rule == "met.deducted_unlisted"]


def test_henan_point_met_against_its_own_values(others) -> None:
    """C52: D102 point ① asks 46届 人均集训成本 ≤ 47届's; the 评分说明 prints 4.30 and 2.21 and says 符合."""
    f = [f for f in check_document(_doc(others, "01_henan")) if f.rule == "met.point_against_values"]
    assert len(f) == 1 and f[0].severity == "low" and "4.30" in f[0].message and "2.21" in f[0].message
    assert f[0].evidence[0].line == 431


def test_point_against_values_not_when_the_values_meet_it() -> None:
    path = DATA / "external" / "01_henan_skills_competition_2021_2024_eval.txt"
    ok = _planted(path, "人均集训成本4.30万元", "人均集训成本1.30万元")
    assert not [f for f in check_document(ok) if f.rule == "met.point_against_values"]
    text = path.read_text("utf-8").replace("人均集训成本4.30万元", "人均集训成本1.30万元", 1)
    text = text.replace("2.21万元，符合评价要点①", "2.21万元，不符合评价要点①", 1)
    said_unmet = [f for f in check_document(parse_document("h.txt", text, "h")) if f.rule == "met.point_against_values"]
    assert len(said_unmet) == 1 and "1.30" in said_unmet[0].message and "不符合" in said_unmet[0].message


def test_henan_event_counts_under_the_same_year_class_and_event_count(others) -> None:
    """C41–C43: the problem analysis (L295) plans '2021年一类赛9个赛事36个赛项' where 表1-3 has 9个赛事34个赛项
    (and 二类 89/88, 2023 一类 40/62, 2024 二类 102/103); the other pairs agree and are not reported."""
    f = sorted(f.message for f in check_document(_doc(others, "01_henan")) if f.rule == "tables.pair_counts")
    assert len(f) == 4
    assert "2021 年「一类赛」9 个赛事：一处为 36 个赛项，另一处为 34 个赛项" in f[0]
    assert "89" in f[1] and "88" in f[1] and "40" in f[2] and "62" in f[2] and "102" in f[3] and "103" in f[3]


def test_pair_counts_not_under_another_event_count() -> None:
    """The same year and class with another 赛事 count is another group: not compared."""
    text = (DATA / "external" / "01_henan_skills_competition_2021_2024_eval.txt").read_text("utf-8")
    rule = "tables.pair_counts"
    for new, left in (("2021年计划一类赛9个赛事34个赛项", 3), ("2021年计划一类赛8个赛事36个赛项", 3)):
        doc = parse_document("h.txt", text.replace("2021年计划一类赛9个赛事36个赛项", new), "h")
        found = [f.message for f in check_document(doc) if f.rule == rule]
        assert len(found) == left and not any("一类赛」9 个赛事：一处为 36" in m for m in found), new


def test_growth_rates_the_amounts_do_not_give(others) -> None:
    justice = {f.message: f for f in check_document(_doc(others, "01_shanghai")) if f.kind == "rate_vs_amounts"}
    assert len(justice) == 3 and all(f.severity == "high" for f in justice.values())
    text = " ".join(justice)
    assert "17.62%" in text and "91.11%" in text  # C64: 43269.3 → 3845.49 is a fall
    assert "17.66%" in text and "17.93%" in text  # C65: the rate of the line above copied
    assert "5.27%" in text and "1.59%" in text  # C66: 201.50 where the table has 208.80
    proc = {f.message: f.severity for f in check_document(_doc(others, "02_jiangsu")) if f.kind == "rate_vs_amounts"}
    assert next(s for m, s in proc.items() if "13.22%" in m) == "high"  # C70: 1237.7 ÷ 5573.0 = 22.21%
    assert next(s for m, s in proc.items() if "34.38%" in m) == "medium"  # C74
    assert next(s for m, s in proc.items() if "10.06%" in m) == "medium"  # C73
    assert next(s for m, s in proc.items() if "10.15%" in m) == "low"  # R13: last digit only
    assert next(s for m, s in proc.items() if "35.77%" in m) == "low"


def test_a_share_set_to_make_100_percent_is_low(others) -> None:
    court = [f for f in check_document(_doc(others, "05_jiangsu")) if f.rule == "rates.shares"]
    assert [(f.severity, "0.64%" in f.message) for f in court] == [("low", True)]  # R16
    finance = [f for f in check_document(_doc(others, "02_shanghai")) if f.rule == "rates.shares"]
    assert len(finance) == 1 and "71.73%" in finance[0].message and finance[0].severity == "medium"  # C61


def test_garbled_budget_rows_are_not_accused(others) -> None:
    """03's 208 group lost two rows to garbled extraction: parents above their parsed rows are not findings."""
    assert [f for f in check_document(_doc(others, "03_shanghai")) if f.kind == "table_sum"] == []


# ------------------------------------------------------------------------------- planted figures

def test_planted_growth_rate_found_at_its_page() -> None:
    path = next(p for p in OTHERS if p.stem.startswith("05_jiangsu"))
    found = [f for f in check_document(_planted(path, "增长 6.69%", "增长 9.69%")) if f.kind == "rate_vs_amounts"]
    planted = [f for f in found if "9.69%" in f.message]
    assert len(planted) == 1 and planted[0].severity == "high" and planted[0].evidence[0].page == 19


def test_planted_budget_row_found_in_its_table() -> None:
    path = next(p for p in OTHERS if p.stem.startswith("01_shanghai"))
    found = [f for f in check_document(_planted(path, "普法宣传 1242900.00", "普法宣传 1342900.00"))
             if f.kind == "table_sum"]
    assert found and all(f.severity == "medium" for f in found)
    assert any(e.line == 149 and e.page == 11 for f in found for e in f.evidence)


def test_planted_score_in_a_table_is_medium_at_the_one_row_that_explains_the_break() -> None:
    """The table no longer adds up, so it is doubtful; the one row the text contradicts by exactly what
    the total is off is the cell that breaks it: medium, at that row."""
    path = bundled_corpus_dir() / "000_f9d7729b5d446041.txt"
    doc = _planted(path, "截留、挤占、挪用、虚列支出等情况(扣1分)。</p>\t2", "截留、挤占、挪用、虚列支出等情况(扣1分)。</p>\t3")
    assert doc.doubtful_records and not [r for r in doc.records if r.source == "table"]
    row = [f for f in check_document(doc) if f.rule == "breaks.row_breaks.score" and f.severity == "medium"]
    assert len(row) == 1 and "资金使用合规性" in row[0].message
    assert any(e.line == 415 for e in row[0].evidence)


def test_planted_score_in_a_summarised_table_is_medium_at_its_row() -> None:
    """Henan's A101 得分 2.00 → 1.00: the table fails its sums by 1; the commentary ('该指标得2.00分')
    and the summary row (2.00) say 2.00: that row is the one cell that breaks the table."""
    path = next(p for p in OTHERS if p.stem.startswith("01_henan"))
    doc = _planted(path, "符合评价要点④；综上，该指标得2.00分。\t2.00", "符合评价要点④；综上，该指标得2.00分。\t1.00")
    found = [f for f in check_document(doc) if f.severity != "low" and f.rule != "tables.level_totals"]  # C51, unplanted
    assert len(found) == 1 and found[0].rule == "breaks.row_breaks.score" and "立项依据充分性" in found[0].message
    assert found[0].evidence[0].line == 368


def test_planted_weight_against_the_framework_and_score_above_weight() -> None:
    """004's 预算编制规范性 分值 5 → 6: the 21 分值 add up to 101, and the framework the report applies
    gives 5; 财务合规性 得分 3 → 4 scores above its 分值 3."""
    path = bundled_corpus_dir() / "004_2a5a53dce232ebf3.txt"
    weight = [f for f in check_document(_planted(path, "预算编制规范性\t5.00", "预算编制规范性\t6.00"))
              if f.severity != "low" and f.rule.startswith("breaks")]
    assert [f.rule for f in weight] == ["breaks.row_breaks.weight"] and weight[0].evidence[0].line == 486
    text = path.read_text("utf-8")
    line = text.split("\n")[496]
    over = _planted(path, line, line[: line.rindex("3.00")] + "4.00" + line[line.rindex("3.00") + 4:])
    found = [f for f in check_document(over) if f.severity != "low" and f.rule.startswith("breaks")]
    assert [f.rule for f in found] == ["breaks.over_weight"] and "财务合规性" in found[0].message


def test_planted_row_under_a_wrapped_name_line_is_found() -> None:
    """A name cell wrapped onto its own line ('机关事业单位基本养老保险') is not a lost row."""
    path = next(p for p in OTHERS if p.stem.startswith("02_shanghai"))
    found = [f for f in check_document(_planted(path, "208 05 01 行政单位离退休 84.65", "208 05 01 行政单位离退休 81.65"))
             if f.rule == "sums.coded_trees"]
    assert found and found[0].severity == "medium" and any(e.line == 145 for e in found[0].evidence)


def test_planted_rate_among_three_amounts_and_in_a_comparison_sentence() -> None:
    """'年初预算 A，调整后预算 B，预算执行 C，执行率 R' (some pair must give R), and
    '公共安全（类）支出 X 万元。主要用于…。与上年相比增加 Y 万元，增长 Z%' (Z is about X)."""
    path = bundled_corpus_dir() / "000_f9d7729b5d446041.txt"
    found = [f for f in check_document(_planted(path, "预算执行 1,205.15", "预算执行 1,005.15")) if f.rule == "rates.ratio"]
    assert len(found) == 1 and found[0].severity == "medium" and "82.73%" in found[0].message
    path = next(p for p in OTHERS if p.stem.startswith("02_jiangsu"))
    found = [f for f in check_document(_planted(path, "增长0.82 %", "增长5.82 %")) if f.rule == "rates.growth_after"]
    assert len(found) == 1 and found[0].severity == "medium" and "0.82%" in found[0].message


def test_planted_rate_after_its_amounts_and_a_chart_label() -> None:
    """002's '…实际支出 79,260.57 万元…。2021年部门整体预算执行率达 97.95%': no pair of the paragraph's
    amounts gives it (low); 05's pie-chart label '项目支出, 47.01%' against '占 40.01%' (medium)."""
    path = bundled_corpus_dir() / "002_7caf6f40ccb13888.txt"
    found = [f for f in check_document(_planted(path, "预算执行率达97.65%，预算执行情况较好", "预算执行率达97.95%，预算执行情况较好"))
             if f.rule == "rates.ratio_after"]
    assert len(found) == 1 and found[0].severity == "low"
    path = next(p for p in OTHERS if p.stem.startswith("05_jiangsu"))
    found = [f for f in check_document(_planted(path, "项目支出, 40.01%", "项目支出, 47.01%")) if f.rule == "repeats.chart_labels"]
    assert len(found) == 1 and found[0].severity == "medium" and "40.01%" in found[0].message


def test_a_second_copy_with_another_figure_is_a_cross_report_finding(others) -> None:
    path = next(p for p in OTHERS if p.stem.startswith("05_jiangsu"))
    copy = _planted(path, "2347.13 万元，主要用于", "2447.13 万元，主要用于").model_copy(update={"id": "copy"})
    cross = [f for f in check_corpus([_doc(others, "05_jiangsu"), copy]) if f.kind == "cross_report"]
    assert len(cross) >= 1 and any("2347.13" in f.message and "2447.13" in f.message for f in cross)


# ----------------------------------------------------------------------------- rounding, CLI, grade

def test_rounding_intervals() -> None:
    # 1,205.15 ÷ 1,214.96 = 99.1926…%: 99.19 is right, 99.18 a last-digit slip, 98.00 wrong
    rate = (Span.printed("1205.15") / Span.printed("1214.96")).scale(Decimal(100))
    assert judge("99.19", rate) is None and judge("99.18", rate) == "low" and judge("98.00", rate) == "high"
    assert judge("98.00", rate, most="medium") == "medium"
    # twelve rounded addends may be off by 0.06 together: 171.07 for 171.09 is rounding (R11)
    parts = sum((Span.printed(v) for v in ["14.26"] * 11 + ["14.23"]), Span.exact(Decimal(0)))  # 171.09
    assert judge("171.07", parts) is None


def test_a_rounding_difference_is_low_severity() -> None:
    text = "一、概况\n本项目调整后预算 1,214.96 万元，支付金额 1,205.15 万元，执行率为 99.18%。\n"
    found = check_document(parse_document("t.txt", text, "h"))
    assert [f.severity for f in found] == ["low"] and "99.19%" in found[0].message
    wrong = parse_document("t.txt", text.replace("99.18%", "98.00%"), "h")
    assert [f.severity for f in check_document(wrong)] == ["medium"]


def test_check_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "002", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["doc"].startswith("002") and data[0]["kind"] == "rule_vs_score"
    assert {"page", "quote", "line"} <= set(data[0]["evidence"][0])


def test_grade_that_does_not_match_the_total_is_found() -> None:
    text = "一、结论\n经过资料整理和分析，该项目综合得分为 85 分，绩效评价等级为“优秀”。\n"
    found = check_document(parse_document("t.txt", text, "h"))
    assert [f.kind for f in found] == ["grade_vs_total"] and "「良」" in found[0].message
    ok = parse_document("t.txt", text.replace("85 分", "91 分"), "h")
    assert check_document(ok) == []


# --------------------------------------------------------- third round: words against words (wording.py)

def _by_rule(found: list, rule: str) -> list:
    return [f for f in found if f.rule == rule]


def test_000_near_400_percent_and_over_400_percent_and_the_project_name(findings) -> None:
    """C05: the same pledge-financing growth is 「近 400%」 (L29, L323) and 「超过 400%」 (L363); C06: the
    cover's 项目名称 and the project the text quotes."""
    f = _by_rule(findings["000"], "wording.bounds")
    assert len(f) == 1 and f[0].severity == "low" and {29, 363} <= {e.line for e in f[0].evidence}
    name = _by_rule(findings["000"], "wording.project_name")
    assert len(name) == 1 and [e.line for e in name[0].evidence] == [5, 11]
    for k in ("001", "002", "003", "004"):  # their covers' names are the names the text uses
        assert not _by_rule(findings[k], "wording.project_name") and not _by_rule(findings[k], "wording.bounds")


def test_002_the_same_amounts_under_two_years(findings) -> None:
    """C15: 43,189.21 万元, +1,607.45 万元 is 2021's 收入 and '2020 年' 支出 in one paragraph."""
    f = _by_rule(findings["002"], "wording.years_swapped")
    assert len(f) == 1 and f[0].evidence[0].line == 88 and "2020 年、2021 年" in f[0].message


def test_henan_subsidy_standards_stated_twice(others) -> None:
    """C45: A302's 评价意见 gives 100/10 万元 per base where the text (L95) gives 200/100 万元."""
    f = _by_rule(check_document(_doc(others, "01_henan")), "wording.standards")
    assert sorted(f.message for f in f) == [
        "「其他世赛中国集训基地」的补助标准前后不一致：每个 10 万元、每个 100 万元。",
        "「牵头世赛中国集训基地」的补助标准前后不一致：每个 100 万元、每个 200 万元。"]
    assert all({e.line for e in x.evidence} == {95, 382} for x in f)


def test_justice_budget_compared_with_itself_period_and_subject_name(others) -> None:
    """C67 '比2026年预算增加', C68 实施周期 2025 in the 2026 budget, C69 210 类 named by its old name."""
    found = check_document(_doc(others, "01_shanghai"))
    assert {e.line for e in _by_rule(found, "wording.self_year")[0].evidence} == {88, 90}
    assert _by_rule(found, "wording.period_outside")[0].evidence[-1].line == 354
    names = _by_rule(found, "wording.code_names")
    assert len(names) == 1 and "医疗卫生与计划生育支出" in names[0].message and "卫生健康支出" in names[0].message
    # the other budgets and final accounts name every coded 类 as their tables do, and compare with last year
    for k, d in others.items():
        if not k.startswith("01_shanghai"):
            assert not [f for f in check_document(d) if f.rule in ("wording.self_year", "wording.code_names", "wording.period_outside")], k


def test_ecoenv_decreased_to_zero_and_flat(others) -> None:
    """C75: 「公务接待费支出决算减少为 0.00 万元，与 2024 年持平」; the 因公出国 clause before it
    (「为 0.00 万元，与 2024 年持平」) says no change and is not reported."""
    f = _by_rule(check_document(_doc(others, "03_shanghai")), "wording.change_and_flat")
    assert len(f) == 1 and "减少" in f[0].message and f[0].evidence[0].line == 551


# ------------------------------------------------- third round: tables against their own rows (tables.py)

def test_000_stated_46_targets_against_47_rows(findings) -> None:
    """C03: 表1-4 has 47 rows (the header repeated after the page break is not one); the text says 46."""
    f = _by_rule(findings["000"], "tables.counted_rows")
    assert len(f) == 1 and "46" in f[0].message and "47" in f[0].message and f[0].evidence[0].line == 279
    for k in ("001", "002", "003", "004"):
        assert not _by_rule(findings[k], "tables.counted_rows")


def test_002_total_counts_the_subtotal_and_its_parts(findings) -> None:
    """C13: 24.64 = 7.30 + 5.00 + 0.00 + 3.67 + 8.67; the 三公 parts and their 小计 both added."""
    f = _by_rule(findings["002"], "tables.subtotal_twice")
    assert len(f) == 1 and f[0].severity == "medium" and "15.97" in f[0].message
    assert [e.line for e in f[0].evidence] == [63, 71]


def test_003_cost_breakdowns_against_fund_totals(findings) -> None:
    """C24 (年租金 6,002,018 元 vs 600.30 万元) and C26 (74,000 + 3,000 元 vs 8.00 万元); the other 17
    projects' breakdowns (sums, '合计 81 万元', items with 'a*b=c') agree with their totals."""
    f = sorted(_by_rule(findings["003"], "tables.cost_breakdown"), key=lambda f: f.evidence[0].line)
    assert [(x.evidence[0].line, x.severity) for x in f] == [(539, "medium"), (898, "medium")]
    assert "600.2018" in f[0].message and "7.7 万元" in f[1].message


def test_henan_level_total_labelled_with_another_level_and_a_year_column_that_is_the_total(others) -> None:
    """C51: the 效益 paragraph says 「产出指标共35分，评价得分23.25分」; C59: 附表6-2's last column is
    headed 2024 but holds 15 + 91 + 17 = 123."""
    found = check_document(_doc(others, "01_henan"))
    lv = _by_rule(found, "tables.level_totals")
    assert len(lv) == 1 and lv[0].evidence[0].line == 271 and "「效益」" in lv[0].message
    col = _by_rule(found, "tables.total_column_label")
    assert len(col) == 1 and col[0].evidence[0].line == 1891


def test_finance_stated_total_against_its_table_and_ecoenv_agrees(others) -> None:
    """C60: 「财政拨款收入支出总计0.3万元」 where the table's 总计 is 2,961.68; 03 ecoenv states its
    4733.14 as its table does (no finding), and a planted change there is found."""
    f = _by_rule(check_document(_doc(others, "02_shanghai")), "tables.stated_totals")
    assert len(f) == 1 and f[0].severity == "medium" and [e.line for e in f[0].evidence] == [410, 246]
    eco = _doc(others, "03_shanghai")
    assert not _by_rule(check_document(eco), "tables.stated_totals")
    planted = _planted(Path(eco.path), "4733.14 万元。与 2024 年度相比，财政拨款", "4783.14 万元。与 2024 年度相比，财政拨款")
    assert len(_by_rule(check_document(planted), "tables.stated_totals")) == 1


# ------------------------------------- third round: categories, definitions, met against deficient

def test_000_explanation_copied_across_a_page_break(findings) -> None:
    """C04: 「展会招商引资增长率」 (L436, the table continued on the next page, ',' for '，') carries
    「安全事故发生次数」's explanation (L429)."""
    f = _by_rule(findings["000"], "definitions.copied_explanations")
    assert len(f) == 1 and [e.line for e in f[0].evidence] == [429, 436]
    assert not any(_by_rule(findings[k], "definitions.copied_explanations") for k in ("001", "002", "003", "004"))


def test_001_ecological_row_about_entrepreneurship(findings) -> None:
    """C11: 「生态效益指标 营造良好的创新创业氛围」; 001's 「生态效益指标 无 无」 and 003's empty rows and
    004's 「不适用」 are not reported."""
    f = _by_rule(findings["001"], "categories.closed_categories")
    assert len(f) == 1 and f[0].evidence[0].line == 1229
    assert not any(_by_rule(findings[k], "categories.closed_categories") for k in ("000", "002", "003", "004"))


def test_002_targets_praised_as_complete_and_listed_as_lacking(findings) -> None:
    """C21: L91 「绩效指标设置完整、依据充分」 against the problem (1) 「绩效指标设置完整性和明确性不足」 (L240)."""
    f = _by_rule(findings["002"], "met.praised_and_lacking")
    assert len(f) == 1 and [e.line for e in f[0].evidence] == [91, 240]


def test_004_full_marks_under_a_rule_that_deducts_for_an_unmet_target(findings) -> None:
    """C38: 效果性指标 25/25 under 「未实现绩效目标的酌情扣分」, while 招引人才数量 is 150 人 against ≥ 200 人."""
    f = _by_rule(findings["004"], "met.unmet_full_marks")
    assert len(f) == 1 and [e.line for e in f[0].evidence] == [534, 406] and "150 人" in f[0].message


def test_000_adjustment_in_the_text_against_the_tables_total(findings) -> None:
    """C01: 「项目预算调剂金额为85.7万元」 (L287, L377) against 表1-3's 合计 row (调剂金额 85.60, L138);
    sentences naming one 子项 are not compared with the whole."""
    f = _by_rule(findings["000"], "tables.column_totals")
    assert len(f) == 1 and f[0].severity == "low" and {e.line for e in f[0].evidence} == {138, 287, 377}
    assert not any(_by_rule(findings[k], "tables.column_totals") for k in ("001", "002", "003", "004"))


def test_004_counts_in_the_text_against_the_targets_actuals(findings) -> None:
    """C33 劳务派遣 35 人 (L372) vs 劳务派遣人数 34 人 (L412); C34 创新载体数量增至385家 (L224) vs 380 家
    (L402, L446: both rows with those words say 380). 「劳务派遣人员 34 人」 (L336) agrees."""
    f = sorted(_by_rule(findings["004"], "tables.target_counts"), key=lambda f: f.evidence[0].line)
    assert [[e.line for e in x.evidence] for x in f] == [[224, 402], [372, 412]]


def test_001_cost_control_rate_defined_two_ways(findings) -> None:
    """C09: the text (L912) defines 成本控制率 as 实际成本 ÷ 计划成本, 附件2 down a narrow column (L2186–
    L2190) as 实际节约成本 ÷ 计划成本; no other report defines one rate in two such ways."""
    f = _by_rule(findings["001"], "definitions.ratio_words")
    assert len(f) == 1 and [e.line for e in f[0].evidence] == [912, 2188]
    assert not any(_by_rule(findings[k], "definitions.ratio_words") for k in ("000", "002", "003", "004"))


def test_henan_score_above_what_the_stated_deduction_leaves(others) -> None:
    """C54: D202 (分值 5): 「扣除该指标50%分值」 then 「该指标得4.50分」."""
    f = _by_rule(check_document(_doc(others, "01_henan")), "scores.deducted_share")
    assert len(f) == 1 and [e.line for e in f[0].evidence] == [440, 443] and "2.5" in f[0].message


def test_henan_seven_events_at_fifteen_and_a_cost_per_head_as_a_sum(others) -> None:
    """C58: 附件5-1 「(工业机器人系统运维员等7个赛项) … 15」 where every stated standard (25、15、5 万元 a
    赛项) gives 35 or more; rows joining two events (「(1个赛项)…(3个赛项) 30」) are not read. C53:
    「单位获奖成本=…补助资金总额+当届世赛获奖人数」."""
    found = check_document(_doc(others, "01_henan"))
    f = _by_rule(found, "tables.unit_standards")
    assert len(f) == 1 and f[0].evidence[0].line == 1554
    g = _by_rule(found, "formulas.per_unit_sum")
    assert len(g) == 1 and g[0].evidence[0].line == 434


def test_henan_span_total_below_its_own_years(others) -> None:
    """C47: C203 says 2021-2024年…选送单位27家 (L422, and again L776) while C103 gives the years one by one:
    9 + 5 + 14 = 28 (2024 not yet paid). Counts cannot be negative, so 28 of three years exceeds the four
    years' 27; the 获奖选手 (362 + 617 + 1464 = 2443 ≤ 2506) leave room for 2024 and are not reported."""
    f = _by_rule(check_document(_doc(others, "01_henan")), "years.span_totals")
    assert len(f) == 1 and f[0].severity == "low"
    assert "选送单位" in f[0].message and "27家" in f[0].message and "28家" in f[0].message
    assert sorted(e.line for e in f[0].evidence) == [413, 422, 776]


def test_span_total_not_when_the_years_fit_or_read_two_ways() -> None:
    """The same report with the total at 28, or a year whose clause gives 选送单位 two values, gives none."""
    text = (DATA / "external" / "01_henan_skills_competition_2021_2024_eval.txt").read_text("utf-8")
    for old, new in (("选送单位27家", "选送单位28家"),
                     ("实际发放奖补的获奖选手362名、选送单位9家", "实际发放奖补的获奖选手362名、选送单位8家")):
        assert old in text
        doc = parse_document("h.txt", text.replace(old, new), "h")
        assert not _by_rule(check_document(doc), "years.span_totals"), new


def test_henan_grant_cited_under_another_document_number(others) -> None:
    """C57: B203 and the problem list say 开封市's 2000万元 came with 豫财社[2024]119号; 附件5-1 lists that 2000
    under 豫财社[2024]133号 and no 2000 under 119号. 郑州 1125 (22号) and 濮阳 1750 (45号) agree and are not reported."""
    f = _by_rule(check_document(_doc(others, "01_henan")), "refs.grant_numbers")
    assert len(f) == 1 and f[0].severity == "low"
    assert "119号" in f[0].message and "133号" in f[0].message and "开封市" in f[0].message
    assert sorted(e.line for e in f[0].evidence) == [404, 470, 1635]


def test_grant_numbers_that_agree_give_no_finding() -> None:
    """With the annex row's number set to the text's (119号), nothing is left to report."""
    path = DATA / "external" / "01_henan_skills_competition_2021_2024_eval.txt"
    doc = _planted(path, "(豫财社[2024]133号)\t河南省第三届", "(豫财社[2024]119号)\t河南省第三届")
    assert not _by_rule(check_document(doc), "refs.grant_numbers")


def test_004_a_task_row_spending_more_than_its_categorys_total(findings) -> None:
    """C39: the text's 三公 gives 因公出国（境）费 5.12 万元 (L248); 附件1's task row 因公出国（境）-港澳台 (L359)
    spent 57,479.17 元 (every amount of the row, budget or spending, is more than 5.12 万元)."""
    f = _by_rule(findings["004"], "parts.category_rows")
    assert len(f) == 1 and f[0].severity == "low" and "5.12" in f[0].message
    assert sorted(e.line for e in f[0].evidence) == [248, 359]


def test_a_category_total_that_holds_its_row_gives_no_finding(corpus: Corpus) -> None:
    """With the text's total at 5.80 万元 the row (5.75 万元) fits inside it: nothing to report."""
    path = next(Path(d.path) for d in corpus if d.id.startswith("004"))
    doc = _planted(path, "其中因公出国（境）费 5.12 万元", "其中因公出国（境）费 5.80 万元")
    assert not _by_rule(check_document(doc), "parts.category_rows")


def test_finance_staff_cost_list_against_its_table(others) -> None:
    """C63: the 决算 explanation lists 个人农业生产补贴 among 人员经费 (L467–470), which its 基本支出决算表 prints
    with no amount (L332), and leaves out 奖励金, which the table's 人员经费 side prints at 0.31 (L330)."""
    f = _by_rule(check_document(_doc(others, "02_shanghai")), "parts.staff_cost_list")
    assert len(f) == 1 and f[0].severity == "low"
    assert "个人农业生产补贴" in f[0].message and "奖励金 0.31" in f[0].message
    assert sorted(e.line for e in f[0].evidence) == [330, 332, 467]


def test_a_staff_cost_list_that_matches_its_table_gives_no_finding() -> None:
    """The same list naming 奖励金 where it named 个人农业生产补贴: every listed item has an amount."""
    path = DATA / "external" / "02_shanghai_putuo_finance_2024_final_accounts.txt"
    doc = _planted(path, "费、个人农业生产补贴；公用经费", "费、奖励金；公用经费")
    assert not _by_rule(check_document(doc), "parts.staff_cost_list")


def test_003_one_project_planning_more_than_the_department(findings) -> None:
    """C28: the department plans 「新增新型研究机构 5 家」 (L41); the 产业转型升级资金 target table plans
    「新型研发机构新增数 约 10 家」 (L521). The department's other additions (创新载体 10 家) have no project
    row of more, and stocks (国高企业数达到 350 家) are not additions: neither is reported."""
    f = _by_rule(findings["003"], "parts.project_over_department")
    assert len(f) == 1 and f[0].severity == "low" and "5 家" in f[0].message and "10 家" in f[0].message
    assert sorted(e.line for e in f[0].evidence) == [41, 521]


def test_a_project_planning_within_the_department_gives_no_finding(corpus: Corpus) -> None:
    path = next(Path(d.path) for d in corpus if d.id.startswith("003"))
    doc = _planted(path, "新增新型研究机构 5 家", "新增新型研究机构 12 家")
    assert not _by_rule(check_document(doc), "parts.project_over_department")


def test_henan_one_indicators_counts_written_twice(others) -> None:
    """C44: C201's evidence in the scoring table (L414: 2021-2024年…省级行业一类赛共105个赛项, 二类赛108) and in
    附表3-5 (L772: 2021至2024年…一类赛153个、二类赛135个). C202's two texts (L418, L774) count the same
    bases alike and are not reported."""
    f = _by_rule(check_document(_doc(others, "01_henan")), "repeats.by_indicator")
    assert len(f) == 1 and f[0].severity == "low" and f[0].message.startswith("C201")
    assert "105" in f[0].message and "153" in f[0].message and "108" in f[0].message and "135" in f[0].message
    assert sorted(e.line for e in f[0].evidence) == [414, 772]


def test_henan_one_events_spending_at_the_same_cut_off_stated_twice(others) -> None:
    """C48: what 二届省赛 had spent by the fieldwork (截止现场调研时): 3749.95 万元 in the problem analysis and
    list (L309, L470), 约3783.2 万元 in D101 (L430, L806). 三届省赛's 1100 万元 is the same everywhere."""
    f = _by_rule(check_document(_doc(others, "01_henan")), "repeats.at_cutoff")
    assert len(f) == 1 and f[0].severity == "low" and "二届省赛" in f[0].message
    assert "3749.95" in f[0].message and "3783.2" in f[0].message
    assert {e.line for e in f[0].evidence} & {430, 806} and {e.line for e in f[0].evidence} & {309, 470}


def test_one_events_spending_stated_alike_gives_no_finding() -> None:
    text = (DATA / "external" / "01_henan_skills_competition_2021_2024_eval.txt").read_text("utf-8")
    doc = parse_document("h.txt", text.replace("约3783.2万", "约3749.95万"), "h")
    assert not _by_rule(check_document(doc), "repeats.at_cutoff")


def test_finance_an_item_called_basic_spending_that_its_table_files_as_project(others) -> None:
    """C62: 一般行政管理事务（项） is explained as 「…等基本支出」 (L432–433); in the table its 10.00 can only be
    项目支出: 财政事务's 基本支出 1,503.52 is 行政运行's alone, and 8.37 + 10.00 + 135.25 + 449.52 = 603.14."""
    f = _by_rule(check_document(_doc(others, "02_shanghai")), "categories.expense_kind")
    assert len(f) == 1 and f[0].severity == "low" and "一般行政管理事务" in f[0].message and "项目支出" in f[0].message
    assert {e.line for e in f[0].evidence} >= {432, 433}


def test_an_item_explained_as_what_its_table_files_gives_no_finding() -> None:
    path = DATA / "external" / "02_shanghai_putuo_finance_2024_final_accounts.txt"
    doc = _planted(path, "局财政业务指导与宣传等基本支出", "局财政业务指导与宣传等项目支出")
    assert not _by_rule(check_document(doc), "categories.expense_kind")
