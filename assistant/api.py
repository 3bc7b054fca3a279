"""The one façade both front ends call: reports, indicators, sections, rules, score (and more to come).

A `Session` holds the settings and the ingested corpus so that repeated calls do not re-read files.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings, load_settings
from assistant.corpus import Corpus
from assistant.errors import ConfigError, JixiaoError, ScoringError
from assistant.ingest import Document, IndicatorRecord
from index.embedder import Embedder

if TYPE_CHECKING:  # the scorer is imported when used: 'jixiao index' and 'search' never need it
    from assistant.figures import Figures
    from assistant.scoring.framework import Framework, Indicator
    from assistant.scoring.sheet import IndicatorScore, ScoreSheet
from index.store import NO_INDEX, Mode, ProgressFn, SearchBackend, SearchHit, SearchIndex, UpdateReport


class Session:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()

    @cached_property
    def corpus(self) -> Corpus:
        self._added_at_load = self.settings.added_paths()
        return Corpus.load(self.settings)

    def _documents_now(self) -> list[Document]:
        """The corpus as it is now, read under the index lock: another process (a shell 'index PATH'
        beside the app) may have added a report since this session read it, and an update that did
        not include it would drop that process's work from the index."""
        if "corpus" in self.__dict__ and self.settings.added_paths() != self._added_at_load:
            del self.__dict__["corpus"]
        return self.corpus.documents

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
        """None when the index is current; else why it needs work (NO_INDEX, 嵌入模型已更换, …)."""
        reason = self.search_index.stale_reason()
        if reason:
            return reason
        changed = self.search_index.changed_documents(self.corpus)
        return f"{len(changed)} 份报告有变化：{'、'.join(changed)}" if changed else None

    def build_index(self, rebuild: bool = False, paths: list[Path] | None = None,
                    progress: ProgressFn | None = None, on_wait: Callable[[], None] | None = None,
                    keep_others: bool = False) -> UpdateReport:
        """Every corpus document is passed (unchanged ones are kept as they are, not re-embedded);
        `paths` adds report files beyond the configured corpus, remembered for later runs."""
        from assistant.files import check_writable_dir

        check_writable_dir(self.settings.home, "jixiao 的数据目录")  # before minutes of embedding
        if paths:
            self.add_reports(paths)
        if keep_others:  # several indexing workers share one Milvus collection (docs/scale.md)
            from index.milvus import MilvusBackend

            if not isinstance(self.search_index, MilvusBackend):
                raise ConfigError("--keep-others 只用于 Milvus 后端（多个进程共同写入一个集合）")
            return self.search_index.update(self._documents_now(), rebuild=rebuild, progress=progress, keep_others=True)
        return self.search_index.update(self._documents_now, rebuild=rebuild, progress=progress, on_wait=on_wait)

    def refresh_index(self, progress: ProgressFn | None = None) -> UpdateReport:
        """Update the index while questions keep being answered (after `search_index.provisional`,
        new reports by keyword only): the update is built in a second index object, which replaces
        the serving one when it is complete."""
        from assistant.files import check_writable_dir

        check_writable_dir(self.settings.home, "jixiao 的数据目录")
        if not isinstance(self.search_index, SearchIndex):  # a server engine updates in place
            return self.search_index.update(self._documents_now, progress=progress)
        fresh = SearchIndex(self.settings.index_dir, self.embedder)
        report = fresh.update(self._documents_now, progress=progress)
        self.search_index = fresh  # one assignment: a question sees the old index or the new one
        return report

    def add_reports(self, paths: list[Path]) -> list[str]:
        """Remember report files given to `jixiao index PATH` (each is read first: a bad file is an
        error, not a silent skip). Returns their document ids."""
        import json

        from assistant.files import atomic_write_text
        from index.store import index_lock

        added = []
        for path in paths:
            if not path.exists():
                raise JixiaoError(f"{path}: 文件不存在")
            if path.is_dir():
                raise JixiaoError(f"{path}: 是文件夹；请把文件夹加入 corpus_paths（JIXIAO_CORPUS_PATHS 或 config.toml）")
            doc = Corpus.load(self.settings, [path])
            if doc.errors:
                raise JixiaoError(doc.errors[0])
            added.append(path.resolve())
        with index_lock(self.settings.index_dir):  # two `index PATH` at once both keep theirs
            current, problem = self.settings.read_added()
            if problem:  # rewriting it would lose the reports recorded there
                raise JixiaoError(f"{self.settings.added_file}: 已损坏，无法记下新报告（为免丢失其中记录的报告，没有改写它；"
                                  "请修复或删除这个文件）")
            merged = current + [p for p in added if p not in current]
            atomic_write_text(self.settings.added_file, json.dumps([str(p) for p in merged], ensure_ascii=False))
        self.__dict__.pop("corpus", None)  # re-read with the new reports
        return [p.name for p in added]

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid", docs: set[str] | None = None) -> list[SearchHit]:
        return self.search_index.search(query, k=k, mode=mode, docs=docs)

    # -- questions
    def ask(self, question: str, llm: bool = False, on_delta: Any = None):  # type: ignore[no-untyped-def]
        """Answer a question from the corpus with citations (see assistant.qa); `llm`: phrased by the
        configured language model where the guard passes its reply (see assistant.llm)."""
        return self.conversation().ask(question, llm=llm, on_delta=on_delta)

    @cached_property
    def llm_client(self):  # type: ignore[no-untyped-def]
        """The configured OpenAI-compatible chat client (an LLMError where none is configured)."""
        from assistant.llm.client import ChatClient

        return ChatClient.from_settings(self.settings)

    def conversation(self):  # type: ignore[no-untyped-def]
        """A conversation: follow-up questions lean on the last report and indicator."""
        from assistant.qa import Conversation

        if self.index_status() == NO_INDEX:
            self.build_index()
        return Conversation(self)

    # -- scoring
    def frameworks(self) -> dict[str, Framework]:
        from assistant.scoring import frameworks

        return frameworks()

    def rule(self, key: str) -> tuple[Framework, Indicator]:
        from assistant.scoring import find_rule

        return find_rule(key)

    def rules_named(self, key: str) -> list[tuple[Framework, Indicator]]:
        """Every framework's rule for an indicator name ('预算执行率' is scored by 福田, 龙岗 and 罗湖);
        a 'framework.indicator' key or an id gives just that one."""
        from assistant.scoring import find_rule, frameworks

        exact = [(fw, ind) for fw in frameworks().values() for ind in fw.indicators if key == ind.name]
        return exact or [find_rule(key)]

    def apply_rule(self, key: str, values: dict[str, Any]) -> tuple[Framework, IndicatorScore]:
        from assistant.scoring import apply_rule

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

    def score(self, figures: Figures | Path, source: Path | None = None) -> ScoreSheet:
        """Score a year's figures. A problem with an input is reported at its line of the figures file
        (`source`, or `figures` when it is a path)."""
        from assistant.figures import locate_inputs

        path = figures if isinstance(figures, Path) else source
        from assistant.figures import load_figures
        from assistant.scoring import get_framework, score_figures

        figs = load_figures(figures) if isinstance(figures, Path) else figures
        framework = get_framework(figs.framework)
        try:
            return score_figures(framework, figs, self.published_scores(framework, figs.year))
        except ScoringError as exc:
            if path is None:
                raise
            raise locate_inputs(path, str(exc)) from exc
