"""A grant's document number (文号) in the text against the report's own list of grants: 「开封市…省级财政
下拨2000万元（豫财社[2024]119号）」 while the annex lists 开封市's 2000 under 豫财社[2024]133号, and nothing
of 2000 under 119号.

Only where the list settles it: a row of the same amount, for a recipient in the same city, under
another number, and no row of that amount under the number the text gives. Low: the list may be
partial, and one file may be cited for another's money."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.checks.model import Finding
from assistant.checks.numbers import NUM, dec
from assistant.checks.text import clip, ev
from assistant.ingest import Document
from assistant.ingest.model import Paragraph

_REF = re.compile(r"[\u4e00-\u9fff]{2,6}\s*[〔\[【(（]\s*20\d\d\s*[〕\]】)）]\s*\d{1,4}\s*号")
_GRANT = re.compile(rf"(?P<amount>{NUM})\s*万元\s*[（(]\s*(?P<ref>{_REF.pattern})\s*[）)]")
_CITY = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}?市")  # a recipient cell starts with its city
_TRAILING = re.compile(rf"(?:^|\s)(?P<num>{NUM})\s*$")


def _norm(ref: str) -> str:
    ref = re.sub(r"\s", "", ref)
    return re.sub(r"[〕】)）]", "]", re.sub(r"[〔【(（]", "[", ref))


def _cities(text: str) -> set[str]:
    return {m.group(0) for m in _CITY.finditer(text)}


def _listed(doc: Document) -> list[tuple[Paragraph, str, Decimal]]:
    """Rows that give one grant: a document number and the amount at the row's end."""
    out = []
    for p in doc.paragraphs:
        refs = {_norm(m.group(0)) for m in _REF.finditer(p.text)}
        last = _TRAILING.search(p.text)
        if p.kind == "table_row" and len(refs) == 1 and last:
            out.append((p, refs.pop(), dec(last.group("num"))))
    return out


def grant_numbers(doc: Document) -> list[Finding]:
    rows = _listed(doc)
    if not rows:
        return []
    out = []
    for p in doc.paragraphs:
        if p.kind not in ("text", "table_row"):
            continue
        for m in _GRANT.finditer(p.text):
            ref, amount = _norm(m.group("ref")), dec(m.group("amount"))
            said = clip(p.text, m.start(), m.end(), pad=60)
            before = said[: said.find(m.group(0))]
            if any(r == ref and a == amount for _, r, a in rows):
                continue
            other = [(q, r, c) for q, r, a in rows if a == amount and r != ref
                     for c in _cities(q.text) if c in before]
            if len({r for _, r, _ in other}) != 1:
                continue
            q, r, city = other[0]
            out.append(Finding(
                doc=doc.id, kind="value_twice", severity="low", rule="refs.grant_numbers",
                message=(f"正文称{city} {m.group('amount')} 万元由 {m.group('ref')} 下达，但资金列表中"
                         f"该笔 {m.group('amount')} 万元列在 {r}，{ref} 下无此金额。"),
                evidence=[ev(p, said), ev(q, q.text)],
            ))
    return out


CHECKS = (grant_numbers,)
