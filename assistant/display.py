"""Text on its way to a terminal: control characters and escape sequences from a report (which could
retitle the window, blink, or move the cursor) are removed, and Rich markup in report text ('[/note]')
is escaped so that it is shown, not interpreted."""

from __future__ import annotations

import re

from rich.markup import escape

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b.?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sanitize(text: object) -> str:
    """Printable text: escape sequences and control characters removed (newlines and tabs kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", str(text)))


def safe(text: object) -> str:
    """Sanitised and escaped for Rich markup: for report text inside a markup string."""
    return escape(sanitize(text))
