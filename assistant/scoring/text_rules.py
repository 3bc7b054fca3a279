"""A report's own printed rule, read from its text where it is one of the common linear forms, so that
'按河南那个评价的规则，执行率90%能得几分' is answered from that report's rule rather than a framework:

- '实际值达到100%的得满分，≤80%不得分。在幅度范围内，每降低1%，扣5%权重分值，直至0分。'
- '满意度达到90%得满分，每降低1%扣除指标分值的10%'
- '满意度达95%，得满分；满意度每下降1个百分点扣0.2分'

Anything else is not guessed: `parse` returns None. Arithmetic is exact (Decimal, round half up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.scoring.engine import fmt, round_half_up

_FULL = re.compile(r"(?:达到|达|≥|不低于|大于等于)\s*(\d+(?:\.\d+)?)\s*%\s*(?:（含）)?\s*(?:的|及以上|以上)?\s*[，,；;]?\s*(?:得|为)满分")
_ZERO = re.compile(r"(?:(?:≤|低于|小于|<|不足|不高于)\s*(\d+(?:\.\d+)?)\s*%\s*(?:（含）)?\s*(?:的|及以下|以下)?|"
                   r"(\d+(?:\.\d+)?)\s*%\s*(?:（含）)?\s*以下)\s*[，,]?\s*(?:该指标)?\s*(?:不得分|得\s*0\s*分)")
_STEP_SHARE = re.compile(
    r"每(?:降低|下降|减少|低)\s*1\s*(?:%|个百分点)[，,]?\s*扣(?:除)?\s*(?:指标分值的|权重分值的|权重分的)?\s*(\d+(?:\.\d+)?)\s*%")
_STEP_POINTS = re.compile(r"每(?:降低|下降|减少|低)\s*1\s*(?:%|个百分点)[，,]?\s*扣(?:除)?\s*(\d+(?:\.\d+)?)\s*分")


@dataclass
class TextRule:
    full_at: Decimal  # a value at or above it scores the full weight
    zero_at: Decimal | None  # at or below it, nothing
    step_share: Decimal | None  # each point below full_at takes this share of the weight (0.05)
    step_points: Decimal | None  # … or this many points
    text: str  # the sentence the rule was read from, verbatim

    def score(self, weight: Decimal, value: Decimal) -> tuple[Decimal, list[str]]:
        trace = [f"规则原文：{self.text}"]
        if value >= self.full_at:
            trace.append(f"{fmt(value)}% ≥ {fmt(self.full_at)}%，得满分 {fmt(weight)} 分")
            return round_half_up(weight), trace
        if self.zero_at is not None and value <= self.zero_at:
            trace.append(f"{fmt(value)}% ≤ {fmt(self.zero_at)}%，不得分")
            return Decimal("0.00"), trace
        gap = self.full_at - value
        if self.step_share is not None:
            cut = gap * self.step_share / 100 * weight
            trace.append(f"低于满分线 {fmt(gap)} 个百分点 × 每点扣分值的 {fmt(self.step_share)}% × {fmt(weight)} 分 = 扣 {fmt(cut)} 分")
        else:
            cut = gap * (self.step_points or Decimal(0))
            trace.append(f"低于满分线 {fmt(gap)} 个百分点 × 每点 {fmt(self.step_points or Decimal(0))} 分 = 扣 {fmt(cut)} 分")
        score = max(Decimal(0), weight - cut)
        trace.append(f"{fmt(weight)} − {fmt(cut)} = {fmt(score)} 分，四舍五入（round half up）保留两位小数 → {round_half_up(score)} 分")
        return round_half_up(score), trace


def parse(text: str) -> TextRule | None:
    """A full-marks line and a per-point deduction stated together (within a few sentences). A cell
    cut by a page break (parts joined by ' … ') is read whole; `text` of the result is then the
    joined parts, each verbatim."""
    for part in [text.replace(" … ", "")] if " … " in text else [text]:
        full = _FULL.search(part)
        if not full:
            continue
        window = part[full.start() : full.start() + 160]
        share = _STEP_SHARE.search(window)
        points = _STEP_POINTS.search(window) if not share else None
        if not (share or points):
            continue
        zero = _ZERO.search(window)
        zero_at = next((g for g in zero.groups() if g), None) if zero else None
        end = max(m.end() for m in (full, share, points, zero) if m is not None)
        stop = re.search(r"[。；;]", window[end:])
        end = end + stop.start() if stop else len(window)
        return TextRule(full_at=Decimal(full.group(1)), zero_at=Decimal(zero_at) if zero_at else None,
                        step_share=Decimal(share.group(1)) if share else None,
                        step_points=Decimal(points.group(1)) if points else None,
                        text=window[:end].strip())
    return None
