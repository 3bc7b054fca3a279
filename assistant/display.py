"""Text on its way to a terminal: control characters and escape sequences from a report (which could
retitle the window, blink, or move the cursor) are removed, and Rich markup in report text ('[/note]')
is escaped so that it is shown, not interpreted."""

from __future__ import annotations

import re

from rich.markup import escape

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b.?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sanitize(text: object) -> str:
    """Printable text: escape sequences and control characters removed (newlines and tabs kept), and
    a file name that is not valid UTF-8 (lone surrogates, which no output can encode) made printable."""
    s = str(text)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-8", "surrogateescape" if _only_escapes(s) else "replace").decode("utf-8", "replace")
    return _CONTROLS.sub("", _ESCAPES.sub("", s))


def _only_escapes(s: str) -> bool:
    return all(not "\ud800" <= ch <= "\udfff" or "\udc80" <= ch <= "\udcff" for ch in s)


def safe(text: object) -> str:
    """Sanitised and escaped for Rich markup: for report text inside a markup string."""
    return escape(sanitize(text))
