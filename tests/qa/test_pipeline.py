"""The evidence-first pipeline on the real corpus (the five bundled reports and the two external ones
in tests/data/external) with the real embedding model: every kind of question, scoping between
reports that share indicator names, follow-ups, declines, table rows. Every citation is checked to
be verbatim in its report."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Session
from assistant.config import load_settings
from assistant.ingest.patterns import canonical_source, squash

EXTERNAL = Path(__file__).parents[1] / "data" / "external"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    s = Session(load_settings(home=tmp_path_factory.mktemp("pipeline-home"), corpus_paths=[EXTERNAL]))
    s.build_index()
    return s


@pytest.fixture(scope="module")
def sources(session: Session) -> dict[str, str]:
    return {d.id: canonical_source(Path(d.path).read_text("utf-8")) for d in session.corpus}


def ask(session: Session, sources: dict[str, str], question: str, conversation=None):  # type: ignore[no-untyped-def]
    a = (conversation or session).ask(question)
    for c in a.citations:
        for part in c.quote.split(" … "):
            assert squash(part) in sources[c.doc], (question, c.doc, c.quote[:60])
    return a


def flat(text: str) -> str:
    return squash(text).replace(",", "")


def test_typo_and_indicator_of_another_province(session, sources) -> None:
    a = ask(session, sources, "河南竞赛经费的预算执形率指标得了多少分，为什么没拿满？")
    assert a.answered and a.indicator is not None and a.indicator.doc.startswith("01_henan")
    assert "3.34" in a.answer and "93.35%" in a.answer  # the score and the report's own reason
    assert {c.doc[:8] for c in a.citations} == {"01_henan"}


def test_traditional_characters_and_a_homophone(session, sources) -> None:
    a = ask(session, sources, "龍崗專項資金的受扶持對象滿以度扣了幾分")
    assert a.answered and a.indicator.doc.startswith("001") and a.indicator.deduction == 1


def test_a_group_named_instead_of_an_indicator(session, sources) -> None:
    a = ask(session, sources, "河南那个项目效益一块35分拿了多少")
    assert a.answered and "23.25" in a.answer and "66.43%" in a.answer
    lost = ask(session, sources, "罗湖创新驱动产业服务项目决策部分哪些三级指标丢了分")
    for name in ("绩效目标合理性", "绩效指标明确性", "预算编制科学性", "资金分配合理性"):
        assert name in lost.answer


def test_an_indicator_code(session, sources) -> None:
    a = ask(session, sources, "B2资金管理这个二级指标河南那份报告给了多少分")
    assert a.answered and "7.34" in a.answer and "61.17%" in a.answer


def test_points_lost_pick_the_indicator(session, sources) -> None:
    a = ask(session, sources, "河南技能竞赛经费项目里，决策部分扣了3分的是哪个指标")
    assert a.answered and "立项程序规范性" in a.answer


def test_scope_two_reports_with_the_same_indicator_name(session, sources) -> None:
    henan = ask(session, sources, "河南那个竞赛经费，资金分配合理性为啥只拿了1分？")
    assert henan.answered and {c.doc[:8] for c in henan.citations} == {"01_henan"}
    luohu = ask(session, sources, "罗湖那个创新驱动项目资金分配合理性为什么扣分")
    assert luohu.answered and {c.doc[:3] for c in luohu.citations} == {"000"}
    both = ask(session, sources, "资金分配合理性得了几分")  # names no report: each, and ask which
    assert both.answered and {c.doc[:3] for c in both.candidates} == {"000", "001", "01_"}


def test_declines_a_place_a_unit_or_a_year_the_corpus_lacks(session, sources) -> None:
    for question in ("南山区2022年绩效评价得分是多少？", "江苏省人民检察院2019年部门预算收入总计多少",
                     "普陀区生态环境局2025年度部门决算中，开展绩效自评的项目有多少个？",
                     "福田科工信局2023年度部门整体绩效评价得了多少分？"):
        a = ask(session, sources, question)
        assert not a.answered and "语料中没有" in a.answer and not a.citations, question


def test_declines_a_total_the_report_does_not_have(session, sources) -> None:
    a = ask(session, sources, "上海市普陀区财政局2024年度部门决算的综合评分是多少？")
    assert not a.answered and "没有" in a.answer


def test_a_cell_of_a_table_with_its_column_headings(session, sources) -> None:
    a = ask(session, sources, "龙岗专项资金2019年年初预算多少，年中追加了多少？")
    assert a.answered and "42000.00" in flat(a.answer) and "6433.23" in flat(a.answer)
    assert any("年初预算" in c.quote and "年中追加" in c.quote for c in a.citations)  # the header row
    b = ask(session, sources, "普陀区财政局2024住房公积金决算数多少")
    assert b.answered and "187.19" in b.answer


def test_a_figure_stated_in_a_sentence(session, sources) -> None:
    a = ask(session, sources, "福田区科技创新局2021年调整后预算总指标、实际支出和部门整体预算执行率分别是多少？")
    assert a.answered and "81164.95" in flat(a.answer) and "79260.57" in flat(a.answer) and "97.65%" in a.answer


def test_follow_ups_keep_the_report_and_the_indicator(session, sources) -> None:
    conv = session.conversation()
    first = ask(session, sources, "福田2024年编外人员控制率是多少", conv)
    assert first.answered and "51.28%" in first.answer
    second = ask(session, sources, "那2021年呢？", conv)
    assert second.answered and "42.42%" in second.answer and {c.doc[:3] for c in second.citations} == {"002"}
    conv = session.conversation()
    ask(session, sources, "河南省级职业技能竞赛经费评价中，C301得分是多少？", conv)
    why = ask(session, sources, "扣分原因呢？", conv)
    assert why.answered and why.indicator is not None and why.indicator.score is not None
    assert "补贴发放及时率" in why.answer


def test_problems_and_measures_are_the_reports_own_items(session, sources) -> None:
    problems = ask(session, sources, "福田2024部门整体自评发现了哪些问题？")
    for item in ("个别绩效指标设置不合理", "政府采购执行率有待提高", "编外人员管理有待加强", "预算执行均衡性有待加强"):
        assert item in problems.answer
    fourth = ask(session, sources, "河南那份评价报告指出的第四个问题是什么")
    assert "赞助费未纳入统一管理" in fourth.answer and "成果转化" not in fourth.answer
    measures = ask(session, sources, "罗湖区创新驱动产业服务项目评价报告提出了哪些改进措施？")
    assert "提升绩效目标设置水平" in measures.answer and "国高企业培育" not in measures.answer  # not 经验做法


def test_a_rule_of_another_districts_report_applied(session, sources) -> None:
    """Henan's own printed rule, not a Shenzhen framework: 满意度达到90%得满分，每降低1%扣除指标分值的5%
    (the row is cut by a page break between '90%' and '得满分')."""
    a = ask(session, sources, "按河南那个评价主办方、承办方满意度的评分规则，满意度85%能得几分")
    assert a.answered and a.intent == "apply_rule"
    assert "得 3 分" in a.answer  # 4 − (90 − 85) × 5% × 4


def test_totals_of_two_reports_side_by_side(session, sources) -> None:
    a = ask(session, sources, "河南技能竞赛那个评价和福田2024部门整体评价，哪个分高？")
    assert a.answered and "65" in a.answer and "96.15" in a.answer and "更高" in a.answer


def test_an_english_question(session, sources) -> None:
    a = ask(session, sources, "What was the total score and grade of the Henan skills competition evaluation?")
    assert a.answered and "65" in a.answer and "中" in a.answer


def test_who_evaluated(session, sources) -> None:
    a = ask(session, sources, "河南那个技能竞赛经费项目是谁评价的？")
    assert a.answered and "河南昭元绩效评价咨询有限公司" in a.answer and "第三方评价" in a.answer


def test_a_rate_the_report_does_not_state_is_declined(session, sources) -> None:
    """A budget (部门预算) states no execution; a sentence with another rate (增长1.77%) is no answer."""
    a = ask(session, sources, "2020年罗湖科创局部门预算执行率是多少")
    assert not a.answered and "语料中没有" in a.answer
    b = ask(session, sources, "2024年福田的预算执行率是多少")  # the same words where the rate is stated
    assert b.answered and "92.23%" in b.answer


def test_a_quoted_term_is_found_where_it_is_printed(session, sources) -> None:
    a = ask(session, sources, "福田2024年绩效指标“战新产业实现增加值”的目标值和实际值是多少")
    assert a.answered and "1100" in a.answer and "1187" in a.answer
    assert any("战新产业实现增加值" in c.quote for c in a.citations)


def test_a_role_is_answered_from_the_row_that_prints_it(session, sources) -> None:
    """'负责人是谁' asks for a person in a table row, not for who wrote or evaluated the report."""
    a = ask(session, sources, "2020年罗湖科技创新局整体支出绩效目标申报表负责人是谁")
    assert a.answered and "石兴中" in a.answer and a.intent != "meta"


def test_what_the_report_does_not_print_is_declined(session, sources) -> None:
    """Near misses: a real report and topic, asking for something it never prints."""
    for question in ("罗湖科创局2020年部门预算被扣了2分的是哪个指标",  # a budget has no scoring table
                     "龙岗专项资金里“量子计算扶持”这一类一共支出多少万元",  # a category the report never names
                     "福田科工信局2024年一共收到多少件群众信访",  # a count in 件 no sentence gives
                     "罗湖科创局2020年粤港澳大湾区青少年无人机大赛有多少人参加"):  # a target of 1 场, no people
        a = ask(session, sources, question)
        assert not a.answered and "没有" in a.answer, question


def test_a_total_and_an_indicator_in_one_question(session, sources) -> None:
    a = ask(session, sources, "福田科创局2021自评总分是多少 预算执行率得了几分")
    assert a.answered and "94.94" in a.answer and "4.94" in a.answer


def test_a_group_names_where_it_lost_points(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年“部门决策指标”一共丢了几分，丢在哪个三级指标上")
    assert a.answered and "绩效指标明确性" in a.answer and "2" in a.answer


def test_a_count_in_people_is_answered_where_people_are_counted(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年在编人员有多少人")
    assert a.answered and "46" in a.answer


def test_a_rule_applied_is_quoted_from_the_report_asked_about(session, sources) -> None:
    """004 prints the 福田 framework's rule in its own table: that is what the answer quotes."""
    a = ask(session, sources, "福田科工信局2024年评分表里，如果固定资产利用率是90%，这一项能得几分")
    assert a.answered and a.intent == "apply_rule" and "1 分" in a.answer
    assert a.citations and all(c.doc.startswith("004") for c in a.citations)


def test_who_evaluated_and_under_which_document(session, sources) -> None:
    a = ask(session, sources, "福田科创局2021年的报告是自己评的还是第三方评的，依据哪个文件")
    assert a.answered and a.intent == "meta" and "自评" in a.answer and "53号" in a.answer


def test_a_general_question_lists_every_problem(session, sources) -> None:
    """'这个项目存在啥问题' asks for all of them: words shared by every item select none."""
    a = ask(session, sources, "罗湖那个创新驱动项目评价说有什么问题")
    assert a.answered and "绩效目标设置不够准确" in a.answer and "预算资金子项存在不同程度调整" in a.answer


def test_which_indicators_lost_points_in_a_follow_up(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "罗湖创新驱动那个项目综合得了多少分", conv)
    a = ask(session, sources, "都是哪些指标扣了分", conv)
    assert a.answered and "绩效目标合理性" in a.answer and "绩效指标明确性" in a.answer


def test_a_question_of_several_parts_gets_each_part_answered(session, sources) -> None:
    a = ask(session, sources, "河南技能竞赛经费那个评价是哪家机构做的？谁委托的？")
    assert a.answered and "河南昭元绩效评价咨询有限公司" in a.answer and "河南省财政厅" in a.answer


def test_an_ordinal_the_evidence_does_not_speak_of_is_declined(session, sources) -> None:
    """The report counts the first three 省赛's entrants, not a fourth's."""
    assert not ask(session, sources, "河南第四届省赛的参赛人数是多少？").answered
    assert "2039" in ask(session, sources, "河南第三届省赛的参赛人数是多少？").answer


def test_a_district_the_corpus_lacks_inside_a_city_it_holds_is_declined(session, sources) -> None:
    a = ask(session, sources, "深圳市南山区科技创新局2021年度部门整体支出绩效自评总得分是多少？")
    assert not a.answered and "南山" in a.answer


def test_a_kind_of_report_the_named_unit_has_not_for_that_year_is_declined(session, sources) -> None:
    """罗湖's 2021 report is a project evaluation and its 部门预算 is 2020's: no 2021 部门预算 to answer from."""
    a = ask(session, sources, "罗湖区科技创新局2021年部门预算总共是多少钱？")
    assert not a.answered and "部门预算" in a.answer
    assert "17144.13" in flat(ask(session, sources, "罗湖区科技创新局2020年部门预算总共是多少钱？").answer)


def test_a_particle_that_fits_neither_neighbour_is_repaired(session, sources) -> None:
    a = ask(session, sources, "罗湖科创局2021年创新驱动产业服务项目调整后预算是多少？预算之行率是多少？")
    assert a.answered and "99.19%" in a.answer and "1214.96" in flat(a.answer)


def test_a_hypothetical_value_asked_with_ruo_and_ying_de_is_applied(session, sources) -> None:
    a = ask(session, sources, "按河南省级职业技能竞赛经费评价中B201预算执行率的评分规则，若综合预算执行率为90%，该指标应得多少分？")
    assert a.intent == "apply_rule" and "2.5" in a.answer


def test_a_group_answer_never_shows_a_rate_that_is_not_its_own(session, sources) -> None:
    """002's 人员管理 row prints its rule's '≤100%' beside the 1 point it got: the 得分率 is 1 ÷ 2."""
    a = ask(session, sources, "福田科创局2021年部门整体自评里，人员管理下面一分没拿到的是哪个指标？为什么？")
    assert "得分率 50%" in a.answer and "得分率 100%" not in a.answer
    assert "编外人员控制率" in a.answer and "42.42%" in a.answer


def test_roles_asked_together_are_answered_from_their_rows(session, sources) -> None:
    a = ask(session, sources, "罗湖科创局2020年整体支出绩效目标申报表上，负责人和填报人分别是谁？")
    assert a.answered and "石兴中" in a.answer and "罗远" in a.answer


def test_a_percentage_only_a_rule_bounds_is_not_a_value(session, sources) -> None:
    """002 prints the satisfaction rule's bands (≥95%, 90%≤…) but no surveyed percentage."""
    assert not ask(session, sources, "福田区科技创新局2021年公众或服务对象满意度调查结果是百分之多少？").answered


def test_a_table_titled_with_another_year_does_not_answer(session, sources) -> None:
    """001 prints the 2019 and 2020 target tables; 2018's targets are not in it."""
    assert not ask(session, sources, "龙岗区2018年专项资金绩效目标中“受理扶持项目数量”的目标值是多少？").answered


def test_an_actual_value_is_not_a_targets_bound(session, sources) -> None:
    """000's target table prints '观展人数 ≥ 20000 人次'; the report never says how many came."""
    assert not ask(session, sources, "2021年高交会罗湖展区实际观展人数达到多少人次").answered


def test_a_quoted_category_must_be_stated_with_its_amount(session, sources) -> None:
    """001 lists 生物创造激励 among 18 categories but states amounts only for others."""
    assert not ask(session, sources, "龙岗2018-2020年经济与科技发展专项资金中，“生物创造激励”类别共支出多少万元？").answered


def test_an_english_question_for_a_percentage_is_not_answered_with_a_rules_bound(session, sources) -> None:
    a = ask(session, sources, "What overall satisfaction rate (as a percentage) did the Futian District Science and "
                              "Technology Innovation Bureau obtain from its 2021 satisfaction survey?")
    assert not a.answered


def test_a_measure_asked_by_its_problem_comes_with_the_paragraphs_that_say_how(session, sources) -> None:
    """002 numbers its measures '（2）规范编外人员用工…' and explains each in the paragraph after."""
    a = ask(session, sources, "福田科创局2021年针对编外人员太多的问题打算怎么整改？")
    assert a.intent == "measures" and "编外用工报批程序" in a.answer and "（1）" not in a.answer


def test_a_measure_is_told_apart_by_its_rare_words(session, sources) -> None:
    a = ask(session, sources, "交通银行给省赛的赞助费没进赛事账目，针对这种情况河南报告建议以后怎么管赞助资金？")
    assert "收支两条线" in a.answer and "（一）细化职责分工" not in a.answer


def test_an_indicator_that_lost_points_comes_with_its_own_measure(session, sources) -> None:
    """004 writes each measure under its problem ('2. 政府采购执行率有待提高' … '改进措施：…')."""
    a = ask(session, sources, "福田科工信局2024年政府采购执行情况那项被扣了0.32分，报告说后面准备怎么改？")
    assert "0.32" in a.answer and "按照合同要求做好款项支付工作" in a.answer and "绩效指标动态化管理" not in a.answer


def test_two_things_asked_together_each_get_their_row(session, sources) -> None:
    """No one line of 02's 基本支出 table holds both; each has a row of its own."""
    a = ask(session, sources, "普陀财政局2024年基本支出决算表里福利费和工会经费各是多少")
    assert "42.77" in a.answer and "24.42" in a.answer


def test_a_part_named_but_not_stated_in_the_first_answer_is_answered(session, sources) -> None:
    """The 三公 total's sentence names 公务接待费 without its amount; the part gets its own line."""
    a = ask(session, sources, "福田區科創局2021年「三公」經費預算小計是多少？其中公務接待費預算多少？")
    assert "8.67" in a.answer and "5.00" in a.answer


def test_a_row_under_a_spanning_name_is_found_in_the_table_the_question_names(session, sources) -> None:
    """河南's 表1-1 prints '一次性竞赛补贴经费' once, on its 2021 row; the 2024 row starts with its year,
    in a passage of its own."""
    a = ask(session, sources, "河南技能竞赛经费那份报告表1-1里，2024年一次性竞赛补贴的预算、支出和预算执行率各是多少？")
    assert all(x in a.answer for x in ("2895.00", "1995.00", "68.91")) and "一次性竞赛补贴经费" in a.answer


def test_a_figure_from_each_of_two_reports_named_by_their_years(session, sources) -> None:
    """罗湖's 2020 部门预算 budgets the 国检大厦 rent; its 2021 project evaluation reports what was spent."""
    a = ask(session, sources, "罗湖科创局租国检大厦那笔租金，2020年部门预算里安排了多少，到2021年项目评价里实际执行了多少？")
    assert "600.30" in a.answer and "618.26" in a.answer
    assert {c.doc[:3] for c in a.citations} >= {"000", "003"}


def test_an_indicator_no_report_prints_is_declined_by_name(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年科研经费管理规范性指标得了几分？")
    assert not a.answered and "科研经费管理规范性" in a.answer
    assert ask(session, sources, "福田科工信局2024年预算执行率指标得了几分？").answered


def test_a_count_is_not_answered_with_an_indicators_points(session, sources) -> None:
    """000 scores 服务对象满意度 but never says how many questionnaires came back."""
    assert not ask(session, sources, "罗湖科创局2021年创新驱动项目的满意度调查有效问卷多少份？").answered


def test_a_year_the_named_report_lacks_points_at_that_report(session, sources) -> None:
    a = ask(session, sources, "河南省赛2025年的预算是多少？")
    assert not a.answered and "2021-2024年省级职业技能竞赛经费" in a.answer and "龙岗" not in a.answer


def test_a_follow_up_asking_shares_gets_the_line_with_the_percentages(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "普陀区财政局2024年支出决算总计多少？", conv)
    a = ask(session, sources, "那基本支出和项目支出各是多少，各占多少？", conv)
    assert all(x in a.answer for x in ("2336.91", "79.49%", "603.14", "20.51%"))


def test_the_nth_entry_of_a_problem_list_printed_as_a_table(session, sources) -> None:
    """河南's 附件2 prints its 问题清单 as numbered table rows; the 12th is about a date that does not exist."""
    a = ask(session, sources, "河南省级职业技能竞赛经费绩效评价问题清单里第12个问题是什么")
    assert "正式文件存在低级错误" in a.answer and "11月31日" in a.answer


def test_a_problem_asked_in_staff_shorthand(session, sources) -> None:
    a = ask(session, sources, "福田科工信2024年整体自评关于政采那块说存在什么问题")
    assert "政府采购执行率有待提高" in a.answer and "68.11%" in a.answer


def test_an_execution_rate_stated_as_share_of_the_budget_completed(session, sources) -> None:
    """02 writes its execution rate as '完成年初预算的98.20%'."""
    a = ask(session, sources, "普陀区财政局2024年度一般公共预算财政拨款的预算执行率是多少？")
    assert a.answered and "98.20%" in a.answer


def test_names_asked_for_are_not_answered_with_a_count(session, sources) -> None:
    """002 says 7 high-level teams were added, never which."""
    assert not ask(session, sources, "福田科创局2021年新增的那7个高层次团队具体是哪几个团队？").answered


def test_points_asked_of_a_report_that_scores_nothing_are_declined(session, sources) -> None:
    """003 is a 部门预算: its projects have targets, no scores."""
    a = ask(session, sources, "罗湖区科技创新局2020年人工智能特色小镇规划经费的绩效自评得分是多少？")
    assert not a.answered and "没有评分" in a.answer


def test_which_units_is_not_a_count(session, sources) -> None:
    """'哪几个单位' asks which, not how many: 02 lists them in a sentence with its own numbering."""
    a = ask(session, sources, "普陀区财政局2024年部门决算都包括哪几个单位？")
    assert a.answered and "国库收付中心" in a.answer


def test_evaluation_methods_are_read_where_the_report_sets_them_out(session, sources) -> None:
    """000 heads its methods '（1）比较法' '（2）因素分析法'; 河南 defines each as '比较分析法：…'."""
    a = ask(session, sources, "罗湖区创新驱动产业服务2021年那份评价用的什么评价方法？")
    assert "比较法" in a.answer and "因素分析法" in a.answer
    b = ask(session, sources, "河南技能竞赛经费这个绩效评价用了哪些评价方法")
    assert all(x in b.answer for x in ("比较分析法", "因素分析法", "公众评判法"))


def test_a_month_the_report_gives_no_figure_for_is_declined(session, sources) -> None:
    """004 gives its execution rate by quarter, never as of the end of May."""
    assert not ask(session, sources, "福田区科技和工业信息化局2024年5月末的预算执行率是多少？").answered


# ---- fourth round: wordings and structures met in a fifth blind set

def test_problems_asked_in_other_words_and_both_lists(session, sources) -> None:
    a = ask(session, sources, "罗湖创新驱动产业服务项目有什么不足")
    assert a.intent == "problems" and "绩效目标设置不够准确" in a.answer and "预算资金子项存在不同程度调整" in a.answer
    both = ask(session, sources, "河南技能竞赛经费存在哪些短板，下一步怎么整改")
    assert "赛事规划不够合理" in both.answer and "细化职责分工" in both.answer
    # an item whose title says 不足 is one problem, not a list of its own: five problems, no '一是'
    henan = ask(session, sources, "河南技能竞赛经费评价发现的主要问题有哪些")
    bullets = [ln for ln in henan.answer.splitlines() if ln.startswith("- ")]
    assert len(bullets) == 5 and not any("一是预算执行主体" in b for b in bullets)


def test_measures_under_a_heading_that_names_both_are_found(session, sources) -> None:
    a = ask(session, sources, "福田科创局2021年编外人员太多这个问题打算怎么整改？")
    assert a.intent == "measures" and "总量控制" in a.answer


def test_a_report_named_by_its_quoted_project_is_not_a_missing_term(session, sources) -> None:
    a = ask(session, sources, "罗湖区“创新驱动产业服务”项目评价里，2021年战新增加值是多少亿元？")
    assert a.answered and "207.15" in a.answer


def test_a_year_asked_on_its_own_is_not_answered_by_the_period(session, sources) -> None:
    a = ask(session, sources, "龙岗冷冻电镜系统扶持2020年当年花了多少钱？")
    assert not a.answered
    per_year = ask(session, sources, "龙岗专项资金2019年支持了多少项目")
    assert "2,125" in per_year.answer


def test_a_numbered_item_names_the_figures_under_it(session, sources) -> None:
    a = ask(session, sources, "项目支出里财政委托业务支出年初预算和决算各多少")
    assert "450.52" in a.answer and "449.52" in a.answer
    assert "135.90" not in a.answer and "10.00万元" not in a.answer  # the same words under other items


def test_a_report_total_asked_without_an_indicator(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年得了多少分")
    assert a.answered and "96.15" in a.answer
    conclusion = ask(session, sources, "龙岗专项资金评价的总体结论")
    assert "93.25" in conclusion.answer


def test_indicators_ranked(session, sources) -> None:
    a = ask(session, sources, "罗湖项目扣分最多的指标是哪个")
    assert "绩效指标明确性" in a.answer and "制度执行有效性" in a.answer  # both lost 2 points
    rate = ask(session, sources, "龙岗专项资金哪个一级指标得分率最高")
    assert "「过程」" in rate.answer and "99.95%" in rate.answer


def test_a_measure_scored_inside_another_indicators_rule(session, sources) -> None:
    a = ask(session, sources, "福田2024年三公经费控制率指标的评分标准")
    assert a.intent == "rule" and "“三公”经费控制率<90%的，得3分" in a.answer


def test_a_value_past_a_bound_is_applied_past_it(session, sources) -> None:
    above = ask(session, sources, "福田科创局2021年编外人员控制率超过10%得几分")
    at = ask(session, sources, "福田科创局2021年编外人员控制率10%得几分")
    assert "得分为 0 分" in above.answer and "得分为 0.5 分" in at.answer


def test_a_unit_named_with_another_place_does_not_bring_that_places_report(session, sources) -> None:
    from assistant.qa import read
    from assistant.qa.scope import resolve

    scope = resolve(read(session, "福田区科技创新局2021年公众或服务对象满意度调查的具体满意度百分比是多少"), session.corpus)
    assert [d.id[:3] for d in scope.docs] == ["002"]


def test_a_follow_up_pointing_back_picks_the_report_of_its_year(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "福田科创局2021年和科工信局2024年的编外人员控制率各多少？", conv)
    a = ask(session, sources, "2024年那家单位针对编外人员问题提出了什么改进措施？", conv)
    assert "控制编外人员总体规模" in a.answer and {c.doc[:3] for c in a.citations} == {"004"}


def test_an_indicator_named_by_what_it_measures(session, sources) -> None:
    a = ask(session, sources, "河南报告里那个看补贴发放及不及时的指标得了几分？")
    assert a.indicator is not None and a.indicator.levels[-1] == "省级职业技能竞赛经费补助及时率" and "0.94" in a.answer
    # a number of points lost still picks by the number, not by the words
    b = ask(session, sources, "福田科工信局2024年部门整体支出绩效评分表里扣了0.32分的是哪个指标？为什么？")
    assert "政府采购执行情况" in b.answer


def test_two_measured_words_are_two_parts(session, sources) -> None:
    a = ask(session, sources, "2024年福田年初预算和全年预算")
    assert "25,895.98" in a.answer and "25,007.68" in a.answer


def test_an_indicator_two_reports_name_equally_is_answered_for_each(session, sources) -> None:
    a = ask(session, sources, "科创局2021年预算执行率得了几分")
    assert {c.doc[:3] for c in a.citations} == {"000", "002"} and "4.94" in a.answer


def test_a_comparison_year_is_not_the_figures_year(session, sources) -> None:
    a = ask(session, sources, "普陀财政局2024年机关运行经费是多少，比上年多了多少？")
    assert "184.65" in a.answer and "2.55" in a.answer


def test_methods_written_as_paragraphs_and_when(session, sources) -> None:
    a = ask(session, sources, "龙岗区2018-2020年经济与科技发展专项资金部门绩效评价的评价基准日是哪天？用了哪些评价方法？")
    for fact in ("2020 年 12 月 31 日", "比较法", "因素分析法", "公众评判法"):
        assert fact in a.answer
    assert "2.评价指标体系" not in a.answer  # the neighbouring headings are not methods
    b = ask(session, sources, "河南技能竞赛经费这个绩效评价是啥时候做的，用了哪些评价方法")
    assert "2025年4月至5月" in b.answer and "比较分析法" in b.answer


def test_an_unknown_quoted_indicator_under_a_known_group_is_declined(session, sources) -> None:
    a = ask(session, sources, "河南竞赛经费评价“可持续影响”下的“获奖选手人才留存率”指标得了几分？")
    assert not a.answered and "获奖选手人才留存率" in a.answer


def test_a_problem_named_by_its_title(session, sources) -> None:
    a = ask(session, sources, "龙岗专项资金预算绩效管理有待加强具体表现在哪")
    assert a.intent == "problems" and "绩效管理能力较为欠缺" in a.answer
    causes = ask(session, sources, "罗湖项目存在的问题及原因")
    assert "绩效目标设置不够准确" in causes.answer and "预算合理性不足" in causes.answer


def test_a_section_the_question_names(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年预算绩效管理工作有什么经验做法")
    assert a.intent == "section" and "积极开展绩效跟踪监控" in a.answer
    b = ask(session, sources, "河南技能竞赛项目有哪些主要成效")
    assert b.intent == "section" and "1金3银4铜" in b.answer


def test_a_share_asked_is_not_answered_with_a_growth_rate(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年报告说“促进研发投入超百亿”，那研发投入占GDP比重是多少？")
    assert not a.answered  # the report gives 增速 38.33%, no share of GDP
    b = ask(session, sources, "罗湖2021年战新增加值占GDP比重是多少")
    assert "8.1%" in b.answer


def test_a_part_named_after_a_total_asks_that_parts_points(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "河南技能竞赛总分多少", conv)
    a = ask(session, sources, "决策部分呢", conv)
    assert a.intent == "group" and "10.4" in a.answer and "69.33%" in a.answer


def test_a_report_without_the_indicator_stays_out_of_a_comparison(session, sources) -> None:
    a = ask(session, sources, "罗湖项目和河南竞赛项目的预算执行率哪个高")
    assert {c.doc[:3] for c in a.citations} == {"000", "01_"}


def test_a_quoted_sentence_brings_the_item_it_belongs_to(session, sources) -> None:
    a = ask(session, sources, "普陀区财政局决算说明里讲“因产业政策扶持资金管理系统项目进度，调减相关经费”，说的是哪个支出科目？年初预算和决算各多少？")
    assert "信息化建设" in a.answer and "135.90" in a.answer and "135.25" in a.answer


def test_a_table_row_of_the_year_asked(session, sources) -> None:
    # the row '2023  910.00 …' is 2023's (its cells are not run together into 2023910), under a table
    # headed 2021-2024
    a = ask(session, sources, "河南集训基地补助经费2023年预算安排多少")
    assert "910.00" in a.answer and "集训基地补助经费" in a.answer


def test_a_measure_for_a_named_problem_with_its_parts(session, sources) -> None:
    # '（4）…' is the measure for problem （4）; its '一是…二是…' are its body, not measures of their own
    a = ask(session, sources, "福田区科技创新局针对2021年调整资金累计超过预算总规模10%的问题，提出了哪些改进措施？")
    assert "减少预算调整、调剂的发生" in a.answer and "细化预算" in a.answer and "（1）建立健全" not in a.answer
    b = ask(session, sources, "罗湖科创局2020年请客接待的钱预算了多少？")
    assert "9.50" in b.answer


def test_english_problems_and_measures(session, sources) -> None:
    a = ask(session, sources, "What problems did the Henan skills competition evaluation find?")
    assert a.intent == "problems" and "管理办法不够全面" in a.answer and "成果转化效益不明显" in a.answer
    b = ask(session, sources, "How will Futian 2021 fix the external staff problem?")
    assert b.intent == "measures" and "总量控制" in b.answer
    c = ask(session, sources, "Why did Longgang lose points on performance target rationality?")
    assert c.indicator is not None and c.indicator.levels[-1] == "绩效目标合理性" and "1.5" in c.answer


def test_a_count_asked_is_not_answered_without_one(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年信访件数量")
    assert not a.answered  # the report says every petition was answered in time, not how many
    b = ask(session, sources, "福田科创局2021年固定资产总额是多少")
    assert a is not b and "固定资产利用率」指标" not in b.answer  # an input of a formula is not an indicator


def test_a_rule_of_two_parts_applied_from_both_values(session, sources) -> None:
    a = ask(session, sources, "按福田科工信局2024年评分表里公用经费控制率的标准，要是“三公”经费控制率95%、日常公用经费控制率72.22%，这项6分的指标能得几分？")
    assert a.intent == "apply_rule" and "得分为 5 分" in a.answer


def test_a_sentence_quoted_from_one_report_does_not_bind_the_other(session, sources) -> None:
    a = ask(session, sources, "普陀区财政局2024年决算说“当年度无‘三公’经费支出”，那福田区科技和工业信息化局2024年“三公”经费实际支出是多少？两家对比一下。")
    assert a.answered and "9.21" in a.answer and "0.00" in a.answer


# ---- fifth round: what the sixth blind set met, fixed for any report

def test_points_stated_by_their_role_pick_one_indicator(session, sources) -> None:
    """'1分全丢了拿了0分': a deduction of 1 and a score of 0; four indicators lost 1, one scored 0."""
    a = ask(session, sources, "福田科创局2021年部门整体自评里有一项1分全丢了拿了0分，是哪项？为什么？")
    assert a.indicator is not None and a.indicator.levels[-1] == "编外人员控制率" and "42.42%" in a.answer


def test_a_total_and_the_part_named_with_it(session, sources) -> None:
    a = ask(session, sources, "龙岗专项资金评价总分多少，其中决策部分得了多少分")
    assert "93.25" in a.answer and "16.36" in a.answer


def test_which_report_scored_higher_is_answered_from_their_totals(session, sources) -> None:
    a = ask(session, sources, "Which scored higher in its department-wide self-evaluation: Futian Science and "
                              "Technology Innovation Bureau for 2021, or Futian Science, Technology, Industry and "
                              "IT Bureau for 2024? Give both scores.")
    assert a.intent == "total" and "94.94" in a.answer and "96.15" in a.answer


def test_a_rate_compared_across_reports_is_the_stated_rate(session, sources) -> None:
    a = ask(session, sources, "福田2021年科创局和2024年科工信局两份部门整体自评里，编外人员控制率分别是多少？")
    assert "42.42%" in a.answer and "51.28%" in a.answer


def test_an_applied_rule_quotes_the_tier_it_reached(session, sources) -> None:
    a = ask(session, sources, "按龙岗专项资金那个评分标准，要是受扶持对象满意度只有88%，这项能拿几分？")
    assert "4 分" in a.answer and "80-90%" in a.answer
    b = ask(session, sources, "按照福田区部门整体支出绩效评价共性指标体系框架，若编外人员控制率为8%，该指标可得多少分？")
    assert "0.5 分" in b.answer and "5%≤比率≤10%" in b.answer


def test_problems_come_with_their_first_sentences_and_not_their_measures(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年部门整体评价说存在哪些问题")
    assert a.intent == "problems"
    assert all(x in a.answer for x in ("68.11%", "51.28%", "92.23%"))
    assert "进一步加强绩效指标动态化管理" not in a.answer  # the measure printed under problem 1


def test_points_a_report_without_a_scoring_table_states_in_its_text(session, sources) -> None:
    a = ask(session, sources, "普陀区财政局2024年绩效自评项目平均得分多少")
    assert a.answered and "99.43" in a.answer
    # the projects' deductions are not in it: still declined
    assert not ask(session, sources, "普陀区财政局2024年做绩效自评的项目里，扣分最多的那个项目叫什么、扣了几分？").answered


def test_a_table_named_in_english_and_a_block_of_rows(session, sources) -> None:
    """表1-1 holds three blocks of yearly rows; each later block is led by its own name."""
    a = ask(session, sources, "In Table 1-1 of the Henan competition fund evaluation, what were the 2024 budget, "
                              "actual spending and execution rate for the one-off competition subsidy?")
    assert all(x in flat(a.answer) for x in ("2895.00", "1995.00", "68.91"))
    b = ask(session, sources, "河南竞赛经费获奖选手奖补经费2024年预算多少")
    assert "996.70" in b.answer and "2895.00" not in b.answer


def test_two_years_in_two_kinds_of_report(session, sources) -> None:
    a = ask(session, sources, "罗湖科创局国检大厦的租金，2020年部门预算里安排了多少，2021年项目里实际付了多少？")
    assert "600.30" in a.answer and "618.26" in a.answer


def test_how_many_times_needs_a_count(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "罗湖区科技创新局2021年度创新驱动产业服务项目调整后预算是多少？", conv)
    a = ask(session, sources, "那這個項目預算調劑了幾次？", conv)
    assert "4 次调剂" in a.answer


def test_roles_asked_in_english_and_a_formula_is_not_a_figure(session, sources) -> None:
    a = ask(session, sources, "Who is listed as the responsible person and the form filler on Luohu Science and "
                              "Technology Innovation Bureau's 2020 department-wide performance target declaration form?")
    assert "石兴中" in a.answer and "罗远" in a.answer
    b = ask(session, sources, "河南竞赛那份评价里，46届和47届世赛集训基地的人均集训成本对比怎么样？")
    assert "4.30" in b.answer and "2.21" in b.answer


def test_a_block_subtotal_and_a_group_scored_only_in_the_text(session, sources) -> None:
    a = ask(session, sources, "罗湖区创新驱动产业服务项目预算执行情况表中，高交会项目的执行预算数和预算执行率是多少？")
    assert "54.66" in a.answer and "91.09%" in a.answer  # the block's 小计 row
    # 000's table lost the 分值 cells of 产出数量's rows; its text says 分值 12 分，得分 11 分
    lost = ask(session, sources, "罗湖创新驱动产业服务项目都是哪些指标扣了分？")
    assert "「产出数量」分值 12 分，得分 11 分" in lost.answer and "得分 91 分" in lost.answer


def test_rows_chosen_by_their_full_points_and_score(session, sources) -> None:
    a = ask(session, sources, "河南那个技能竞赛经费评价里，有哪些分值3分的三级指标被扣成了0分？")
    assert "立项程序规范性" in a.answer and "省职业技能大赛资金使用效益" in a.answer
    assert a.answer.count("\n- ") == 2


def test_a_follow_up_that_narrows_the_last_question(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "河南省级职业技能竞赛经费2021-2024年共下达预算多少？", conv)
    a = ask(session, sources, "其中2024年安排了多少？", conv)
    assert "5791.70" in a.answer and {c.doc[:8] for c in a.citations} == {"01_henan"}


def test_rankings_across_reports_and_a_reports_weakest_part(session, sources) -> None:
    top = ask(session, sources, "几个报告里谁的总分最高")
    assert top.intent == "total" and "2024 年度部门整体绩效评价报告得分最高" in top.answer
    low = ask(session, sources, "哪个报告得分最低")
    assert "2021-2024年省级职业技能竞赛经费项目绩效评价报告得分最低" in low.answer
    weak = ask(session, sources, "福田2024年哪一块最弱")
    assert "「部门决策指标」分值 20 分，得分 18 分" in weak.answer
    # each report's line for the indicator; a claim only where every line states one rate of its own
    rate = ask(session, sources, "哪份报告的预算执行率最高")
    assert rate.intent == "compare" and "最高（" not in rate.answer
    assert "99.19%" in rate.answer and "92.23%" in rate.answer
    staff = ask(session, sources, "哪家单位的编外人员控制率最高")
    assert "更高（51.28%）" in staff.answer


def test_plain_words_of_a_new_clerk(session, sources) -> None:
    spent = ask(session, sources, "福田2024年的钱有没有花完")
    assert spent.answered and "92.23%" in spent.answer
    low = ask(session, sources, "罗湖创新驱动项目打分表上最低的是哪项")
    assert "「绩效指标明确性」分值 3 分，得分 1 分" in low.answer
    # a report's points asked in a province's own words: its total, not an indicator it happens to match
    total = ask(session, sources, "福田科工信局2024年部门整体支出绩效自评得分")
    assert total.intent == "total" and "96.15" in total.answer


def test_a_reports_grade_with_its_grade_bands(session, sources) -> None:
    a = ask(session, sources, "龙岗专项资金评价评了什么等级，等级标准是怎样的")
    assert "93.25" in a.answer and "80（含）-90 分为良" in a.answer


def test_how_to_improve_after_an_indicator_is_its_measure(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "福田2021年编外人员控制率为什么得0分", conv)
    a = ask(session, sources, "怎么改进", conv)
    assert a.intent == "measures" and "规范编外人员用工" in a.answer
    assert "建立健全项目绩效指标" not in a.answer and "评分标准" not in a.answer


def test_how_many_things_is_answered_by_the_numbered_list_of_them(session, sources) -> None:
    a = ask(session, sources, "普陀财政局2024年有几个下属单位")
    assert a.answered and "国库收付中心" in a.answer
    # a number of staff is not a list of units
    assert not ask(session, sources, "普陀区财政局2024年末核定编制数和实有在职人数各是多少？").answered


def test_english_plurals_ranked_losses_and_a_name_after_a_rows_figures(session, sources) -> None:
    a = ask(session, sources, "How much did Putuo finance bureau spend on official receptions in 2024?")
    assert "公务接待费支出决算为0.00万元" in a.answer and "69.10" not in a.answer
    b = ask(session, sources, "Which indicators lost the most points in the Henan evaluation?")
    assert "扣分最多的是" in b.answer and "「制度执行有效性」分值 8 分" in b.answer


def test_follow_ups_that_name_another_report_compare_with_a_year_or_ask_another_measure(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "福田科创局2021年自评总分是多少", conv)
    other = ask(session, sources, "那2024年科工信局那份呢？", conv)  # a report of its own, nothing else asked
    assert other.intent == "total" and "96.15" in other.answer and {c.doc[:3] for c in other.citations} == {"004"}
    conv = session.conversation()
    ask(session, sources, "罗湖科创局2020年三公经费财政拨款预算多少", conv)
    less = ask(session, sources, "比2019年少了多少？", conv)  # 2019 is the last question's comparison, not a report year
    assert less.answered and "1.00 万元" in less.answer
    conv = session.conversation()
    ask(session, sources, "普陀区财政局2024年三公经费年初预算是多少？", conv)
    spent = ask(session, sources, "那支出决算是多少？", conv)  # the same thing's other measure
    assert "支出决算为0.00万元" in spent.answer
    english = ask(session, sources, "And how much was spent on it in the end?", conv)
    assert english.answered and {c.doc[:8] for c in english.citations} == {"02_shang"}


def test_shortened_indicator_names_and_a_quoted_path_of_levels(session, sources) -> None:
    head = ask(session, sources, "龙岗专项资金评价里预算编制那项得了几分")  # the start of 预算编制科学性
    assert "「决策 > 资金投入 > 预算编制科学性" in head.answer and "2.36" in head.answer
    middle = ask(session, sources, "福田2021年自评里公众满意度如果是85%能得几分")  # 公众或服务对象满意度
    assert middle.intent == "apply_rule" and "得2分" in middle.answer
    path = ask(session, sources, "福田科工信局2024年绩效指标完成情况里“产出指标—数量指标”下招引人才数量实际完成多少")
    assert path.answered and "150 人" in path.answer


def test_a_reports_own_name_for_its_project_quoted_and_an_english_quoted_term(session, sources) -> None:
    a = ask(session, sources, "罗湖科创局“创新驱动与产业服务”2021年年初预算多少")
    assert a.answered and "1,129.26" in a.answer
    b = ask(session, sources, 'Which "low-level error" appears in the Henan competition notices?')
    assert b.answered and "11月31日" in b.answer


def test_a_row_under_a_repeated_header_and_a_caption_printed_over_many_tables(session, sources) -> None:
    # '子项 事项 合同实施单位 实施摘要' printed again after a page break names the columns, answers nothing
    a = ask(session, sources, "第二十三届高交会罗湖区展位服务的合同实施单位是哪一家？")
    assert a.answered and "中诗展览" in a.answer
    # '项目支出绩效目标表2020年度' over twenty tables counts once in the ranking, and the search looks deeper
    from assistant.qa import evidence, read

    q = read(session, "罗湖区2020年项目支出绩效目标表的测算明细中，房租补贴安排了多少？")
    docs = [d for d in session.corpus if d.id.startswith("003")]
    units = evidence.find(session, q, docs, k=12)
    captions = {u.hit.passage_id for u in units if squash(u.hit.text).startswith("项目支出绩效目标表")}
    assert len(captions) == 1 and len({u.hit.passage_id for u in units}) >= 10


def test_an_english_place_the_corpus_lacks_and_a_part_named_in_a_follow_up(session, sources) -> None:
    a = ask(session, sources, "What score did the Bao'an District Science and Technology Innovation Bureau receive in 2021?")
    assert not a.answered and "宝安" in a.answer
    conv = session.conversation()
    ask(session, sources, "河南职业技能竞赛经费评价里，“过程”这个一级指标得了多少分？", conv)
    low = ask(session, sources, "那过程指标下面哪个三级指标得分最低？", conv)  # within 过程, not the whole table
    assert "「过程」下" in low.answer and "制度执行有效性" in low.answer and "0.80" in low.answer
    assert "立项程序规范性" not in low.answer  # 0 points, but under 决策


def test_why_after_a_figure_is_the_reason_for_that_figure(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "普陀区财政局2024年一般公共服务支出中“信息化建设（项）”的年初预算和支出决算分别是多少？", conv)
    why = ask(session, sources, "决算为什么比预算少？", conv)
    assert why.answered and "产业政策扶持资金管理系统" in why.answer


def test_colloquial_totals_and_points_lost_by_an_auditors_paraphrase(session, sources) -> None:
    total = ask(session, sources, "河南那个技能竞赛总共打了几分啊")
    assert total.intent == "total" and "65.00" in total.answer
    both = ask(session, sources, "福田21年跟24年自评各打了多少分")
    assert both.answered and "94.94" in both.answer and "96.15" in both.answer
    conv = session.conversation()
    # '失分' is the auditor's word, not a typo for '是分'; of the two rows that lost 1.5, the one named alike
    a = ask(session, sources, "龙岗区2018—2020年经济与科技发展专项资金评价中，目标设定合理程度这一考核项失分1.5分的依据是什么？", conv)
    assert a.indicator is not None and a.indicator.levels[-1] == "绩效目标合理性" and "资金到位及时率" in a.answer
    # the same report, another indicator named by what it measures: not the last one again
    b = ask(session, sources, "同一报告中，指标清晰可衡量程度这一考核项又因何失分？", conv)
    assert b.indicator is not None and b.indicator.levels[-1] == "绩效指标明确性" and "为企业提供良好的发展环境" in b.answer


def test_a_count_compared_between_two_years_and_each_years_figure(session, sources) -> None:
    a = ask(session, sources, "龙岗区科技创新类专项资金资助项目数量2019年与2020年相比有何变化？")
    assert a.answered and "2,125" in a.answer and "2,080" in a.answer
    b = ask(session, sources, "龙岗专项资金2019年和2020年的年中追家预算各是多少？")  # each year's row, not the period's total
    assert "6,433.23" in b.answer and "7,702.23" in b.answer


def test_a_kind_of_evaluation_the_named_unit_has_no_report_of(session, sources) -> None:
    a = ask(session, sources, "河南省人力资源和社会保障厅2024年度部门整体支出绩效自评的总得分是多少？")
    assert not a.answered and "部门整体支出绩效评价" in a.answer  # the corpus holds a project's evaluation
    b = ask(session, sources, "福田科工信局2024年部门整体支出绩效评价得了多少分")
    assert b.answered and "96.15" in b.answer


def test_how_it_was_deducted_is_why_and_a_rate_is_not_a_score_tables_percentage(session, sources) -> None:
    a = ask(session, sources, "龙岗那个满意度咋扣的")  # '咋扣的': how it lost points, not only the rule
    assert a.intent == "deduction" and "94.65%" in a.answer
    b = ask(session, sources, "河南省级职业技能竞赛经费评价中，参赛选手、专家教练团队及选送单位这类服务对象的满意度是多少？")
    assert "91.58%" in b.answer  # not the 100.00% score rate of the points table's row
    c = ask(session, sources, "普陀区财政局2024年一般公共预算财政拨款基本支出决算表中，工资福利支出和津贴补贴分别是多少？")
    assert "2,082.85" in c.answer and "1,238.58" in c.answer  # rows of the table named by its title


def test_an_analysts_english_for_budget_lines_and_award_tiers(session, sources) -> None:
    a = ask(session, sources, "In Putuo's 2024 basic-expenditure table, what were total personnel costs and total public "
                              "(operating) costs?")
    assert "2,152.26" in a.answer and "184.65" in a.answer
    b = ask(session, sources, "Under the Henan rules, what cash awards are given to contestants who win gold, silver, "
                              "bronze or an honourable mention at the national skills competition?")
    assert all(x in b.answer for x in ("8万元", "5万元", "3万元"))


def test_a_real_word_typed_for_a_scoring_term_and_a_problem_found_by_its_topic(session, sources) -> None:
    a = ask(session, sources, "河南那个竞赛经费评价的得分跟登记是多少")  # 登记 typed for 等级
    assert a.answered and "65" in a.answer and "「中」" in a.answer
    item = ask(session, sources, "河南竞赛经费问题清单里关于奖金发放是怎么写的")
    assert item.answered and "奖金发放不够及时" in item.answer


def test_each_named_part_then_the_lowest_of_those_parts(session, sources) -> None:
    conv = session.conversation()
    a = ask(session, sources, "河南竞赛经费评价里决策、过程、产出、效益各拿了多少分", conv)
    assert all(x in a.answer for x in ("10.4", "11.47", "19.88", "23.25"))
    low = ask(session, sources, "哪个得分率最低", conv)
    assert "「过程」" in low.answer and "45.88%" in low.answer and "立项程序规范性" not in low.answer


def test_problems_asked_after_an_indicator_are_the_reports_problems(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "罗湖2021年创新驱动产业服务项目预算执行率得了几分", conv)
    a = ask(session, sources, "那问题呢", conv)
    assert a.intent == "problems" and "绩效目标设置不够准确" in a.answer


def test_the_most_points_lost_at_a_named_level_and_which_year_scored_higher(session, sources) -> None:
    a = ask(session, sources, "福田2021年部门整体支出自评哪个三级指标丢分最多")
    assert "「预算执行率」" in a.answer.split("\n")[1] and "4.94" in a.answer
    b = ask(session, sources, "福田科创局2021年和科工信局2024年哪一年分数更高")
    assert "94.94" in b.answer and "96.15" in b.answer


def test_a_report_of_a_province_the_corpus_lacks_is_declined_in_traditional_characters(session, sources) -> None:
    a = ask(session, sources, "山東省職業技能競賽經費績效評價報告總分多少")
    assert not a.answered and "山东" in a.answer
    inside = ask(session, sources, "郑州举办第一届省赛的赞助费有多少")  # a place the Henan report writes about
    assert inside.answered and all(c.doc.startswith("01_henan") for c in inside.citations)


def test_a_rule_with_the_tier_a_value_falls_in_and_a_reason_after_a_figure(session, sources) -> None:
    a = ask(session, sources, "龙岗受扶持对象满意度分几档给分，94.65%落在哪一档")
    assert "60%（不含）以下" in a.answer and "94.65%" in a.answer and "5 分" in a.answer
    b = ask(session, sources, "普陀财政局财政委托业务支出年初预算和决算各多少，为什么少了")
    assert flat("450.52") in flat(b.answer) and "449.52" in b.answer and "评审费" in b.answer


def test_a_figure_the_question_gives_is_not_the_figure_it_asks_for(session, sources) -> None:
    a = ask(session, sources, "龙岗专项资金满意度94.65%，有效问卷一共收回来多少份")
    assert not a.answered  # the report prints no count of questionnaires
    b = ask(session, sources, "福田2024年满意度那项得了6分，调查出来的满意度到底是百分之多少")
    assert b.answered and "95%以上" in flat(b.answer)


def test_what_was_actually_spent_is_not_answered_from_a_budget(session, sources) -> None:
    a = ask(session, sources, "罗湖科创局2020年三公经费实际支出了多少")  # 003 is a budget: no actual spending in it
    assert not a.answered
    both = ask(session, sources, "罗湖科创局国检大厦租金2020年部门预算里安排了多少，2021年项目评价里实际执行了多少")
    assert "600.30" in both.answer and "618.26" in both.answer


def test_one_year_of_a_multi_year_report_with_a_typo_and_a_follow_up(session, sources) -> None:
    conv = session.conversation()
    a = ask(session, sources, "龙岗专项资金2019年预算执性率多少", conv)  # 执性率: 执行率
    assert "99.98%" in a.answer and "2018 年 50,000.00" not in a.answer
    b = ask(session, sources, "2020年呢", conv)
    assert "2020 年 42,650.00" in b.answer


def test_a_section_named_with_another_joining_word_and_a_code_the_table_lacks(session, sources) -> None:
    a = ask(session, sources, "龙岗专项资金绩效评价报告里有哪些主要经验与做法")  # the heading says 主要经验及做法
    assert a.intent == "section" and "强化制度建设" in a.answer
    b = ask(session, sources, "河南竞赛经费评分表F201指标扣了几分")
    assert not b.answered and "F201" in b.answer


def test_a_computed_subtotal_rate_is_written_as_the_report_writes_it(session, sources) -> None:
    henan = ask(session, sources, "河南竞赛评价D1经济效益小计多少分")
    assert "3.00 分" in henan.answer and "37.50%" in henan.answer  # the annex prints 37.50%
    longgang = ask(session, sources, "龙岗专项资金评价效益部分得分率")
    assert "90%" in longgang.answer and "90.00%" not in longgang.answer  # the report prints 90%


def test_a_section_asked_how_it_is_written_and_a_carried_over_amount_in_plain_words(session, sources) -> None:
    a = ask(session, sources, "普陀财政局2024年部门决算里预算绩效管理情况怎么写的")
    assert a.intent == "section" and "598.42" in a.answer
    b = ask(session, sources, "普陀财政局2024年年末结转下去的钱有多少")  # 下去 is not 下区, a place
    assert b.answered and "55.34" in b.answer


def test_a_difference_of_two_totals_and_a_year_with_no_report_to_compare(session, sources) -> None:
    a = ask(session, sources, "福田2024年科工信局总分比2021年科创局高多少")
    assert "1.21" in a.answer and "96.15" in a.answer and "94.94" in a.answer
    b = ask(session, sources, "福田科工信局2024年得分较2022年高了多少")
    assert not b.answered and "2022" in b.answer


def test_the_lowest_row_under_a_part_with_its_code_and_rate_as_printed(session, sources) -> None:
    a = ask(session, sources, "河南过程类三级指标里哪项得分率最低")
    assert "B102" in a.answer and "10.00%" in a.answer and "0.80" in a.answer


def test_a_term_the_scoring_row_defines_is_quoted_when_its_meaning_is_asked(session, sources) -> None:
    a = ask(session, sources, "河南C301评分规则里“及时”指什么")
    assert "12月31日" in a.answer and "受补助资金发放至受益对象账户" in a.answer
    b = ask(session, sources, "河南竞赛经费评价里补贴发放“及时”是怎么认定的")
    assert "12月31日" in b.answer


def test_a_sections_parts_come_with_the_start_of_what_each_says(session, sources) -> None:
    a = ask(session, sources, "福田科工信局2024年预算绩效管理工作有哪些主要经验做法")
    assert a.intent == "section" and "扎实推进预算绩效精细化管理" in a.answer
    assert "三个同步" in a.answer and "双监控" in a.answer  # said in each part's first sentence


def test_a_word_ending_in_ju_is_not_a_bureau_and_a_part_repeating_the_answer_adds_nothing(session, sources) -> None:
    """'创新载体布局' names no bureau (布局 is a layout): the question is answered, not declined as a report
    of an unheld unit; its second part, answered by the same sentence, is not printed again."""
    a = ask(session, sources, "龙岗那份报告讲的经验做法里，创新载体布局那块有啥具体数字？比如有多少众创空间、孵化器？")
    assert a.answered and "众创空间 44 家" in a.answer and "孵化器 29 家" in a.answer
    assert a.answer.count("众创空间 44 家") == 1 and {c.doc[:3] for c in a.citations} == {"001"}


def test_a_table_rows_count_and_amount_read_from_its_column_headings(session, sources) -> None:
    """'多少人 多少钱' asked in traditional characters: the row's bare 1453 and 547.7 are a count and an
    amount by its table's headings 数量（人/个） and 金额（万元）."""
    a = ask(session, sources, "2023年省級職業技能競賽獲獎選手獎金 多少人 多少錢")
    assert a.answered and "1453" in a.answer and "547.7" in a.answer and "数量（人/个）" in a.answer


def test_the_figure_of_the_indicator_the_best_row_names(session, sources) -> None:
    """Described in other words ('管外聘、劳务派遣人员比例'), the indicator's table row is found; its value
    is the sentence that gives 编外人员控制率 a figure. The follow-up's rule is that indicator's, and its
    second part ('比例多少以内才能拿分') stays with it rather than another rule's 10%."""
    conv = session.conversation()
    a = ask(session, sources, "福田科创局2021年自评里，管外聘、劳务派遣人员比例的那个指标是不是被扣光了？比例是多少？", conv)
    assert a.answered and "42.42%" in a.answer
    rule = ask(session, sources, "评分标准是什么？比例多少以内才能拿分", conv)
    assert "编外人员控制率" in rule.answer and "比率＜5%的，得1分" in rule.answer
    assert "资金调整" not in rule.answer


def test_a_year_or_place_named_only_to_compare_with(session, sources) -> None:
    """The year (2022) or unit (静安区财政局) asked about is not held; the one held (2021, 普陀) is only what
    it would be compared with: declined. Two held years compared with '比…高多少' are answered."""
    for q in ("福田区科技创新局2022年度部门整体支出自评得分是多少？比2021年高还是低？",
              "上海市静安区财政局2024年度“三公”经费决算是多少？和普陀比哪个高？"):
        assert not ask(session, sources, q).answered, q
    a = ask(session, sources, "福田2024年得分比2021年高多少")
    assert a.answered and "94.94" in a.answer and "96.15" in a.answer and "1.21" in a.answer


def test_a_follow_up_whose_first_clause_ends_in_ne(session, sources) -> None:
    """'决策那一块呢？得了几分' after a report's total: that report's 决策, not another report's."""
    conv = session.conversation()
    ask(session, sources, "龙岗区2018-2020年经济与科技发展专项资金（科技创新类）的部门绩效评价总分是多少？评级是什么？", conv)
    a = ask(session, sources, "决策那一块呢？得了几分，得分率多少", conv)
    assert "16.36" in a.answer and "81.8%" in a.answer and {c.doc[:3] for c in a.citations} <= {"001"}


def test_a_rules_bounds_are_not_the_satisfaction_asked_for(session, sources) -> None:
    """'满意度是多少': the rule's '满意度 60%（不含）以下' states no value; the survey's 94.65% does."""
    a = ask(session, sources, "龙岗专项资金的满意度是多少")
    assert a.answered and "94.65%" in a.answer


def test_a_project_name_picks_its_report_where_the_place_is_shared(session, sources) -> None:
    """罗湖 names two reports (000 and 003); 创新驱动产业服务 (the name 000 gives its project, 与 left out)
    picks 000, so the two projects' rules are answered side by side."""
    a = ask(session, sources, "罗湖创新驱动产业服务和龙岗经济与科技发展专项资金的满意度评分规则分别是什么")
    assert a.answered and {c.doc[:3] for c in a.citations} == {"000", "001"}
    assert "扣除0.2分" in a.answer and "得 5分" in a.answer


def test_an_english_percentage_that_only_a_rule_prints_is_declined(session, sources) -> None:
    """000 states no survey result, only its rule (满意度达95%，得满分; 每下降1%): asked in English for the
    percentage, it is declined; 001's survey result (94.65%) answers the same question about 001."""
    assert not ask(session, sources, "What satisfaction percentage did the survey in Luohu's 2021 "
                                     "innovation-driven industry service evaluation record?").answered
    a = ask(session, sources, "What satisfaction rate did Longgang's special fund evaluation survey find?")
    assert a.answered and "94.65%" in a.answer


def test_an_ordinal_event_is_answered_by_its_own_line_and_declined_when_not_held(session, sources) -> None:
    """'第三届省赛' (written 三届省赛 in the report) is answered from the third one's line though the lines
    of the first and second score higher, and 第三届 is not read as a place before 省; a 第四届 the report
    never held is declined, though another contest's 第四届…技能大赛 is printed."""
    a = ask(session, sources, "河南第三届省赛省级财政下拨了多少")
    assert a.answered and "2000万元" in a.answer and "三届省赛" in a.answer
    assert not ask(session, sources, "河南第四届职业技能大赛省里拨了多少钱").answered


def test_a_quarters_figure_of_a_thing_the_report_gives_only_for_the_year(session, sources) -> None:
    """004 gives 三公经费 for the year only; a line naming 第三季度 is about the execution rate: asked for the
    third quarter's 三公 spending it declines, and the third quarter's execution rate is answered."""
    assert not ask(session, sources, "福田科工信局2024年第三季度三公经费支出多少").answered
    a = ask(session, sources, "福田科工信局2024年第三季度预算执行率是多少")
    assert a.answered and "53.38%" in a.answer


def test_the_tail_of_a_word_before_sheng_is_not_a_province(session, sources) -> None:
    """'河南报告说省赛…': 南报告说 before 省 is no province the question names (which would have to be
    quoted): the three contests' event counts are answered."""
    a = ask(session, sources, "河南报告说省赛一届比一届赛项多，三届省赛分别设置了多少个赛项")
    assert a.answered and "45、70和80个赛项" in a.answer


def test_which_company_asks_for_a_name_not_the_word_enterprise(session, sources) -> None:
    """'二届省赛…企业赞助15万元' names no company: asked which one gave it, declined; the first contest's
    sponsor is named (交通银行)."""
    assert not ask(session, sources, "河南二届省赛有15万元企业赞助，是哪个企业出的钱").answered
    a = ask(session, sources, "河南第一届省赛的赞助是哪家银行给的")
    assert a.answered and "交通银行" in a.answer


def test_eighth_round_words_for_totals_formulas_deadlines_and_comparisons(session, sources) -> None:
    """'最后总共几分' asks the total; '这个比率怎么计算的' after an indicator gives its row's explanation of the
    figure before its tiers; '和2023年相比呢' after an amount compares that amount (not the measure last
    asked); a deadline written '8 月底前' is a date; '低于90%能得几分' is the rule's tier."""
    a = ask(session, sources, "龙岗专项资金2018到2020年那次评价最后总共几分")
    assert "93.25" in a.answer
    conv = session.conversation()
    ask(session, sources, "福田科创局2021年编外人员控制率扣了多少", conv)
    a = ask(session, sources, "这个比率怎么计算的", conv)
    assert "在职人员总数（在编+编外）" in a.answer and "比率＜5%的，得1分" in a.answer
    conv = session.conversation()
    ask(session, sources, "普陀区财政局2024年一般公共预算财政拨款支出决算是多少", conv)
    a = ask(session, sources, "和2023年相比呢", conv)
    assert "63.14万元" in a.answer
    a = ask(session, sources, "罗湖科创局2020年部门预算对绩效监控有什么时间要求")
    assert a.answered and "8 月底前" in a.answer
    a = ask(session, sources, "福田三公经费控制率低于90%能得几分")
    assert "＜90%的，得3分" in a.answer


def test_a_blank_role_and_an_english_questions_bracketed_term(session, sources) -> None:
    """002's form prints 填报人： with no name after it: asked who filled it in, declined. An English
    question's bracketed Chinese term (在编人数) is what it asks about: a report that never prints it declines."""
    assert not ask(session, sources, "福田科创局2021年自评表上的填报人叫什么").answered
    assert not ask(session, sources, "How many serving staff (在编人数) did the Putuo finance bureau report for 2024?").answered


def test_measures_for_a_part_and_problems_asked_by_the_reports_own_name(session, sources) -> None:
    """'关于人员管理方面的问题，提出了哪些改进措施' asks the measures of that part, not the part's points; a
    question naming the report by its project (…专项资金评价发现了什么问题) asks every problem, not the one
    whose title shares the name's words."""
    a = ask(session, sources, "福田科工信局2024年报告里关于人员管理方面的问题，提出了哪些改进措施")
    assert a.answered and "控制编外人员总体规模" in a.answer and "报批程序" in a.answer
    a = ask(session, sources, "龙岗经济与科技发展专项资金评价发现了什么问题")
    assert "绩效管理能力较为欠缺" in a.answer and "77.4%" in a.answer


def test_why_after_a_figure_of_a_report_without_a_scoring_table(session, sources) -> None:
    # '24年' is a year, not 24 points: the follow-up's 'why' is the reason the figure rose, not a lost point
    conv = session.conversation()
    first = ask(session, sources, "普陀区财政局24年机关运行经费花了多少", conv)
    assert first.answered and "184.65" in first.answer
    why = ask(session, sources, "为啥增加了", conv)
    assert why.answered and "照明" in why.answer
    assert {c.doc[:8] for c in why.citations} == {"02_shang"}


def test_an_english_follow_up_that_points_back_with_there(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "Putuo finance bureau 2024: the 年初预算 and 决算 of the 信息化建设 item?", conv)
    why = ask(session, sources, "Why was spending lower there?", conv)
    assert why.answered and "管理系统" in why.answer
    assert {c.doc[:8] for c in why.citations} == {"02_shang"}


def test_a_word_two_sibling_indicators_end_with_and_a_figure_asked_after_their_rule(session, sources) -> None:
    conv = session.conversation()
    rule = ask(session, sources, "河南竞赛经费那份评价的满意度怎么打分", conv)
    assert rule.answered and rule.intent == "rule"
    assert "一次性竞赛补贴对象满意度" in rule.answer and "参赛选手、专家教练团队及选送单位补助对象满意度" in rule.answer
    assert "90%" in rule.answer and "5%" in rule.answer
    formula = ask(session, sources, "河南竞赛经费评价里满意度是怎么计算的")
    assert formula.answered and "无感×50%" in formula.answer
    assert all(" … " not in c.quote for c in formula.citations)  # each quote one stretch of the report
    rate = ask(session, sources, "And what rate did the 主办方、承办方 give?", conv)
    assert rate.answered and "93.06%" in rate.answer


def test_an_ordinal_compared_with_another_and_a_measure_word_after_ji(session, sources) -> None:
    more = ask(session, sources, "河南省赛第三届比第二届多设了几个赛项")
    assert more.answered and "70" in more.answer and "80" in more.answer
    cars = ask(session, sources, "普陀区财政局2024年末一共有几辆公务车")
    assert cars.answered and "共有车辆0辆" in flat(cars.answer)


def test_an_indicator_described_by_what_its_row_measures(session, sources) -> None:
    a = ask(session, sources, "河南那份竞赛经费评价里，看补贴是不是按时发下去的那项为什么得分这么低")
    assert a.answered and a.indicator is not None and a.indicator.levels[-1] == "省级职业技能竞赛经费补助及时率"
    assert "0.94" in a.answer


def test_how_points_are_worked_out_asked_colloquially(session, sources) -> None:
    a = ask(session, sources, "福田科创局2021年预算执行率这项是咋给分的")
    assert a.answered and a.intent == "rule" and "序时进度" in a.answer


def test_two_groups_of_an_english_question_are_each_answered(session, sources) -> None:
    a = ask(session, sources, "What did the 决策 and 过程 groups score in the Henan competition evaluation?")
    assert a.answered and "10.40" in a.answer and "11.47" in a.answer


def test_the_evaluation_of_a_project_no_report_evaluates_is_declined(session, sources) -> None:
    other = ask(session, sources, "罗湖科创局2021年科普工作经费项目的绩效评价得分是多少")
    assert not other.answered and "科普工作经费" in other.answer
    own = ask(session, sources, "罗湖创新驱动产业服务项目的评价得了多少分")
    assert own.answered and "91" in own.answer


def test_what_a_budget_line_is_for_and_a_list_of_years_continued(session, sources) -> None:
    use = ask(session, sources, "罗湖科创局2020年部门预算里产业转型升级资金是拿来干什么的")
    assert use.answered and "国高企业" in use.answer
    counted = ask(session, sources, "龙岗专项资金2019年扶持了多少家企业和院校")
    assert counted.answered and "1408" in flat(counted.answer)


def test_an_english_question_naming_one_problem_by_its_chinese_words(session, sources) -> None:
    a = ask(session, sources, "Henan report, problem about 地市配套资金: which city replaced its matching money with provincial funds?")
    assert a.answered and "开封" in a.answer


def test_a_reviewer_checking_a_report_against_itself_gets_each_statement(session, sources) -> None:
    # the report gives the first quarter's execution rate twice, differently: both are quoted, each where it is
    a = ask(session, sources, "福田科创局2021年一季度预算执行率，报告前后写的两个数对得上吗")
    assert a.answered and "15.64%" in a.answer and "62.56%" in a.answer
    totals = ask(session, sources, "普陀区财政局情况说明里的财政拨款收入支出总计和财政拨款收入支出决算总表的总计一致吗")
    assert totals.answered and "0.3万元" in totals.answer and "2961.68" in flat(totals.answer)


def test_numbers_and_years_said_in_words(session, sources) -> None:
    unheld = ask(session, sources, "那个罗湖区科技创新局二零二三年部门预算一共多少钱")
    assert not unheld.answered and "2023" in unheld.answer
    total = ask(session, sources, "嗯 福田科创局二零二一年那个自评总分是多少")
    assert total.answered and "94.94" in total.answer


def test_real_words_are_not_repaired_as_typos(session) -> None:
    from assistant.qa import read

    q = read(session, "罗湖那个项目的调剂规模表格里和正文里好像不一样")
    assert "正文" in q.text and "好像" in q.text
    assert "的表述" in read(session, "龙岗专项资金对执行率的表述一致吗").text  # 的 is no evidence for 的标
    assert "绩效目标" in read(session, "福田绩效目表的得分").text  # a typo still is one


def test_a_possessive_place_and_a_scoring_table_pointed_back_at(session, sources) -> None:
    a = ask(session, sources, "How did Futians 2021 budget execution rate compare with its 2024 rate?")
    assert a.answered and "97.65%" in a.answer and "92.23%" in a.answer
    conv = session.conversation()
    ask(session, sources, "福田科工信局2024年评分表里哪个三级指标失分最多", conv)
    back = ask(session, sources, "该评分表中“政府采购执行情况”得了几分", conv)
    assert back.answered and "1.68" in back.answer and {c.doc[:3] for c in back.citations} == {"004"}


def test_follow_ups_naming_another_year_or_another_edition(session, sources) -> None:
    conv = session.conversation()
    ask(session, sources, "龙岗那个专项资金2019年年中追加了多少", conv)
    other = ask(session, sources, "那2020年的呢？", conv)
    assert other.answered and "7702.23" in flat(other.answer)
    conv = session.conversation()
    ask(session, sources, "河南省赛的赞助费是哪家给的，给了多少", conv)
    third = ask(session, sources, "那第三届的赞助最后交给了谁", conv)
    assert third.answered and "开封电视台" in third.answer


def test_a_later_part_about_that_indicator(session, sources) -> None:
    a = ask(session, sources, "龙岗专项资金评价正文写执行率99.99%，可附件2评分表里写的执行率是多少？该指标得几分？")
    assert a.answered and "3.99" in a.answer and "语料中没有与此相符" not in a.answer


def test_one_year_asked_in_english_of_a_table_titled_by_its_period(session, sources) -> None:
    a = ask(session, sources, "Longgang report, Table 1 (2018-2020 资金投入和使用情况): the 年中追加 for 2020?")
    assert a.answered and "7702.23" in flat(a.answer)


def test_a_rows_points_stated_in_the_question_pick_its_report(session, sources) -> None:
    # five reports score 绩效指标明确性; only 罗湖's is 3 points with 1 scored (its 分值 printed in its text)
    a = ask(session, sources, "三级指标“绩效指标明确性”分值3分仅得1分，评价组的扣分依据是什么？")
    assert a.answered and a.indicator is not None and a.indicator.doc.startswith("000")
    assert "13" in a.answer and "定量" in a.answer
    b = ask(session, sources, "“预算编制科学性”权重3分、得分2.36分，扣分依据是什么？")
    assert b.indicator is not None and b.indicator.doc.startswith("001") and "21.44%" in b.answer
    # one report, two rows that lost the points stated: each, not a question of which report
    both = ask(session, sources, "罗湖创新驱动项目扣了2分的是哪几项？为什么？")
    assert "绩效指标明确性" in both.answer and "制度执行有效性" in both.answer and "哪一份报告" not in both.answer


def test_years_typed_by_two_digits_are_declined_when_not_held(session, sources) -> None:
    for question in ("龙岗专项资金二一到二三年评价得分多少", "普陀财政局二五年部门预算收入多少"):
        assert not ask(session, sources, question).answered, question
    assert ask(session, sources, "普陀财政局二四年决算收入支出总计多少").answered


def test_an_indicator_described_by_a_clause_and_a_unit_described_with_nage(session, sources) -> None:
    a = ask(session, sources, "罗湖那个扶持科技企业的项目，评分表里企业满不满意这一条，是按什么规矩给分的？")
    assert a.answered and "95%" in a.answer and "0.2分" in a.answer
    b = ask(session, sources, "福田科技和工业信息化那个局，二〇二四年自己检讨出了哪几处毛病？")
    assert b.answered and "编外人员" in b.answer and {c.doc[:3] for c in b.citations} == {"004"}


def test_a_quoted_column_heading_picks_the_row_of_the_year(session, sources) -> None:
    a = ask(session, sources, "For Longgang's 经济与科技发展专项资金, what was the mid-year top-up (年中追加) in 2019, "
                              "and the full-year budget?")
    assert "6,433.23" in a.answer and "48,433.23" in a.answer


def test_a_statement_quoted_with_its_figure_and_a_finding_with_its_deduction(session, sources) -> None:
    a = ask(session, sources, "普陀区财政局2024年决算说明里写“财政拨款收入支出总计0.3万元”，跟财政拨款收入支出决算总表对得上吗？总表是多少？")
    assert "0.3万元" in a.answer and "2,961.68" in a.answer
    b = ask(session, sources, "龙岗专项资金评价正文说预算执行率99.99%、扣0.01分，附件2扣分描述里写的执行率是多少？两处一致吗？")
    assert "99.99%" in b.answer and "99.97%" in b.answer


def test_a_year_follow_up_answered_by_a_row_of_the_last_report(session, sources) -> None:
    c = session.conversation()
    ask(session, sources, "罗湖科创局2020年部门预算里三公经费安排了多少？", c)
    a = ask(session, sources, "2019年呢？", c)
    assert a.answered and "13.65" in a.answer
    ask(session, sources, "罗湖科创局2020年部门预算里三公经费安排了多少？", c)
    assert not ask(session, sources, "2018年呢？", c).answered  # the budget prints no 2018 line
    ask(session, sources, "福田科工信局2024年四个季度的预算执行率分别是多少？", c)
    why = ask(session, sources, "第三季度怎么比第二季度还低？", c)
    assert why.answered and "组织机构改革" in why.answer


def test_staff_words_are_not_repaired_and_ask_what_they_mean(session, sources) -> None:
    a = ask(session, sources, "河南那份报告对省里大比武办得太勤这件事，出了什么主意？")  # 主意 is no typo of 主义
    assert a.answered and a.intent == "measures" and "1+1" in a.answer
    b = ask(session, sources, "福田科技局对临时聘用人员用得太多这个毛病，打算怎么整治？")
    assert b.intent == "measures" and "总量控制" in b.answer
    c = ask(session, sources, "罗湖科技局二〇二〇年那会儿，核定的编制几个人，实际在编几个，退下来的有几个？")
    assert "15 人" in c.answer and "14 人" in c.answer and "退休 7 人" in c.answer


def test_an_amount_and_a_rate_insisted_on_are_each_quoted(session, sources) -> None:
    a = ask(session, sources, "河南技能竞赛经费四年一共安排多少预酸 执行绿多少")
    assert "13534.70" in a.answer and "93.35%" in a.answer
    b = ask(session, sources, "普陀区财政局2024年决算，项目支出多少，占总支出几成？")
    assert "603.14" in b.answer and "20.51%" in b.answer


def test_an_indicators_own_rate_in_each_report_compared(session, sources) -> None:
    a = ask(session, sources, "福田区两份部门整体支出自评（2021年区科技创新局、2024年区科技和工业信息化局）中，编外人员控制率分别是多少？")
    assert "42.42%" in a.answer and "51.28%" in a.answer and "72.22%" not in a.answer
    b = ask(session, sources, "罗湖和福田21年预算执行率哪个高")
    assert "99.19%" in b.answer and "97.65%" in b.answer


def test_the_most_points_lost_and_why(session, sources) -> None:
    a = ask(session, sources, "龙岗区科技创新局2018-2020年经济与科技发展专项资金的评价里，我们哪项扣分最多？为什么扣？")
    assert "企业创新能力提升" in a.answer and "投入尚且不足" in a.answer


def test_short_follow_ups_without_a_follow_up_word(session, sources) -> None:
    c = session.conversation()
    ask(session, sources, "福田区科技和工业信息化局2024年预算执行率多少？", c)
    a = ask(session, sources, "没执行完的钱主要是什么原因？剔除后是多少？", c)
    assert "机动经费" in a.answer and "95.06%" in a.answer
    ask(session, sources, "龙岗区科技创新局2018-2020年经济与科技发展专项资金评价指标体系中，四级指标“受扶持对象满意度”（权重6分）的评分标准如何分档？", c)
    b = ask(session, sources, "实际测得的满意度是多少？据此扣了几分？", c)
    assert "94.65%" in b.answer and {x.doc[:3] for x in b.citations} == {"001"}
    ask(session, sources, "Putuo 2024 一般公共预算财政拨款支出: initial budget vs actual 决算, what % completed?", c)
    e = ask(session, sources, "Why is actual lower than budget?", c)
    assert "中介机构" in e.answer and {x.doc[:5] for x in e.citations} == {"02_sh"}


def test_a_row_of_a_table_continued_in_the_next_passage(session, sources) -> None:
    # 表1-1's 2024 row of 一次性竞赛补贴经费 starts a passage of its own; its label row is in the one before
    a = ask(session, sources, "Henan: for the one-off competition subsidy (一次性竞赛补贴) in 2024, what were the budget, "
                              "the actual spending and the execution rate?")
    assert "2895.00" in a.answer and "1995.00" in a.answer and "68.91" in a.answer


def test_the_measure_written_under_the_problem_asked_about(session, sources) -> None:
    a = ask(session, sources, "福田科工信局说科普活动那个指彪没跟着钱调 后面咋整改")
    assert a.intent == "measures" and "动态化管理" in a.answer and "及时落实问题整改" not in a.answer
