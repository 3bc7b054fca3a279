"""Numbers said in words (voice input) read as the reports print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.qa.spoken import integer, value, written_numbers


@pytest.mark.parametrize(("said", "written"), [
    ("罗湖区科技创新局二零二二年部门预算", "罗湖区科技创新局2022年部门预算"),
    ("二〇二四年度", "2024年度"),
    ("二零二一到二零二四年一共下达了多少", "2021到2024年一共下达了多少"),
    ("满意度是百分之九十三点零六吗", "满意度是93.06%吗"),
    ("百分之九十", "90%"),
    ("综合得分九十一分", "综合得分91分"),
    ("得了九十四点九四分", "得了94.94分"),
    ("花了一千二百零五点一五万元", "花了1205.15万元"),
    # a year typed by its last two digits, as a phone typist does
    ("龙岗专项资金二一到二三年评价得分多少", "龙岗专项资金2021到2023年评价得分多少"),
    ("普陀财政局二四年决算", "普陀财政局2024年决算"),
    ("一九年呢", "2019年呢"),
])
def test_numbers_said_in_words_are_written_in_digits(said: str, written: str) -> None:
    assert written_numbers(said) == written


@pytest.mark.parametrize("text", ["第二十三届高交会", "这一点十分重要", "三个问题", "一次性竞赛补贴", "两项指标",
                                  "一、二、三级指标", "百分之多少", "第三季度",
                                  "十二年", "第二一年", "一二三年级", "两年"])
def test_ordinals_lone_numerals_and_words_stay(text: str) -> None:
    assert written_numbers(text) == text


def test_numeral_values() -> None:
    assert integer("一百二十三") == 123 and integer("两千零五") == 2005 and integer("一万二千") == 12000
    assert integer("十二") == 12 and integer("三") == 3 and integer("多少") is None
    assert value("九十九点一九") == Decimal("99.19") and value("点五") is not None
