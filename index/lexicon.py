"""Keyword-query expansion from `lexicon.yaml`: staff wording → report wording, English → Chinese."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from assistant.datafiles import load_yaml
from index.normalize import normalize


@cache
def _lexicon() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    raw = load_yaml(resources.files("index").joinpath("lexicon.yaml").read_text("utf-8"))
    return raw.get("synonyms", {}), raw.get("english", {})


def expand(query: str) -> str:
    """The query with the expansions of every key it contains appended (the original words stay)."""
    synonyms, english = _lexicon()
    q = normalize(query)
    extra: list[str] = []
    matched = [key for key in synonyms if key in q]
    for key in matched:
        # a key inside a longer one that matched says less ('花完' in '没花完': not what was spent)
        if not any(key != other and key in other and other in q for other in matched):
            extra += synonyms[key]
    for key, words in english.items():
        # whole words, a plural too: 'rise' is not in 'enterprise', 'official receptions' is 'official reception'
        if re.search(rf"(?<![a-z]){re.escape(key)}(?:s|es)?(?![a-z])", q):
            extra += words
    return q if not extra else q + " " + " ".join(extra)
