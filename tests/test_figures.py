"""Figures files: units kept, and every mistake reported with file, line and field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.figures import FiguresError, Money, load_figures, parse_figures
from assistant.files import atomic_write_text

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "futian_2024.yaml"


def test_example_loads_with_units() -> None:
    f = load_figures(EXAMPLE)
    assert f.budget.initial == Money(value=Decimal("25895.98"), unit="万元")
    assert f.budget.initial.to("元") == Decimal("258959800")
    assert f.quarterly_progress == [Decimal("24.48"), Decimal("55.25"), Decimal("53.38"), Decimal("92.23")]


def test_money_in_yuan_is_kept_in_yuan() -> None:
    text = EXAMPLE.read_text("utf-8").replace("plan: 657.77 万元", "plan: 6,577,700 元")
    f = parse_figures(text)
    assert f.procurement.plan.unit == "元" and f.procurement.plan.to("万元") == Decimal("657.77")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("actual: 23,063.68 万元", "actual: -5 万元", "budget.actual：-5 万元 为负数"),
        ("satisfaction: 95", "satisfaction: 120", "satisfaction：120% 不在 0–100% 之间"),
        ("approved: 46", "approved: many", "staff.approved"),
        ("unit: 深圳", "unitt: 深圳", "unitt：未知字段"),
        ("[24.48, 55.25, 53.38, 92.23]", "[24.48, 55.25]", "quarterly_progress"),
        ("plan: 657.77 万元", "plan: 657.77 美元", "procurement.plan：'657.77 美元' 不是金额"),
        ("actual: 23,063.68 万元", "actual: 1.0e+308", "budget.actual：1E+308 不是合理的金额"),
    ],
)
def test_field_level_errors(old: str, new: str, expected: str) -> None:
    text = EXAMPLE.read_text("utf-8")
    assert old in text
    with pytest.raises(FiguresError) as exc:
        parse_figures(text.replace(old, new, 1), "figures.yaml")
    message = str(exc.value)
    assert message.startswith("figures.yaml: 第 ") and expected in message


def test_error_line_points_at_the_field() -> None:
    text = EXAMPLE.read_text("utf-8")
    bad = text.replace("satisfaction: 95", "satisfaction: 120")
    line = next(i for i, ln in enumerate(bad.splitlines(), 1) if ln.startswith("satisfaction:"))
    with pytest.raises(FiguresError) as exc:
        parse_figures(bad, "f.yaml")
    assert f"第 {line} 行：satisfaction" in str(exc.value)


def test_broken_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("unit: x\nbudget: [1, 2\n", "utf-8")
    with pytest.raises(FiguresError, match=r"bad.yaml: 第 \d+ 行：不是有效的 YAML"):
        load_figures(path)


def test_atomic_write_leaves_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "draft.md"
    atomic_write_text(target, "old")
    with pytest.raises(AttributeError):
        atomic_write_text(target, 12345)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["draft.md"]
