"""Indicator codes printed in front of names: 'A决策15分', 'A1项目立项5分', 'A101立项依据充分性'.

Third-party evaluations number their indicators with a letter for the 一级指标 and two digits per
level below it. The code says the level; a trailing 'N分' in a group cell is that group's weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_CODE = re.compile(r"^(?P<code>[A-Z](?:\d{1,6})?)(?=[\u4e00-\u9fff“（(]|\s*$)")
_GROUP_WEIGHT = re.compile(r"(?P<name>.*?[\u4e00-\u9fff）)”])\s*(?P<w>\d{1,3}(?:\.\d{1,2})?)\s*分$")


@dataclass(frozen=True)
class CodedName:
    code: str | None
    name: str  # without the code and without a trailing group weight
    weight: Decimal | None  # 'A决策15分' → 15

    @property
    def level(self) -> int | None:
        return code_level(self.code) if self.code else None


def code_level(code: str) -> int:
    """'A' → 1, 'A1' → 2, 'A101' → 3, 'A10101' → 4."""
    digits = len(code) - 1
    return 1 if digits == 0 else 2 if digits <= 2 else 3 if digits <= 4 else 4


def split_code(cell: str) -> CodedName:
    text = cell.strip()
    m = _CODE.match(text)
    code = m.group("code") if m else None
    rest = text[m.end():].strip() if m else text
    weight = None
    g = _GROUP_WEIGHT.match(rest)
    if g and (code is None or code_level(code) < 3):  # a leaf's name never ends in its weight
        rest, weight = g.group("name"), Decimal(g.group("w"))
    return CodedName(code=code, name=rest, weight=weight)


def parent_code(code: str) -> str | None:
    level = code_level(code)
    if level == 1:
        return None
    return code[:1] if level == 2 else code[:-2]
