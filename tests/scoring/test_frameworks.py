"""The shipped frameworks and the example figures: published scores reproduced or flagged."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.api import Session
from assistant.cli import main
from assistant.config import Settings
from assistant.figures import parse_figures
from assistant.ingest.patterns import canonical_source, squash
from assistant.scoring import frameworks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(Settings())


def test_every_framework_weighs_100_and_quotes_its_source(source_text: dict[str, str]) -> None:
    for fw in frameworks().values():
        assert fw.total_weight == 100, fw.id
        src = canonical_source(source_text[fw.source.doc])
        for ind in fw.indicators:
            for line in ind.rule.text.strip().splitlines():
                assert squash(line) in src, (fw.id, ind.id, line)


def test_2024_reproduces_every_published_score(session: Session) -> None:
    sheet = session.score(ROOT / "examples/futian_2024.yaml")
    assert sheet.total == Decimal("96.15") and sheet.grade == "优"
    assert sheet.discrepancies == []
    assert all(i.published == i.score for i in sheet.indicators)
    assert sheet.get("政府采购执行情况").score == Decimal("1.68")
    assert sheet.get("预算执行率").score == Decimal("5.47")


def test_2021_flags_the_procurement_discrepancy(session: Session) -> None:
    sheet = session.score(ROOT / "examples/futian_2021.yaml")
    proc = sheet.get("政府采购执行情况")
    assert (proc.published, proc.score) == (Decimal(2), Decimal("1.38"))
    assert "1.38" in proc.discrepancy
    others = [i for i in sheet.indicators if i.id != "procurement"]
    assert all(i.published == i.score for i in others)
    assert sheet.published_total == Decimal("94.94")
    assert sheet.total == Decimal("94.94") - Decimal(2) + Decimal("1.38")
    assert any("总分" in d for d in sheet.discrepancies)


def test_score_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(ROOT / "examples/futian_2024.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 96.15 and data["grade"] == "优" and data["framework"] == "futian_department"
    ind = next(i for i in data["indicators"] if i["levels"][-1] == "预算执行率")
    assert ind["weight"] == 6 and ind["score"] == 5.47 and ind["published"] == 5.47
    assert ind["rule"].startswith("1.一季度预算执行率得分") and ind["inputs"] and ind["trace"]


def test_rules_apply_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "apply", "编外人员控制率", "value=8", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == 0.5
    assert main(["rules", "apply", "编外人员控制率", "value=120"]) == 2
    assert "超过 100%" in capsys.readouterr().err
    assert main(["rules", "show", "满意度", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["source"]["doc"].startswith("002") and "满意度≥95%的，得6分" in shown["text"]


def test_changing_one_figure_changes_only_what_depends_on_it(session: Session) -> None:
    text = (ROOT / "examples/futian_2024.yaml").read_text("utf-8")
    base = session.score(parse_figures(text))
    changed = session.score(parse_figures(text.replace("actual: 448.01 万元", "actual: 500.00 万元")))
    diff = {i.id for i, j in zip(base.indicators, changed.indicators, strict=True) if i.score != j.score}
    assert diff == {"procurement"}
    assert changed.get("政府采购执行情况").score == Decimal("1.76")
