"""Rates against the amounts printed with them: growth over last year, shares of a total, and a named
rate beside its two amounts. Every recomputation allows for the rounding of each printed figure."""

from __future__ import annotations

from decimal import Decimal

from assistant.checks.model import Evidence, Finding
from assistant.checks.numbers import Span, dec, judge, show
from assistant.checks.text import clip, ev, paragraph_sentences, rx, sentences
from assistant.ingest import Document
from assistant.ingest.model import Paragraph

HUNDRED = Decimal(100)
_DOWN = ("减少", "下降", "降低", "减", "降幅", "下降了", "减少了")


def growth(doc: Document) -> list[Finding]:
    """'X 万元，比上年增加 Y 万元，增长 Z%' → Z = Y ÷ (X − Y); and '上年 A 万元，今年 B 万元，增长 Z%'."""
    out = []
    for p in doc.paragraphs:
        if p.kind != "text":
            continue
        for m in rx("growth").finditer(p.text):
            down = m.group("dir") in _DOWN
            if down != (m.group("dir2") in _DOWN):
                continue  # '增加 … 下降' in one breath: not a reading we can be sure of
            cur, delta = Span.printed(m.group("cur")), Span.printed(m.group("delta"))
            prior = cur + delta if down else cur - delta
            if prior.lo <= 0:
                continue
            computed = (delta / prior).scale(HUNDRED)
            sev = judge(m.group("rate"), computed)
            if sev:
                verb = "减少" if down else "增长"
                out.append(Finding(
                    doc=doc.id, kind="rate_vs_amounts", severity=sev, rule="rates.growth",
                    message=(f"写{verb} {m.group('rate')}%，但按所列金额计算为 {show(computed.mid)}%"
                             f"（本期 {m.group('cur')}、变动 {m.group('delta')}，上期应为 {show(prior.mid)}）。"),
                    evidence=[ev(p, clip(p.text, m.start(), m.end()))],
                    computation=f"{m.group('delta')} ÷ ({m.group('cur')} {'+' if down else '−'} {m.group('delta')}) × 100% = {show(computed.mid, 4)}%",
                ))
        for m in rx("growth_pair").finditer(p.text):
            base, cur = Span.printed(m.group("base")), Span.printed(m.group("cur"))
            if base.lo <= 0:
                continue
            change = (cur / base).scale(HUNDRED) - Span.exact(HUNDRED)
            down = m.group("dir") in _DOWN
            stated = ("-" if down else "") + m.group("rate")
            sev = judge(stated, change) if not down else judge(m.group("rate"), change.scale(Decimal(-1)))
            if sev:
                out.append(Finding(
                    doc=doc.id, kind="rate_vs_amounts", severity=sev, rule="rates.growth_pair",
                    message=(f"写{m.group('dir')} {m.group('rate')}%，但 {m.group('cur')} 比 {m.group('base')} "
                             f"{'增加' if change.mid >= 0 else '减少'} {show(abs(change.mid))}%。"),
                    evidence=[ev(p, clip(p.text, m.start(), m.end()))],
                    computation=f"{m.group('cur')} ÷ {m.group('base')} − 1 = {show(change.mid, 4)}%",
                ))
    return out


def growth_after(doc: Document) -> list[Finding]:
    """'X 万元。主要用于…。与上年相比增加 Y 万元，增长 Z%': the comparison is about the one amount of
    the same unit printed in the one or two sentences before it, in the same paragraph."""
    out = []
    amount = rx("ratio_amount")
    for p, sents in paragraph_sentences(doc):
        for k, s in enumerate(sents):
            m = rx("growth_only").match(s)
            if m is None or k == 0:
                continue
            before = [a for t in sents[max(0, k - 2): k] for a in amount.finditer(t) if a.group("unit") == m.group("unit")]
            if len(before) != 1:
                continue
            down = m.group("dir") in _DOWN
            if down != (m.group("dir2") in _DOWN):
                continue
            cur, delta = Span.printed(before[0].group("v")), Span.printed(m.group("delta"))
            prior = cur + delta if down else cur - delta
            if prior.lo <= 0:
                continue
            computed = (delta / prior).scale(HUNDRED)
            sev = judge(m.group("rate"), computed, most="medium")
            if sev:
                verb = "减少" if down else "增长"
                quote = "".join(sents[max(0, k - 2): k + 1])
                quote = quote[quote.find(before[0].group(0)) - 30 if quote.find(before[0].group(0)) > 30 else 0:]
                out.append(Finding(
                    doc=doc.id, kind="rate_vs_amounts", severity=sev, rule="rates.growth_after",
                    message=(f"写{verb} {m.group('rate')}%，但按所列金额计算为 {show(computed.mid)}%"
                             f"（本期 {before[0].group('v')}、变动 {m.group('delta')}，上期应为 {show(prior.mid)}）。"),
                    evidence=[ev(p, quote.strip())],
                    computation=f"{m.group('delta')} ÷ ({before[0].group('v')} {'+' if down else '−'} {m.group('delta')}) × 100% = {show(computed.mid, 4)}%",
                ))
    return out


def shares(doc: Document) -> list[Finding]:
    """'A 万元，占 R%' items after 'T 万元，其中：' (or, with no total printed, shares adding to 100%)."""
    out = []
    total: tuple[str, str] | None = None  # the printed total and its unit
    total_ev: Evidence | None = None  # where it is printed, when that is an earlier paragraph
    for p in doc.paragraphs:
        if p.kind == "heading":
            total = None
            continue
        if p.kind != "text":
            continue
        anchors = list(rx("share_total").finditer(p.text))
        items = list(rx("share_item").finditer(p.text))
        if anchors:
            total = (anchors[-1].group("total"), anchors[-1].group("unit"))
            total_ev = ev(p, clip(p.text, anchors[-1].start(), anchors[-1].end()))
        if not items:
            if not anchors:
                total = None
            continue
        lead: list[Evidence] = []
        if anchors and anchors[0].start() < items[0].start():
            use = (anchors[0].group("total"), anchors[0].group("unit"))
        elif total:
            use = total
            lead = [total_ev] if total_ev is not None and total_ev.line != p.line else []
        else:
            use = None
        same_unit = [i for i in items if use is None or i.group("unit") == use[1]]
        if use is None:  # no total printed: the shares of a complete list add up to 100%
            if len(items) < 2 or len({i.group("unit") for i in items}) != 1:
                continue
            rate_sum = sum((dec(i.group("rate")) for i in items), Decimal(0))
            if abs(rate_sum - HUNDRED) > Decimal("0.1") * len(items):
                continue
            t_span = sum((Span.printed(i.group("amount")) for i in items), Span.exact(Decimal(0)))
            t_text = f"各项合计 {show(t_span.mid)}"
        else:
            t_span, t_text = Span.printed(use[0]), use[0]
        for i in same_unit:
            if dec(i.group("amount")) > t_span.hi:
                continue  # not a part of this total
            computed = (Span.printed(i.group("amount")) / t_span).scale(HUNDRED)
            sev = judge(i.group("rate"), computed, most="medium")
            if sev:
                out.append(Finding(
                    doc=doc.id, kind="rate_vs_amounts", severity=sev, rule="rates.shares",
                    message=f"{i.group('amount')}{i.group('unit')}写占 {i.group('rate')}%，但占 {t_text}{i.group('unit')}的 {show(computed.mid)}%。",
                    evidence=[ev(p, clip(p.text, i.start(), i.end()))] + lead,
                    computation=f"{i.group('amount')} ÷ {t_text} × 100% = {show(computed.mid, 4)}%",
                ))
    return out


_FACTOR = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def _joined(doc: Document) -> list[tuple[Paragraph, str]]:
    """Sentences, a sentence that a PDF line break cut into two paragraphs ('…万元，' / '预算执行率
    99.99%') joined again."""
    out: list[tuple[Paragraph, str]] = []
    for p, s in sentences(doc):
        if out and out[-1][0] is not p and out[-1][1].endswith(("，", ",")) and p.line - out[-1][0].line <= 3:
            q, t = out.pop()
            out.append((q, t + s))
        else:
            out.append((p, s))
    return out


def ratio(doc: Document) -> list[Finding]:
    """A named rate (执行率, 到位率, 完成预算的) in a sentence with its amounts: some pair of them, the
    smaller over the larger, must give it (a sentence may print 年初预算, 调整后预算 and 支出)."""
    out = []
    for p, s in _joined(doc):
        k = s.find("其中")
        if k > 0 and rx("ratio_rate").search(s[:k]):
            s = s[:k]  # '…完成预算的 80.71%，其中：因公出国（境）费…完成预算的 0.00%': the parts are other rates
        rates = list(rx("ratio_rate").finditer(s))
        amounts = list(rx("ratio_amount").finditer(s))
        if len(rates) != 1 or not 2 <= len(amounts) <= 4 or "%" in s.replace(rates[0].group(0), ""):
            continue
        spans = [Span.printed(a.group("v")).scale(_FACTOR[a.group("unit")]) for a in amounts]
        pairs = [(x, y) for i, x in enumerate(spans) for j, y in enumerate(spans) if i != j and x.lo > 0 and y.lo > 0]
        if not pairs or None in [judge(rates[0].group("rate"), (x / y).scale(HUNDRED)) for x, y in pairs]:
            continue  # some pair of the amounts gives the rate (决算 may exceed 预算: 102.27%)
        small, big = _nearest(spans, rates[0].start(), amounts)
        computed = (small / big).scale(HUNDRED)
        sev = judge(rates[0].group("rate"), computed, most="medium")
        if sev:
            a, b = sorted((a.group(0) for a in amounts if Span.printed(a.group("v")).scale(_FACTOR[a.group("unit")]) in (small, big)),
                          key=lambda t: Span.printed(dec_part(t)).mid)
            out.append(Finding(
                doc=doc.id, kind="rate_vs_amounts", severity=sev, rule="rates.ratio",
                message=f"{rates[0].group('name')}写为 {rates[0].group('rate')}%，但按同句金额计算为 {show(computed.mid)}%。",
                evidence=[ev(p, s)],
                computation=f"{a} ÷ {b} × 100% = {show(computed.mid, 4)}%",
            ))
    return out


def ratio_after(doc: Document) -> list[Finding]:
    """'…总指标 A 万元…。…实际支出 B 万元…。预算执行率达 R%': a rate sentence with no amounts of its own,
    after sentences of the same paragraph that print two to six. Some pair of them must give it; the
    reading is less certain than within one sentence, so low."""
    out = []
    amount = rx("ratio_amount")
    for p, sents in paragraph_sentences(doc):
        for k, s in enumerate(sents):
            rates = list(rx("ratio_rate").finditer(s))
            if k == 0 or len(rates) != 1 or amount.search(s) or "%" in s.replace(rates[0].group(0), ""):
                continue
            before = [a for t in sents[:k] for a in amount.finditer(t)]
            if not 2 <= len(before) <= 6 or any("%" in t for t in sents[:k]):
                continue
            spans = [Span.printed(a.group("v")).scale(_FACTOR[a.group("unit")]) for a in before]
            pairs = [(x, y) for i, x in enumerate(spans) for j, y in enumerate(spans) if i != j and x.lo > 0 and y.lo > 0]
            if not pairs or None in [judge(rates[0].group("rate"), (x / y).scale(HUNDRED)) for x, y in pairs]:
                continue
            out.append(Finding(
                doc=doc.id, kind="rate_vs_amounts", severity="low", rule="rates.ratio_after",
                message=(f"{rates[0].group('name')}写为 {rates[0].group('rate')}%，但同段所列金额"
                         f"（{'、'.join(a.group(0) for a in before)}）中没有两项之比为此数。"),
                evidence=[ev(p, "".join(sents[: k + 1]).strip())],
            ))
    return out


def _nearest(spans: list[Span], at: int, amounts: list) -> tuple[Span, Span]:
    """For the message: the amount printed last before the rate (执行数) over the one before it (the
    budget it is measured against), or with two amounts, the smaller over the larger."""
    before = [s for s, a in zip(spans, amounts, strict=True) if a.start() < at]
    if len(spans) == 2 or len(before) < 2:
        return min(spans, key=lambda x: x.mid), max(spans, key=lambda x: x.mid)
    return before[-1], before[-2]


def dec_part(text: str) -> str:
    return rx("ratio_amount").match(text).group("v")  # type: ignore[union-attr]


CHECKS = (growth, growth_after, shares, ratio, ratio_after)
