"""Template filters for user templates: money in 万元, percentages, scores, ordinals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from jinja2 import UndefinedError

from assistant.figures import Money
from assistant.templating import cn_ordinal, environment, num, pct, score2, wan


def test_filters() -> None:
    assert num(Decimal("2.50")) == "2.5" and num(Decimal("5.00")) == "5"
    assert wan(Money(value=Decimal("6577700"), unit="元")) == "657.77 万元"
    assert wan(Decimal("25895.975")) == "25,895.98 万元"
    assert pct(Decimal("68.1104")) == "68.11%" and pct(Decimal("0.125")) == "0.13%"  # half up, not half even
    assert score2(Decimal("5.4723")) == "5.47"
    assert [cn_ordinal(n) for n in (1, 3, 10, 12, 20)] == ["一", "三", "十", "十二", "二十"]


def test_environment_is_strict_and_sandboxed() -> None:
    env = environment()
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(Exception, match="unsafe|access"):
        env.from_string("{{ ''.__class__.__mro__ }}").render()
