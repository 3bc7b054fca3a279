"""The set of ingested documents a session works on, looked up by ID or a short prefix ('002')."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from assistant.config import Settings, doc_name
from assistant.errors import IngestError, JixiaoError
from assistant.ingest import Document, IndicatorRecord, load_document


class UnknownDocument(JixiaoError):
    pass


class Corpus:
    def __init__(self, documents: list[Document], errors: list[str] | None = None) -> None:
        self.documents = documents
        self.errors = errors or []  # files that could not be ingested: reported, not fatal
        self._by_id = {d.id: d for d in documents}
        self.cache_dir: Path | None = None  # where derived data (the typo vocabulary) may be cached

    @classmethod
    def load(cls, settings: Settings, paths: list[Path] | None = None) -> Corpus:
        docs: list[Document] = []
        if paths is not None:
            files, errors = [(doc_name(p), p) for p in paths], []
        else:
            files, errors = settings.corpus_files()
        for doc_id, path in files:
            try:
                docs.append(load_document(path, max_mb=settings.max_file_mb, doc_id=doc_id, cache_dir=settings.cache_dir))
            except IngestError as exc:
                errors.append(str(exc))
        corpus = cls(docs, errors)
        corpus.cache_dir = settings.cache_dir
        return corpus

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, key: str) -> Document:
        """A document by its ID (file name), its stem, or a unique prefix such as '002'."""
        if key in self._by_id:
            return self._by_id[key]
        matches = [d for d in self.documents if d.id.startswith(key) or Path(d.id).stem == key]
        if len(matches) == 1:
            return matches[0]
        known = "、".join(d.id for d in self.documents)
        if not matches:
            raise UnknownDocument(f"语料中没有报告 '{key}'（现有：{known}）")
        raise UnknownDocument(f"'{key}' 对应多份报告：{'、'.join(d.id for d in matches)}；请写得更具体些")

    def records(self, doc: str | None = None) -> list[IndicatorRecord]:
        docs = [self.get(doc)] if doc else self.documents
        return [r for d in docs for r in d.records]

    def indicators(self, doc: str | None = None) -> list[IndicatorRecord]:
        """One record per indicator (see `Document.indicators`)."""
        docs = [self.get(doc)] if doc else self.documents
        return [r for d in docs for r in d.indicators()]
