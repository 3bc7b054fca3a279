"""The one façade both front ends call: reports, indicators, sections, rules, score (and more to come).

A `Session` holds the settings and the ingested corpus so that repeated calls do not re-read files.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from assistant.config import Settings, load_settings
from assistant.corpus import Corpus
from assistant.errors import JixiaoError
from assistant.figures import Figures, load_figures
from assistant.ingest import Document, IndicatorRecord
from assistant.scoring import apply_rule, find_rule, frameworks, get_framework, score_figures
from assistant.scoring.framework import Framework, Indicator
from assistant.scoring.sheet import IndicatorScore, ScoreSheet


class Session:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()

    @cached_property
    def corpus(self) -> Corpus:
        return Corpus.load(self.settings)

    # -- documents
    def reports(self) -> list[dict[str, Any]]:
        return [d.summary() for d in self.corpus]

    def document(self, key: str) -> Document:
        return self.corpus.get(key)

    def indicators(self, doc: str | None = None, deductions_only: bool = False) -> list[IndicatorRecord]:
        records = self.corpus.records(doc)
        return [r for r in records if r.deduction] if deductions_only else records

    # -- scoring
    def frameworks(self) -> dict[str, Framework]:
        return frameworks()

    def rule(self, key: str) -> tuple[Framework, Indicator]:
        return find_rule(key)

    def apply_rule(self, key: str, values: dict[str, Any]) -> tuple[Framework, IndicatorScore]:
        return apply_rule(key, values)

    def published_scores(self, framework: Framework, year: int) -> dict[str, Decimal]:
        """The scores a report printed for that framework and year, by indicator name (if in the corpus)."""
        pub = framework.published.get(year)
        if pub is None:
            return {}
        try:
            doc = self.corpus.get(pub.doc)
        except JixiaoError:
            return {}
        return {r.name: r.score for r in doc.records if r.source == "table" and r.score is not None}

    def score(self, figures: Figures | Path) -> ScoreSheet:
        figs = load_figures(figures) if isinstance(figures, Path) else figures
        framework = get_framework(figs.framework)
        return score_figures(framework, figs, self.published_scores(framework, figs.year))
