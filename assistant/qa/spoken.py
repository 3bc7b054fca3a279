"""Numbers said in words, written in digits: what voice input and careful typists produce
('二零二一年', '百分之九十九点一九', '九十一分') read as the reports print them ('2021年', '99.19%', '91分').

Ordinals ('第二十三届'), single numerals ('三个', '一次性', '十分重要') and numbers without a unit
stay as they are: reports write those in words too.
"""

from __future__ import annotations

import re
from decimal import Decimal

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[零〇○一二两三四五六七八九十百千万]+(?:点[零〇○一二三四五六七八九]+)?"

_SPOKEN_YEAR = "[一二][零〇○][零〇○一二三四五六七八九]{2}"
# ('二零二一到二零二四年': the first of a range has no 年 of its own)
_YEAR = re.compile(rf"(?<![零〇○一二两三四五六七八九十\d])({_SPOKEN_YEAR})(?=\s*(?:年|[到至和、\-—~]\s*{_SPOKEN_YEAR}))")
# a year said by its last two digits ('二一年', '二一到二三年', '一九年'): 2010–2029, as staff type them
_SHORT_YEAR_DIGITS = "[一二][零〇○一二三四五六七八九]"
_SHORT_YEAR = re.compile(rf"(?<![第零〇○一二两三四五六七八九十百千万点\d])({_SHORT_YEAR_DIGITS})"
                         rf"(?=\s*(?:年|[到至和、\-—~]\s*{_SHORT_YEAR_DIGITS}\s*年))")
_PERCENT = re.compile(rf"百分之({_NUMERAL})")
# a number with its unit ('九十一分', '三点五万元'), not an ordinal ('第二十三届') nor a lone numeral ('十分')
_WITH_UNIT = re.compile(rf"(?<![第零〇○一二两三四五六七八九十百千万点])({_NUMERAL})(?=\s*(?:分|万元|亿元|元|个|项|家|人|次|件|份|辆|名))")


def integer(text: str) -> int | None:
    """'九十一' → 91, '一百二十三' → 123, '两千零五' → 2005, '一万二千' → 12000; None if not a numeral."""
    total = section = number = 0
    for ch in text:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10000
            section = number = 0
        else:
            return None
    return total + section + number


def value(text: str) -> Decimal | None:
    """A numeral with an optional decimal part ('九十九点一九' → 99.19)."""
    whole, _, fraction = text.partition("点")
    n = integer(whole)
    if n is None or any(c not in _DIGITS for c in fraction):
        return None
    return Decimal(f"{n}.{''.join(str(_DIGITS[c]) for c in fraction)}") if fraction else Decimal(n)


def _counts(numeral: str) -> bool:
    """Two numeral characters or more, or a decimal: '十分' (very) and '三个' are words, '九十一分' a number."""
    return "点" in numeral or len(numeral) >= 2


def written_numbers(text: str) -> str:
    text = _YEAR.sub(lambda m: "".join(str(_DIGITS[c]) for c in m.group(1)), text)
    text = _SHORT_YEAR.sub(lambda m: "20" + "".join(str(_DIGITS[c]) for c in m.group(1)), text)
    text = _PERCENT.sub(lambda m: f"{v}%" if (v := value(m.group(1))) is not None else m.group(0), text)
    return _WITH_UNIT.sub(lambda m: str(v) if _counts(m.group(1)) and (v := value(m.group(1))) is not None
                          else m.group(0), text)
