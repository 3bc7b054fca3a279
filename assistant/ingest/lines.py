"""Split text into lines and give each line its page number.

Page numbers come from explicit marks: form feeds, and printed footers like `— 15 —` (the page
that ends there is 15). Where a PDF extractor marks page starts with a single leading space, those
starts are counted between footers so that every line gets a page, calibrated on the nearest footer.
Without any marks, pages stay unknown (None) rather than guessed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from assistant.ingest.patterns import patterns

_SOFT_START = re.compile(r"^ [^\s]")


@dataclass
class Line:
    no: int  # 1-based line number in the file
    raw: str
    text: str  # stripped of markup and surrounding whitespace
    page: int | None = None
    is_page_mark: bool = False


def split_lines(text: str) -> tuple[list[Line], bool]:
    """Return the lines with pages, and whether pages are known."""
    p = patterns()
    lines: list[Line] = []
    page_of_ff: list[int] = []
    ff_page = 1
    for no, raw in enumerate(text.split("\n"), start=1):
        ff_page += raw.count("\f")
        raw = raw.replace("\f", "")
        clean = p.strip.sub("", raw).strip()
        lines.append(Line(no=no, raw=raw, text=clean))
        page_of_ff.append(ff_page)

    footers: list[tuple[int, int]] = []  # (index, printed page)
    for i, ln in enumerate(lines):
        for mark in p.page_marks:
            m = mark.match(ln.raw)
            if m:
                ln.is_page_mark = True
                footers.append((i, int(m.group(1))))
                break

    if ff_page > 1:
        for ln, pg in zip(lines, page_of_ff, strict=True):
            ln.page = pg
        return lines, True
    if not footers:
        return lines, False

    # Page starts: a line after each footer, and soft starts (single leading space) if the layout has them.
    starts = {i + 1 for i, _ in footers}
    soft = [i for i, ln in enumerate(lines) if _SOFT_START.match(ln.raw)]
    if len(soft) >= 3:
        starts.update(soft)
    merged: list[int] = []
    for s in sorted(starts):
        # A footer followed (after blanks) by a soft start is one page break, not two.
        if merged and all(not lines[j].text for j in range(merged[-1], s)):
            continue
        merged.append(s)

    def rel(i: int) -> int:
        return bisect.bisect_right(merged, i)

    anchors = [(i, page - rel(i)) for i, page in footers]  # offset per footer
    anchor_idx = [i for i, _ in anchors]
    for i, ln in enumerate(lines):
        k = bisect.bisect_right(anchor_idx, i) - 1
        # Before the first footer, calibrate on it; after a footer, on the last one passed.
        offset = anchors[max(k, 0)][1] if k >= 0 else anchors[0][1]
        if k >= 0 and i > anchors[k][0] and k + 1 < len(anchors):
            # Past a footer: the next footer is authoritative for its own page.
            nxt_i, nxt_off = anchors[k + 1]
            offset = min(offset, nxt_off) if rel(i) + offset > rel(nxt_i) + nxt_off else offset
        ln.page = max(1, rel(i) + offset)
    return lines, True
