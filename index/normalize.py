"""Text normalisation shared by queries and passages: full-width → half-width, traditional →
simplified Chinese, lower case. Used for matching only; stored text is never changed."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[a-z]+|[\u4e00-\u9fff]+")


@cache
def _t2s():  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC("t2s")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    if _CJK.search(text):
        text = _t2s().convert(text)
    return text.replace(",", "") if re.search(r"\d,\d", text) else text


def tokenize(text: str) -> list[str]:
    """Character bigrams of Chinese runs (a lone character stays a unigram), numbers whole
    ('1.68', '96.15', '51.28%' and '51.28'), Latin words."""
    tokens: list[str] = []
    for m in _TOKEN.finditer(normalize(text)):
        tok = m.group(0)
        if tok[0].isdigit():
            tokens.append(tok)
            if tok.endswith("%"):
                tokens.append(tok[:-1])
        elif tok[0].isascii():
            tokens.append(tok)
        elif len(tok) == 1:
            tokens.append(tok)
        else:
            tokens.extend(tok[i : i + 2] for i in range(len(tok) - 1))
    return tokens
