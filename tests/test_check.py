"""The consistency checker on the bundled reports: the real contradictions, verified by reading the
text, and nothing false at high severity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.check import check_document, verbatim
from assistant.cli import main
from assistant.corpus import Corpus
from assistant.ingest import parse_document
from assistant.ingest.patterns import canonical_source


@pytest.fixture(scope="module")
def findings(corpus: Corpus) -> dict[str, list]:
    return {d.id[:3]: check_document(d) for d in corpus}


def test_000_innovation_indicator_12_in_text_9_in_annex(findings) -> None:
    f = [f for f in findings["000"] if f.kind == "narrative_vs_table" and f.severity != "low"]
    assert len(f) == 1 and f[0].severity == "high"
    assert "辖区创新能力提升" in f[0].message and "12" in f[0].message and "9" in f[0].message


def test_001_execution_rate_99_99_vs_99_97(findings) -> None:
    f = [f for f in findings["001"] if f.kind == "figure_conflict"]
    assert len(f) == 1 and f[0].severity == "medium"
    assert "99.97%" in f[0].message and "99.99%" in f[0].message
    assert {e.page for e in f[0].evidence} == {6, 28}


def test_002_procurement_rule_gives_1_38_not_2(findings) -> None:
    f = [f for f in findings["002"] if f.kind == "rule_vs_score"]
    assert len(f) == 1 and f[0].severity == "high"
    assert "1.38" in f[0].message and "730.68" in f[0].computation


def test_names_that_differ_between_text_and_table(findings) -> None:
    low = {k: [f.message for f in v if f.severity == "low"] for k, v in findings.items()}
    assert len(low["000"]) == 1 and "项目立项充分性" in low["000"][0] and "立项依据充分性" in low["000"][0]
    assert len(low["001"]) == 1 and "预算编制合理性" in low["001"][0] and "预算编制科学性" in low["001"][0]


def test_no_other_findings_and_clean_reports_stay_clean(findings) -> None:
    assert {k: len(v) for k, v in findings.items()} == {"000": 2, "001": 2, "002": 1, "003": 0, "004": 0}


def test_evidence_is_verbatim(corpus: Corpus, findings) -> None:
    for d in corpus:
        src = canonical_source(Path(d.path).read_text("utf-8"))
        assert all(verbatim(src, f) for f in findings[d.id[:3]])


def test_a_rounding_difference_is_low_severity(tmp_path: Path) -> None:
    text = "一、概况\n本项目调整后预算 1,214.96 万元，支付金额 1,205.15 万元，执行率为 99.18%。\n"
    doc = parse_document("t.txt", text, "h")
    found = check_document(doc)
    assert [f.severity for f in found] == ["low"] and "99.19%" in found[0].message
    wrong = parse_document("t.txt", text.replace("99.18%", "98.00%"), "h")
    assert [f.severity for f in check_document(wrong)] == ["medium"]


def test_check_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "002", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["doc"].startswith("002") and data[0]["kind"] == "rule_vs_score"
    assert {"page", "quote"} <= set(data[0]["evidence"][0])


def test_grade_that_does_not_match_the_total_is_found() -> None:
    text = "一、结论\n经过资料整理和分析，该项目综合得分为 85 分，绩效评价等级为“优秀”。\n"
    found = check_document(parse_document("t.txt", text, "h"))
    assert [f.kind for f in found] == ["grade_vs_total"] and "「良」" in found[0].message
    ok = parse_document("t.txt", text.replace("85 分", "91 分"), "h")
    assert check_document(ok) == []
