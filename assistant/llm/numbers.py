"""Numbers in Chinese prose, read so that two ways of writing the same quantity compare equal.

`quantities(text)` finds every number with its unit: Arabic digits (full-width too, with thousands
separators), and simple Chinese numerals where a unit makes them a quantity (「三项」, 「扣了两分」,
「一千二百万元」, 「百分之九十五」). Money is converted to 元 (「4.2亿元」 = 「42000万元」), `%` and
`％` are one unit, and a number printed without a unit (a table cell) matches the same number with
any unit (not the other way round). List markers at the start of a line (「1.」, 「（2）」) and codes
such as 「B2」 are not numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_FULL = str.maketrans("０１２３４５６７８９．％－", "0123456789.%-")

MONEY = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8}
_UNIT = r"(?P<unit>亿元|万元|千元|元|%|个百分点|百分点|分(?![别析配布类解期钟之散工管摊批段站数成享]))"
_ARABIC = re.compile(r"(?<![A-Za-z0-9.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])"
                     r"(?P<mult>\s*[万亿](?![元]))?\s*" + _UNIT + "?")
_PERCENT_CN = re.compile(r"百分之(?P<num>[零〇一二两三四五六七八九十百点]+|\d+(?:\.\d+)?)")
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
_CN = re.compile(r"(?<!第)(?P<num>[零〇一二两三四五六七八九十][" + _CN_DIGITS + r"]*)"
                 r"(?P<unit>亿元|万元|千元|元|个百分点|分|项|个|条|家|人|次|名|所|件)")
_SCORE_BEFORE = "得扣计为拿减加了共至到满"
_NOT_SCORE_AFTER = "重必严突明关显有满不之钟别析配"
_LIST_MARK = re.compile(r"(?m)^\s*(?:\d+[.、)）](?!\d)|[（(]\d+[)）])")
_CITE = re.compile(r"(?<![A-Za-z])E\d+(?!\d)")


@dataclass(frozen=True)
class Quantity:
    text: str  # as found
    written: Decimal  # the number as written (4.2 in 「4.2亿元」)
    value: Decimal  # in the base unit (420000000 for 「4.2亿元」)
    unit: str  # 元, %, 分, 个百分点, or "" (a bare number, a count, a year)

    @property
    def key(self) -> tuple[Decimal, str]:
        return (self.value.normalize(), self.unit)

    def matches(self, source: Quantity) -> bool:
        """Whether this quantity (in a reply) is the one in a source: the same value in the same unit, or
        a number with a unit where the source prints the same digits bare (a table cell)."""
        if self.unit == source.unit:
            return self.value == source.value
        return bool(self.unit) and not source.unit and self.written == source.written


def chinese_number(text: str) -> Decimal | None:
    """「三」 3, 「十二」 12, 「两千零五」 2005, 「一点五」 1.5, 「三万二千」 32000; None if not simple."""
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    small = {"十": 10, "百": 100, "千": 1000}
    whole, _, frac = text.partition("点")
    if frac and not all(c in digits for c in frac):
        return None
    done, wan, section, current = 0, 0, 0, None
    for ch in whole:
        if ch in digits:
            if current is not None and current != 0:
                return None  # 「一二」 is not a number
            current = digits[ch]
        elif ch in small:
            section += (current if current is not None else 1) * small[ch]
            current = None
        elif ch == "万":
            wan = (section + (current or 0)) * 10**4
            section, current = 0, None
        elif ch == "亿":
            done = (done + wan + section + (current or 0)) * 10**8
            wan, section, current = 0, 0, None
        else:
            return None
    value = Decimal(done + wan + section + (current or 0))
    if frac:
        value += Decimal("0." + "".join(str(digits[c]) for c in frac))
    return value


def _unit(unit: str | None) -> str:
    if not unit:
        return ""
    if unit in MONEY or unit in ("%", "分"):
        return unit
    if unit in ("个百分点", "百分点"):
        return "个百分点"
    return ""


def _make(text: str, written: Decimal, unit: str | None, mult: Decimal = Decimal(1)) -> Quantity:
    u = _unit(unit)
    if u in MONEY:
        return Quantity(text, written, written * mult * MONEY[u], "元")
    return Quantity(text, written, written * mult, u)


def normalise(text: str) -> str:
    """Full-width digits and signs as ASCII; citation ids and list markers removed."""
    text = text.translate(_FULL)
    text = _CITE.sub(" ", text)
    return _LIST_MARK.sub(" ", text)


def quantities(text: str) -> list[Quantity]:
    text = normalise(text)
    found: list[tuple[int, Quantity]] = []
    taken: list[tuple[int, int]] = []
    for m in _PERCENT_CN.finditer(text):
        raw = m.group("num")
        value = Decimal(raw) if raw[0].isdigit() else chinese_number(raw)
        if value is not None:
            found.append((m.start(), Quantity(m.group(0), value, value, "%")))
            taken.append(m.span())
    for m in _ARABIC.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        try:
            written = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            continue
        mult = m.group("mult")
        factor = Decimal(1) if not mult else (Decimal(10) ** 4 if mult.strip() == "万" else Decimal(10) ** 8)
        found.append((m.start(), _make(m.group(0).strip(), written, m.group("unit"), factor)))
    for m in _CN.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        value = chinese_number(m.group("num"))
        unit = m.group("unit")
        if value is None:
            continue
        if unit == "分":  # 「扣了两分」 is a score; 「十分重要」 is not
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if before not in _SCORE_BEFORE or after in _NOT_SCORE_AFTER:
                continue
        elif unit in "项个条家人次名所件" and value == 1:
            continue  # 「一个」, 「一项」 are words more often than counts
        found.append((m.start(), _make(m.group(0), value, unit)))
    return [q for _, q in sorted(found, key=lambda x: x[0])]


def multiset(text: str) -> Counter[tuple[Decimal, str]]:
    return Counter(q.key for q in quantities(text))


def describe(counter: Counter[tuple[Decimal, str]], *texts: str) -> str:
    """A multiset of quantities for a message, each as `texts` print it: 「1.5 分、2 处 657.77 万元」."""
    printed = {q.key: q.text for t in texts for q in quantities(t)}
    parts = []
    for key, n in counter.items():
        shown = printed.get(key, f"{key[0]:f}{key[1]}")
        parts.append(shown if n == 1 else f"{n} 处 {shown}")
    return "、".join(parts)


def mask_numbers(text: str) -> str:
    """Digits and counted Chinese numerals as ＊ (a reply shown while it streams, before it is checked)."""
    text = _CN.sub(lambda m: "＊" * len(m.group("num")) + m.group("unit"), text)
    text = _PERCENT_CN.sub(lambda m: "百分之" + "＊" * len(m.group("num")), text)
    return re.sub(r"[0-9０-９]", "＊", text)
