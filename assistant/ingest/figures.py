"""Money, rates and counts with their units, as printed (Decimal, unit kept)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from assistant.ingest.model import Figure, Paragraph

FIGURE = re.compile(
    r"(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|元|%|％|个百分点|人|家|项|个)"
)
_LABEL = re.compile(r"[\u4e00-\u9fff“”\"A-Za-z（）()]{1,16}$")


def parse_amount(text: str) -> Decimal:
    """'1,214.96' → Decimal('1214.96'). Raises ValueError on anything that is not a number."""
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


_UNIT_LINE = re.compile(r"单位\s*[：:]\s*(亿元|万元|元)")
_CELL_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2})(?![\d.%])")


def extract_figures(paragraphs: list[Paragraph]) -> list[Figure]:
    out: list[Figure] = []
    table_unit: str | None = None  # '单位：万元' printed above a table applies to its rows
    for para in paragraphs:
        if para.kind == "heading":
            table_unit = None
            continue
        declared = _UNIT_LINE.search(para.text)
        if declared:
            table_unit = declared.group(1)
        if para.kind == "table_row" and table_unit and not FIGURE.search(para.text):
            for m in _CELL_AMOUNT.finditer(para.text):
                before = para.text[max(0, m.start() - 24) : m.start()].rstrip()
                label = _LABEL.search(before)
                out.append(Figure(value=parse_amount(m.group(1)), unit=table_unit, raw=m.group(0),
                                  label=label.group(0) if label else "", paragraph_id=para.id, page=para.page))
            continue
        for m in FIGURE.finditer(para.text):
            before = para.text[max(0, m.start() - 24) : m.start()].rstrip()
            label = _LABEL.search(before)
            unit = "%" if m.group("unit") == "％" else m.group("unit")
            out.append(
                Figure(
                    value=parse_amount(m.group("num")),
                    unit=unit,
                    raw=m.group(0),
                    label=label.group(0) if label else "",
                    paragraph_id=para.id,
                    page=para.page,
                )
            )
    return out
