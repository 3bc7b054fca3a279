"""Documents of the real corpus: metadata, heading tree, paragraphs, pages, figures, verbatim text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.corpus import Corpus
from assistant.ingest.cell_tables import PART_BREAK
from assistant.ingest.patterns import canonical_source, squash


def test_metadata(corpus: Corpus) -> None:
    rows = {d.id[:3]: d for d in corpus}
    assert rows["000"].kind == "项目支出绩效评价" and rows["000"].year == "2021" and rows["000"].grade == "优秀"
    assert rows["000"].unit == "深圳市罗湖区科技创新局"
    assert rows["001"].kind == "专项资金绩效评价" and rows["001"].year == "2018-2020"
    assert "龙岗区" in rows["001"].unit
    assert rows["002"].kind == "部门整体支出绩效评价" and rows["002"].year == "2021"
    assert rows["003"].kind == "部门预算" and rows["003"].year == "2020" and rows["003"].total_score is None
    assert rows["004"].kind == "部门整体支出绩效评价" and rows["004"].year == "2024"
    assert rows["004"].unit == "深圳市福田区科技和工业信息化局"


def test_every_paragraph_and_reason_is_verbatim(corpus: Corpus, source_text: dict[str, str]) -> None:
    for d in corpus:
        src = canonical_source(source_text[d.id])
        for p in d.paragraphs:
            assert squash(p.text) in src, (d.id, p.line, p.text[:60])
        for r in d.records:
            for text in (r.reason, r.rule, r.explanation, r.quote):
                # a table cell continued over a page break is stored as parts joined by PART_BREAK
                for part in (text or "").split(PART_BREAK):
                    assert squash(part) in src, (d.id, r.id, part[:60])
        for t in d.targets:
            assert squash(t.quote) in src and squash(t.target) in src, (d.id, t.line)


def test_broken_lines_are_rejoined(corpus: Corpus) -> None:
    texts = [p.text for p in corpus.get("001").paragraphs]
    # In the source this sentence is broken over four lines with blank lines between them.
    assert any(t.startswith("为打造深圳东部产业集聚中心，实施高端引领、创新驱动战略，吸引重大产业项目落户龙岗") for t in texts)
    texts0 = [p.text for p in corpus.get("000").paragraphs]
    assert any("年度年初预算 1,129.26 万元，调整后预算1,214.96 万元" in t for t in texts0)


def test_heading_paths(corpus: Corpus) -> None:
    d = corpus.get("001")
    p = next(p for p in d.paragraphs if p.text.startswith("绩效目标合理性指标权重"))
    assert p.heading_path == ["四、绩效评价指标分析", "（一）项目决策情况", "2.绩效目标", "（1）绩效目标合理性"]
    top = [s.title for s in corpus.get("003").sections]
    assert top[:3] == ["第一部分 部门概况", "第二部分 部门预算收支总体情况", "第三部分 部门预算支出具体情况"]


@pytest.mark.parametrize(
    ("doc", "starts", "page"),
    [
        # checked by hand against the printed footers '— 15 —', '— 30 —', '— 31 —' of 001
        ("001", "预算执行率指标权重 4 分", 15),
        ("001", "资金使用合规性指标权重 4 分", 16),
        ("001", "本项目 2018-2020 年预算 163,516.46 万元", 15),
        # 004 has no page marks: sections take the page its table of contents prints
        ("004", "2024 年度我局年初预算安排金额为 25,895.98 万元", 10),
        ("004", "2024 年度，我局政府采购预算金额 657.77 万元", 24),
    ],
)
def test_page_numbers(corpus: Corpus, doc: str, starts: str, page: int) -> None:
    para = next(p for p in corpus.get(doc).paragraphs if starts in p.text)
    assert para.page == page


def test_pages_are_unknown_rather_than_guessed(corpus: Corpus) -> None:
    d = corpus.get("002")
    assert d.page_source == "none" and all(p.page is None for p in d.paragraphs)


def test_figures_keep_units(corpus: Corpus) -> None:
    figs = corpus.get("004").figures
    assert any(f.value == Decimal("657.77") and f.unit == "万元" for f in figs)
    rate = next(f for f in figs if f.value == Decimal("68.11") and f.unit == "%")
    assert "政府采购执行率" in rate.label
    big = next(f for f in corpus.get("001").figures if f.raw.startswith("163,516.46"))
    assert big.in_yuan() == Decimal("1635164600")
