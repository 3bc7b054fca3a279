"""The guard's reading of numbers and its verdicts, without a model."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.llm.guard import Evidence, check_answer, check_paragraph, cited_ids, clean_reply
from assistant.llm.numbers import chinese_number, multiset, quantities

EVIDENCE = [
    Evidence("E1", "绩效目标合理性 4 2.5 未设置资金到位及时率等时效指标", "《龙岗区专项资金绩效评价报告》 · 表3 · 第 12 页"),
    Evidence("E2", "预算执行率为93.35%，年初预算25,895.98万元。", "《报告》"),
    Evidence("E3", "共开展检查三项，发现问题两个。", "《报告》"),
]
FACTS = ["指标「绩效目标合理性」；分值 4 分；得分 2.5 分；扣分 1.5 分"]


def values(text: str) -> list[tuple[str, str]]:
    return [(f"{q.value.normalize():f}", q.unit) for q in quantities(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("扣了1.5分", [("1.5", "分")]),
    ("２５,８９５.９８ 万元", [("258959800", "元")]),
    ("4.2亿元与42000万元", [("420000000", "元"), ("420000000", "元")]),
    ("预算执行率９３．３５％", [("93.35", "%")]),
    ("百分之九十五", [("95", "%")]),
    ("扣了两分，十分重要", [("2", "分")]),
    ("共三项，一个问题，两个原因", [("3", ""), ("2", "")]),
    ("一千二百万元", [("12000000", "元")]),
    ("下降2.3个百分点", [("2.3", "个百分点")]),
    ("1. 第一点\n（2）B2资金管理 [E12]", []),
    ("2024年12月31日", [("2024", ""), ("12", ""), ("31", "")]),
])
def test_numbers_are_read_with_their_units(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_chinese_numerals() -> None:
    assert [chinese_number(t) for t in ("十二", "两千零五", "一点五", "三万二千", "一亿二千万", "一二")] == \
        [Decimal(12), Decimal(2005), Decimal("1.5"), Decimal(32000), Decimal(120000000), None]


def test_a_faithful_reply_passes_and_lists_what_it_cites() -> None:
    reply = ("这个指标满分4分，只得了2.5分，扣了1.5分 [E1]。原因是报告认为未设置「资金到位及时率」等时效指标[E1]。"
             "另外，预算执行率为93.35%，年初预算约2.589598亿元[E2]。")
    verdict = check_answer(reply, EVIDENCE, FACTS)
    assert verdict.ok, verdict.problems
    assert verdict.cited == ["E1", "E2"]


@pytest.mark.parametrize(("reply", "problem"), [
    ("该指标扣了2分[E1]。", "数字 2分"),  # a changed number
    ("预算执行率为93.4%[E2]。", "数字 93.4%"),  # rounded is changed
    ("该指标扣了1.5分，全区排名第5名[E1]。", "数字 5"),  # an invented number
    ("报告说「未设置资金到位率等时效指标」[E1]。", "引文"),  # a misquoted sentence
    ("预算执行率为93.35%[E7]。", "E7"),  # a made-up citation id
    ("该指标扣了1.5分。", "没有引用"),  # no citation at all
    ("年初预算25,895.98万元[E1]。", "数字 25,895.98万元"),  # the number is in E2, but E1 is cited
    ("该指标得了3分[E1]。", "数字 3分"),  # 「表3」 where E1 stands is not a score
])
def test_a_reply_that_is_not_faithful_is_rejected(reply: str, problem: str) -> None:
    verdict = check_answer(reply, EVIDENCE, FACTS)
    assert not verdict.ok
    assert any(problem in p for p in verdict.problems), verdict.problems


def test_a_heading_of_the_cited_evidence_may_be_quoted() -> None:
    evidence = [Evidence("E1", "编外人员控制率 51.28%。", "《报告》 · 三、问题 > 3. 编外人员管理有待加强 · 第 24 页")]
    assert check_answer("见「3. 编外人员管理有待加强」：控制率51.28%[E1]。", evidence, []).ok
    assert not check_answer("见「编外人员管理亟需加强」：控制率51.28%[E1]。", evidence, []).ok


def test_numbers_from_the_facts_and_counts_in_words() -> None:
    assert check_answer("扣了一点五分，共检查了3项，发现2个问题[E1][E3]。", EVIDENCE, FACTS).ok
    assert not check_answer("共检查了4项[E3]。", EVIDENCE, FACTS).ok  # 「4 分」 in the facts is not 4 items
    assert not check_answer("执行率93.35[E2]。", EVIDENCE, FACTS).ok  # a unit dropped is not the number
    assert check_answer("该指标4分[E1]。", EVIDENCE, FACTS).ok  # a table cell prints it bare
    assert check_answer("见报告表3第12页[E1]。", EVIDENCE, FACTS).ok  # where the evidence stands


def test_citation_markers_and_reasoning_blocks() -> None:
    assert cited_ids("见[E2]和【E1】，另见[E2, E3]") == ["E2", "E1", "E3"]
    assert clean_reply("<think>扣了9分？</think>\n扣了1.5分[E1]") == "扣了1.5分[E1]"


def test_polished_paragraph_keeps_the_numbers_as_a_multiset() -> None:
    original = "政府采购执行情况指标分值 2 分，得分 1.68 分。政府采购预算金额 657.77 万元，实际支出金额 448.01 万元。"
    assert check_paragraph(original, "政府采购执行情况指标满分2分，得1.68分；采购预算657.77万元，实际支出448.01万元。").ok
    dropped = check_paragraph(original, "政府采购执行情况指标得1.68分；采购预算657.77万元，实际支出448.01万元。")
    assert not dropped.ok and "缺少数字 2 分" in dropped.problems[0]
    added = check_paragraph(original, "政府采购指标分值2分，得分1.68分，采购预算657.77万元，实际支出448.01万元，执行率68.11%。")
    assert not added.ok and "多出数字 68.11%" in added.problems[0]
    twice = "全年共有预算项目 31 个，按计划及时完成 31 个。"
    assert multiset(twice)[(Decimal(31), "")] == 2
    assert not check_paragraph(twice, "全年共有预算项目31个，均按计划及时完成。").ok
    assert not check_paragraph(original, "“超额完成”" + original).ok  # a quote the original does not make
