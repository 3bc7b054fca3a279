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
from assistant.errors import ConfigError, JixiaoError
from assistant.figures import Figures, load_figures
from assistant.ingest import Document, IndicatorRecord
from assistant.scoring import apply_rule, find_rule, frameworks, get_framework, score_figures
from assistant.scoring.framework import Framework, Indicator
from assistant.scoring.sheet import IndicatorScore, ScoreSheet
from index.embedder import Embedder
from index.store import Mode, ProgressFn, SearchBackend, SearchHit, SearchIndex, UpdateReport


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
        records = self.corpus.indicators(doc)
        return [r for r in records if r.deduction] if deductions_only else records

    # -- retrieval
    @cached_property
    def embedder(self) -> Embedder:
        return Embedder(self.settings.embedder)

    @cached_property
    def search_index(self) -> SearchBackend:
        """The local store (faiss + BM25 under <home>/index), or a Milvus collection (settings.backend)."""
        s = self.settings
        if s.backend == "milvus":
            from index.milvus import MilvusBackend  # imported here: pymilvus is an optional dependency

            return MilvusBackend(s.milvus_address, self.embedder, collection=s.milvus_collection, token=s.milvus_token,
                                 timeout=s.milvus_timeout, keyword=s.milvus_keyword, index_type=s.milvus_index,
                                 shards=s.milvus_shards)
        return SearchIndex(s.index_dir, self.embedder)

    def index_status(self) -> str | None:
        """None when the index is current; else why it needs work ('no index yet', 'the model changed', …)."""
        reason = self.search_index.stale_reason()
        if reason:
            return reason
        changed = self.search_index.changed_documents(self.corpus)
        return f"{len(changed)} document(s) changed: {', '.join(changed)}" if changed else None

    def build_index(self, rebuild: bool = False, paths: list[Path] | None = None,
                    progress: ProgressFn | None = None, keep_others: bool = False) -> UpdateReport:
        # Every corpus document is passed (unchanged ones are kept as they are, not re-embedded);
        # `paths` adds report files that are not in the configured corpus.
        docs = self.corpus.documents
        known = {d.id for d in docs}
        extra = [p for p in paths or [] if p.name not in known]
        if extra:
            docs = docs + Corpus.load(self.settings, extra).documents
        if keep_others:  # several indexing workers share one Milvus collection (docs/scale.md)
            from index.milvus import MilvusBackend

            if not isinstance(self.search_index, MilvusBackend):
                raise ConfigError("--keep-others is for the Milvus backend (several workers, one collection)")
            return self.search_index.update(docs, rebuild=rebuild, progress=progress, keep_others=True)
        return self.search_index.update(docs, rebuild=rebuild, progress=progress)

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid", docs: set[str] | None = None) -> list[SearchHit]:
        return self.search_index.search(query, k=k, mode=mode, docs=docs)

    # -- questions
    def ask(self, question: str):  # type: ignore[no-untyped-def]
        """Answer a question from the corpus with citations (see assistant.qa)."""
        return self.conversation().ask(question)

    def conversation(self):  # type: ignore[no-untyped-def]
        """A conversation: follow-up questions lean on the last report and indicator."""
        from assistant.qa import Conversation

        if self.index_status() == "no index yet":
            self.build_index()
        return Conversation(self)

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
