"""Numbers in a report's own text, as printed: where each is, its value, its unit, and how to print a
new value the same way (same unit, spacing, thousands separators and at least as many decimals).

Composite tokens are read whole, so their digits are never taken for amounts: dates (2024 年 2 月 23
日), year ranges (2024—2026年), document numbers (深财绩〔2019〕5号), web addresses and telephone numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Kind = str  # money | percent | points | count | score | year | years | date | docno | url | phone | bare

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
# Longest first: "万元" before "万", "个百分点" before "个", "人次" before "人".
UNITS = ["万平方米", "平方米", "个百分点", "百分点", "亿元", "万元", "万人次", "人次", "元", "%", "％", "人", "个",
         "家", "项", "场", "次", "件", "套", "天", "名", "支", "倍", "亩", "分", "条", "所", "期", "批", "台", "户",
         "篇", "万", "亿", "P"]
COUNT_UNITS = {"人", "个", "家", "项", "场", "次", "件", "套", "天", "名", "支", "条", "所", "期", "批", "台", "户",
               "篇", "人次", "万人次"}

_UNIT = "|".join(re.escape(u) for u in UNITS)
_NUM = (r"\d{1,3}(?:,\d{3,4})+(?:\.\d+)?"  # 25,895.98 (and 1,7144.13, a misplaced separator)
        r"|\d{2,}\s\.\d{2}(?!\d)|\d{2,}\.\s\d{2}(?!\d)"  # table cells broken by the PDF: 10000 .00, 6030. 00
        r"|\d+(?:\.\d+)?")
# Not inside another number: no digit right before, nor a digit and a point or comma ("1,234", "1.5";
# but "表.1", "%,2021").
NUMBER = re.compile(rf"(?<!\d)(?<!\d[.,])(?P<sign>(?<![\d\s])-)?(?P<num>{_NUM})(?P<gap>\s?)"
                    rf"(?P<unit>{_UNIT})?")

URL = re.compile(r"<?https?://[^\s<>，。；;）)]+>?")
PHONE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
DOCNO = re.compile(r"[\u4e00-\u9fff]{0,5}[〔\[［]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］]\s*\d+\s*号")
DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")
DOTTED_DATE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*[.．/]\s*(?P<m>\d{1,2})\s*[.．/]\s*"
                         r"(?P<d>\d{1,2})(?![\d.])")
MONTH_DAY = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
YEARS = re.compile(r"(?P<a>(?:19|20)\d{2})\s*(?P<sep>[-—–－~至])\s*(?P<b>(?:19|20)\d{2})\s*(?=年)")
# A year: not inside another number, but may follow an ordinal ("；2.2021年需推动…").
YEAR = re.compile(r"(?:(?<![\d.,])|(?<=\D,)|(?<=(?<![\d.])\d[.．、]))(?P<y>(?:19|20)\d{2})(?=\s*年)")


@dataclass(frozen=True)
class Token:
    start: int  # the whole token (number and unit) in the paragraph text
    end: int
    text: str
    kind: Kind
    value: Decimal | None = None
    unit: str = ""
    num_start: int = 0  # the digits alone (what a new value replaces)
    num_end: int = 0
    decimals: int = 0
    comma: bool = False
    parts: tuple[int, ...] = ()  # dates: (y, m, d); year ranges: (a, b)

    @property
    def digits(self) -> str:
        return self.text[self.num_start - self.start:self.num_end - self.start]


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(re.sub(r"[\s,]", "", text))
    except InvalidOperation as exc:  # pragma: no cover - the pattern only matches numbers
        raise ValueError(f"not a number: {text!r}") from exc


def _kind(unit: str, table_unit: str | None) -> Kind:
    if unit in MONEY_UNITS:
        return "money"
    if unit in ("%", "％"):
        return "percent"
    if unit in ("个百分点", "百分点"):
        return "points"
    if unit == "分":
        return "score"
    if unit in COUNT_UNITS:
        return "count"
    if not unit and table_unit:
        return "money"
    return "bare" if not unit else "other"


def tokenize(text: str, table_unit: str | None = None,
             year_window: tuple[int, int] | None = None) -> list[Token]:
    """Every number in `text`, left to right. `table_unit` is the unit a table declared ("单位：万元")
    for its bare cells; `year_window` says which bare four-digit numbers are years ("预算年度 2024")."""
    taken: list[tuple[int, int]] = []
    out: list[Token] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(tok: Token) -> None:
        taken.append((tok.start, tok.end))
        out.append(tok)

    for pattern, kind in ((URL, "url"), (PHONE, "phone"), (DOCNO, "docno")):
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                year = int(m.group("year")) if kind == "docno" else 0
                add(Token(m.start(), m.end(), m.group(0), kind, num_start=m.start(), num_end=m.end(),
                          parts=(year,) if year else ()))
    for m in DATE.finditer(text):
        if free(m.start(), m.end()):
            d = int(m.group("d")) if m.group("d") else 0
            add(Token(m.start(), m.end(), m.group(0), "date", num_start=m.start("y"), num_end=m.end("y"),
                      parts=(int(m.group("y")), int(m.group("m")), d)))
    for m in DOTTED_DATE.finditer(text):  # 2020.01.01-2020.12.31
        if free(m.start(), m.end()):
            add(Token(m.start(), m.end(), m.group(0), "date", num_start=m.start("y"), num_end=m.end("y"),
                      parts=(int(m.group("y")), int(m.group("m")), int(m.group("d")))))
    for m in MONTH_DAY.finditer(text):
        if free(m.start(), m.end()):
            add(Token(m.start(), m.end(), m.group(0), "date", num_start=m.start(), num_end=m.end(),
                      parts=(0, int(m.group("m")), int(m.group("d")))))
    for m in YEARS.finditer(text):
        if free(m.start(), m.end()):
            add(Token(m.start(), m.end(), m.group(0), "years", num_start=m.start(), num_end=m.end(),
                      parts=(int(m.group("a")), int(m.group("b")))))
    for m in YEAR.finditer(text):
        if free(m.start(), m.end()):
            add(Token(m.start(), m.end(), m.group(0), "year", Decimal(m.group("y")), "年", m.start(), m.end()))
    masked = list(text)  # what composite tokens took is hidden, so a number never runs into them
    for a, b in taken:
        masked[a:b] = "\x00" * (b - a)
    for m in NUMBER.finditer("".join(masked)):
        if not free(m.start("num"), m.end("num")):
            continue
        num = m.group("num")
        unit = m.group("unit") or ""
        if unit and not free(m.start("unit"), m.end("unit")):
            unit = ""
        start = m.start("sign") if m.group("sign") else m.start("num")
        end = m.end("unit") if unit else m.end("num")
        value = _decimal(num)
        if m.group("sign"):
            value = -value
        kind = _kind(unit, table_unit)
        plain = re.sub(r"[\s,]", "", num)
        if (kind == "bare" and year_window and re.fullmatch(r"(?:19|20)\d{2}", plain)
                and year_window[0] <= int(plain) <= year_window[1]):
            kind = "year"
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        add(Token(start, end, text[start:end], kind, value, "%" if unit == "％" else unit, m.start("num"),
                  m.end("num"), decimals, "," in num))
    out.sort(key=lambda t: t.start)
    return out


def to_unit(value: Decimal, unit: str, target: str) -> Decimal:
    """Money from one unit to another (元 / 万元 / 亿元); other units unchanged."""
    if unit in MONEY_UNITS and target in MONEY_UNITS:
        return value * MONEY_UNITS[unit] / MONEY_UNITS[target]
    return value


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def needed_decimals(value: Decimal, at_most: int = 2) -> int:
    """The decimals a value needs, up to `at_most` (5.00 → 0, 1.68 → 2, 888.30 → 1)."""
    exact = rounded(value, at_most).normalize()
    exponent = exact.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_like(token: Token, value: Decimal, *, comma: bool | None = None, at_most: int = 2) -> str:
    """`value` printed as `token` printed its own: the same decimals, or more where the new value needs
    them (never fewer: 888.3 → 1,200.25), thousands separators as the token (or `comma`) had them."""
    decimals = max(token.decimals, needed_decimals(value, at_most))
    separator = "," if (token.comma if comma is None else comma) else ""
    text = f"{rounded(abs(value), decimals):{separator}.{decimals}f}"
    return ("-" if value < 0 else "") + text


def equal_as_printed(printed: Decimal, decimals: int, value: Decimal) -> bool:
    """Whether `value` prints as `printed` with that many decimals (half up)."""
    return rounded(value, decimals) == rounded(printed, decimals)
