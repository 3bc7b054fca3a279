"""Printed numbers as intervals: a figure printed with two decimals is anything within ±0.005 of it.

A recomputation contradicts a printed figure only if no values the printed inputs may stand for give
it; a difference of at most one unit in the last printed digit beyond that (a plug to make shares
add to 100%, a rate truncated instead of rounded) is at most low.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assistant.checks.model import Severity

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_STRIP = re.compile(r"[,，\s]")


def dec(text: str) -> Decimal:
    return Decimal(_STRIP.sub("", text))


def unit_of(text: str) -> Decimal:
    """One unit in the last printed digit: '12.34' → 0.01, '7' → 1."""
    t = _STRIP.sub("", text)
    return Decimal(1).scaleb(-len(t.split(".")[1])) if "." in t else Decimal(1)


@dataclass(frozen=True)
class Span:
    """The closed interval of true values a printed figure (or a computation on them) may have."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def printed(cls, text: str, exact_integers: bool = False) -> Span:
        v = dec(text)
        if exact_integers and "." not in text:
            return cls(v, v)  # counts (146 项) and multipliers (×2) are exact
        h = unit_of(text) / 2
        return cls(v - h, v + h)

    @classmethod
    def exact(cls, v: Decimal) -> Span:
        return cls(v, v)

    def __add__(self, o: Span) -> Span:
        return Span(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: Span) -> Span:
        return Span(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: Span) -> Span:
        c = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Span(min(c), max(c))

    def __truediv__(self, o: Span) -> Span:
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError("divisor interval contains 0")
        c = [self.lo / o.lo, self.lo / o.hi, self.hi / o.lo, self.hi / o.hi]
        return Span(min(c), max(c))

    def scale(self, k: Decimal) -> Span:
        return Span(self.lo * k, self.hi * k) if k >= 0 else Span(self.hi * k, self.lo * k)

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def gap(self, o: Span) -> Decimal:
        """0 if the intervals meet, else the distance between them."""
        return max(Decimal(0), o.lo - self.hi, self.lo - o.hi)


def judge(stated: str, computed: Span, *, most: Severity = "high", high_units: int = 10,
          exact_integers: bool = False) -> Severity | None:
    """How far a printed figure is from what its printed inputs give: None when rounding explains it
    (the figure's own rounding interval meets the computed one); low when it is one unit of its last
    digit from what the computation rounds to (a plug to make shares add to 100%, a truncation); medium beyond; high beyond `high_units` units
    (capped by `most`, which callers lower when their reading of the text is less than certain)."""
    if Span.printed(stated, exact_integers).gap(computed) == 0:
        return None
    unit = unit_of(stated)
    # distance from the nearest value the computation rounds to at the printed precision
    lo, hi = (round_to(computed.lo, unit), round_to(computed.hi, unit))
    dist = Span(lo, hi).gap(Span.exact(dec(stated)))
    sev: Severity = "low" if dist <= unit else "high" if dist > unit * high_units else "medium"
    order = {"high": 0, "medium": 1, "low": 2}
    return sev if order[sev] >= order[most] else most


def round_to(v: Decimal, unit: Decimal) -> Decimal:
    return v.quantize(unit, rounding=ROUND_HALF_UP)


def show(v: Decimal, places: int = 2) -> str:
    """A computed value for a message: rounded half up to `places`, trailing zeros kept."""
    return f"{v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,f}"
