"""Each rule type at and around its boundaries, from the rule data the product ships."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import ScoringError
from assistant.scoring import apply_rule, find_rule, parse_assignments
from assistant.scoring.engine import evaluate, round_half_up
from assistant.scoring.rules import PerUnitRule, TiersRule, ValueSpec

D = Decimal


def score(rule: str, *pairs: str) -> Decimal:
    return apply_rule(rule, parse_assignments(list(pairs)))[1].score


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("0", "1"), ("4.99", "1"), ("5", "0.5"), ("8", "0.5"), ("10", "0.5"), ("10.01", "0"), ("42.42", "0")],
)
def test_external_staff_tiers_inclusive_bounds(rate: str, expected: str) -> None:
    assert score("编外人员控制率", f"value={rate}") == D(expected)


def test_external_staff_from_counts() -> None:
    # 002: 14 of 33 → 42.42% → 0; 2 of 40 → 5% exactly → 0.5
    assert score("编外人员控制率", "staff.external=14", "staff.total_in_post=33") == 0
    assert score("编外人员控制率", "staff.external=2", "staff.total_in_post=40") == D("0.5")


@pytest.mark.parametrize(("rate", "expected"), [("100", "1"), ("90", "1"), ("89.99", "0.7"), ("75", "0.7"),
                                                ("74.99", "0.4"), ("60", "0.4"), ("59.99", "0")])
def test_fixed_asset_use_tiers(rate: str, expected: str) -> None:
    assert score("固定资产利用率", f"value={rate}") == D(expected)


@pytest.mark.parametrize(("rate", "expected"), [("100", "6"), ("95", "6"), ("94.99", "4"), ("90", "4"),
                                                ("89.99", "2"), ("80", "2"), ("79.99", "1"), ("0", "1")])
def test_satisfaction_tiers(rate: str, expected: str) -> None:
    assert score("满意度", f"value={rate}") == D(expected)


def test_staff_control_ratio_may_exceed_100_percent() -> None:
    # a ratio of counts may exceed 100%: 47 in post for 46 posts is 102.17% → 0
    assert score("财政供养人员控制率", "staff.in_post=47", "staff.approved=46") == 0
    assert score("财政供养人员控制率", "staff.in_post=46", "staff.approved=46") == 1


def test_procurement_linear_and_zero_when_over_plan() -> None:
    base = ["discretionary.政府采购政策功能.score=1"]
    assert score("政府采购执行情况", "procurement.actual=448.01", "procurement.plan=657.77", *base) == D("1.68")
    assert score("政府采购执行情况", "procurement.actual=657.77", "procurement.plan=657.77", *base) == D("2.00")
    assert score("政府采购执行情况", "procurement.actual=657.78", "procurement.plan=657.77", *base) == D("1.00")


def test_adjustment_per_point_deduction_with_cap() -> None:
    fixed = ["discretionary.资金支出规范性.score=1", "discretionary.会计核算规范性.score=1", "budget.initial=100"]
    assert score("财务合规性", "adjustment.amount=10", *fixed) == D(3)  # exactly 10% → full marks
    assert score("财务合规性", "adjustment.amount=13", *fixed) == D("2.70")  # 3 points over → −0.3
    assert score("财务合规性", "adjustment.amount=20", *fixed) == D(2)  # 10 points over → −1, all of it
    assert score("财务合规性", "adjustment.amount=87.93", *fixed) == D(2)  # capped: never below 0


def test_key_tasks_per_item_deduction() -> None:
    assert [score("重点工作完成情况", f"key_tasks.uncompleted={n}") for n in range(4)] == [8, 4, 0, 0]


def test_budget_execution_reproduces_both_published_scores() -> None:
    assert score("预算执行率", "quarterly_progress=15.64,41.01,65.21,97.65") == D("4.94")
    assert score("预算执行率", "quarterly_progress=24.48,55.25,53.38,92.23") == D("5.47")
    assert score("预算执行率", "quarterly_progress=25,50,75,100") == D("6.00")


def test_disclosure_choice_and_checklist() -> None:
    assert score("预决算信息公开", "disclosure.budget=full", "disclosure.final_accounts=partial") == D("2.50")
    assert score("群众信访办理情况", "petitions.channels=true", "petitions.all_replied=true",
                 "petitions.all_timely=false") == D(2)


def test_manual_item_needs_a_reason_below_full_marks() -> None:
    assert score("绩效指标明确性", "discretionary.绩效指标明确性.score=7") == D(7)
    with pytest.raises(ScoringError, match="reason"):
        score("绩效指标明确性", "discretionary.绩效指标明确性.score=5")
    assert score("绩效指标明确性", "discretionary.绩效指标明确性.score=5", "discretionary.绩效指标明确性.reason=指标不够细化") == 5
    with pytest.raises(ScoringError, match="不在 0–7 之间"):
        score("绩效指标明确性", "discretionary.绩效指标明确性.score=8")


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["value=120"], "超过 100%"),
        ([], "缺少数据项"),
        (["staff.external=-1", "staff.total_in_post=10"], "负数"),
        (["staff.external=1", "staff.total_in_post=0"], "为 0"),
        (["value"], "键=值"),
        (["value=nan"], "不是有效的数值"),
    ],
)
def test_bad_inputs_are_clear_errors(pairs: list[str], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        score("编外人员控制率", *pairs)


def test_unknown_rule() -> None:
    with pytest.raises(ScoringError, match="没有规则"):
        find_rule("不存在的指标")


def test_round_half_up_not_bankers() -> None:
    assert round_half_up(D("2.345")) == D("2.35")
    assert round_half_up(D("2.335")) == D("2.34")
    assert round_half_up(D("4.9375")) == D("4.94")


def test_trace_states_the_rounding() -> None:
    _, result = apply_rule("预算执行率", parse_assignments(["quarterly_progress=24.48,55.25,53.38,92.23"]))
    assert result.trace[-1].endswith("→ 5.47 分") and "四舍五入" in result.trace[-1]
    assert any("r2 = 55.25% ÷ 50% = 1.105 → 取 1" in step for step in result.trace)


# ---- properties over every tier and per-unit rule shipped in the frameworks


def shipped_rules(kind: type) -> list:
    from assistant.scoring import frameworks

    found = []

    def walk(rule) -> None:
        if isinstance(rule, kind):
            found.append(rule)
        for part in getattr(rule, "parts", []):
            walk(part)

    for fw in frameworks().values():
        for ind in fw.indicators:
            walk(ind.rule)
    return found


percent = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=200, deadline=None)
@given(v=percent, data=st.data())
def test_tier_rules_stay_within_weight(v: Decimal, data: st.DataObject) -> None:
    rules = shipped_rules(TiersRule)
    rule = data.draw(st.sampled_from(rules))
    rule = rule.model_copy(update={"value": ValueSpec(input="v")})
    s = evaluate(rule, {"v": v}).score
    assert 0 <= s <= rule.points


@settings(max_examples=200, deadline=None)
@given(a=percent, b=percent, data=st.data())
def test_per_unit_rules_are_monotone_and_bounded(a: Decimal, b: Decimal, data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(shipped_rules(PerUnitRule)))
    rule = rule.model_copy(update={"value": ValueSpec(input="v", unit="score")})
    lo, hi = sorted((a, b))
    s_lo, s_hi = evaluate(rule, {"v": lo}).score, evaluate(rule, {"v": hi}).score
    if rule.direction == "above":  # more over the threshold never scores more
        assert 0 <= s_hi <= s_lo <= rule.points
    else:  # less under the threshold never scores more
        assert 0 <= s_lo <= s_hi <= rule.points


@settings(max_examples=200, deadline=None)
@given(q=st.lists(percent, min_size=4, max_size=4))
def test_budget_execution_bounded(q: list[Decimal]) -> None:
    _, ind = find_rule("预算执行率")
    s = evaluate(ind.rule, {"quarterly_progress": q}).score
    assert 0 <= s <= 6


@settings(max_examples=100, deadline=None)
@given(actual=st.decimals(min_value=0, max_value=1000, places=2), plan=st.decimals(min_value=1, max_value=1000, places=2))
def test_procurement_never_exceeds_weight(actual: Decimal, plan: Decimal) -> None:
    result = apply_rule("政府采购执行情况", {"procurement": {"actual": actual, "plan": plan},
                                        "discretionary": {"政府采购政策功能": {"score": D(1)}}})[1]
    assert 0 <= result.score <= 2
    if actual > plan:
        assert result.score == 1


@pytest.mark.parametrize(("rate", "expected"), [("95", "5"), ("100", "5"), ("94", "4.80"), ("92.5", "4.50"),
                                                ("50", "0"), ("49.99", "0")])
def test_luohu_satisfaction_per_point_below_95(rate: str, expected: str) -> None:
    assert score("服务对象满意度", f"value={rate}") == D(expected)


def test_longgang_satisfaction_reproduces_the_published_5() -> None:
    assert score("受扶持对象满意度", "value=94.65") == 5  # 001: 综合满意度为 94.65%，扣 1 分


def test_a_rule_of_parts_applied_from_a_value_for_each_part() -> None:
    from assistant.scoring import apply_parts, part_names

    key = "futian_department.public_funds_control"
    names = part_names(key)
    assert len(names) == 2
    _, result = apply_parts(key, {names[0]: Decimal("95"), names[1]: Decimal("72.22")})
    assert result.score == Decimal("5")  # 2 (90%–100%) + 3 (<90%)
    _, low = apply_parts(key, {names[0]: Decimal("80"), names[1]: Decimal("80")})
    assert low.score == Decimal("6")
    with pytest.raises(ScoringError):
        apply_parts(key, {names[0]: Decimal("95")})  # the other part is missing
