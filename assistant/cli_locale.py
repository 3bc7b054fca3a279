"""argparse in Chinese: its help titles and error messages go through gettext, so the same
message ids are looked up in a table (argparse_zh.yaml) instead of a compiled catalogue."""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path

from assistant.datafiles import load_yaml

TABLE = Path(__file__).with_name("argparse_zh.yaml")


@cache
def _table() -> dict[str, str]:
    return load_yaml(TABLE.read_text("utf-8"))


def translate(message: str) -> str:
    return _table().get(message, message)


def install() -> None:
    """Route argparse's messages through the table (argparse binds `_` at import time)."""
    argparse._ = translate  # type: ignore[attr-defined]
