"""The Jinja2 environment for every sentence assembled from data (answers, drafts, index passages).

Sandboxed, `StrictUndefined` (a missing variable fails loudly), with filters for scores, money and
percentages. A user's template folder, if configured, is searched before the bundled one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from assistant.config import bundled_templates_dir


def num(value: Any) -> str:
    """A Decimal as printed: no trailing zeros beyond what it has (2.50 → 2.5, 5.00 → 5)."""
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    return str(value)


def printed(value: Any) -> str:
    """A number as the report printed it (7.00 stays 7.00): what a reader finds in the table."""
    return str(value) if isinstance(value, Decimal) else num(value)


def wan(value: Any, places: int = 2) -> str:
    """Money in 万元 with thousands separators: 25895.98 → 25,895.98 万元."""
    from assistant.figures import Money

    if isinstance(value, Money):
        value = value.to("万元")
    q = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(q, rounding=ROUND_HALF_UP):,} 万元"


def pct(value: Any, places: int = 2) -> str:
    q = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(q, rounding=ROUND_HALF_UP)}%"


def score2(value: Any) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"


_CN = "一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (for （一） style headings)."""
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


@cache
def environment(user_dir: str | None = None) -> SandboxedEnvironment:
    loaders = []
    if user_dir:
        loaders.append(FileSystemLoader(user_dir))
    loaders.append(FileSystemLoader(str(bundled_templates_dir())))
    env = SandboxedEnvironment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=False,
                               keep_trailing_newline=True)
    env.filters.update(num=num, printed=printed, wan=wan, pct=pct, score2=score2, cn_ordinal=cn_ordinal)
    return env


def render(template: str, user_dir: Path | None = None, **context: Any) -> str:
    return environment(str(user_dir) if user_dir else None).get_template(template).render(**context)
