"""The search index on disk: manifest + passages + faiss vectors, written atomically, updated per document.

Layout of `<home>/index/`:
- `manifest.json`: format version, model name/fingerprint/dimension, passage count, per-document hash;
- `passages.jsonl`: one passage per line, with `vid`, its row in the vector index;
- `dense.faiss`: the vectors.
A build writes a fresh folder next to the old one and swaps it in with renames, so an interrupted
build leaves the previous index usable.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from pydantic import BaseModel

from assistant.errors import IndexError_
from assistant.ingest.model import Document
from index.dense import DenseIndex
from index.embedder import Embedder
from index.keyword import KeywordIndex
from index.lexicon import expand
from index.normalize import normalize
from index.passages import PASSAGE_FORMAT, Passage, build_passages

FORMAT_VERSION = 1
Mode = Literal["hybrid", "dense", "keyword"]
RRF_K = 60
CANDIDATES = 50


class DocEntry(BaseModel):
    content_hash: str  # of the file
    passages_hash: str = ""  # of the passages cut from it: changes when ingestion changes
    passages: int


def passages_hash(passages: list[Passage]) -> str:
    import hashlib

    return hashlib.sha256("|".join(f"{p.id}:{p.hash}" for p in passages).encode()).hexdigest()[:16]


class Manifest(BaseModel):
    format_version: int
    passage_format: int
    model: dict[str, object]
    passage_count: int
    documents: dict[str, DocEntry]
    built_at: str


class StoredPassage(Passage):
    vid: int


class SearchHit(BaseModel):
    doc: str
    title: str
    section: str
    page: int | None
    text: str
    quote: str
    kind: str
    score: float
    passage_id: str
    record_id: str | None = None
    header: str = ""  # a table's column headings, for a hit of table rows


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    embedded: int = 0
    rebuilt_reason: str | None = None
    seconds: float = 0.0


ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


class SearchBackend(Protocol):
    """What the assistant needs from a search engine: this local store, or a server engine
    (`index.milvus.MilvusBackend`) standing in for it with the same manifest semantics."""

    manifest: Manifest | None

    @property
    def location(self) -> str: ...  # where the index lives, for messages

    @property
    def passage_count(self) -> int: ...

    @property
    def keyword(self) -> KeywordIndex: ...  # the bigram BM25 whose IDF weights the answerers use

    def stale_reason(self) -> str | None: ...

    def changed_documents(self, documents: Iterable[Document]) -> list[str]: ...

    def update(self, documents: list[Document], rebuild: bool = False,
               progress: ProgressFn | None = None) -> UpdateReport: ...

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid", docs: set[str] | None = None) -> list[SearchHit]: ...


def changed_documents(known: dict[str, DocEntry], documents: Iterable[Document]) -> list[str]:
    """Documents whose file or passages differ from the manifest's entry, then documents no longer given."""
    docs = list(documents)
    ids = {d.id for d in docs}
    changed = [d.id for d in docs if known.get(d.id) is None or known[d.id].content_hash != d.content_hash
               or known[d.id].passages_hash != passages_hash(build_passages(d))]
    return changed + [doc for doc in known if doc not in ids]


class SearchIndex:
    def __init__(self, root: Path, embedder: Embedder) -> None:
        self.root = root
        self.embedder = embedder
        self.manifest: Manifest | None = None
        self.passages: list[StoredPassage] = []
        self.dense: DenseIndex | None = None
        self._keyword: KeywordIndex | None = None
        self.damaged: str | None = None
        self._recover()
        self._load()

    # ---------------------------------------------------------------- disk

    def _recover(self) -> None:
        """Finish a swap that was interrupted between its two renames."""
        old = self.root.with_name(self.root.name + ".old")
        if not self.root.exists() and old.exists():
            old.rename(self.root)
        elif old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def _load(self) -> None:
        mf = self.root / "manifest.json"
        if not mf.exists():
            return
        try:
            self.manifest = Manifest.model_validate_json(mf.read_text("utf-8"))
            if self.manifest.format_version != FORMAT_VERSION or self.manifest.passage_format != PASSAGE_FORMAT:
                return  # an older layout: stale_reason() asks for a rebuild; nothing else is read
            with (self.root / "passages.jsonl").open(encoding="utf-8") as f:
                self.passages = [StoredPassage.model_validate_json(line) for line in f if line.strip()]
            self.dense = DenseIndex.read(self.root / "dense.faiss")
            if len(self.dense) != len(self.passages):
                raise ValueError(f"{len(self.passages)} passages but {len(self.dense)} vectors")
        except Exception as exc:  # a damaged index is reported and rebuilt, never trusted
            self.manifest, self.passages, self.dense = None, [], None
            self.damaged = f"the index at {self.root} is damaged ({str(exc).splitlines()[0]})"
        self._keyword = None

    def _write(self, manifest: Manifest, passages: list[StoredPassage], dense: DenseIndex) -> None:
        self.root.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.root.with_name(f".{self.root.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        with (tmp / "passages.jsonl").open("w", encoding="utf-8") as f:
            for p in passages:
                f.write(p.model_dump_json() + "\n")
        dense.write(tmp / "dense.faiss")
        (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), "utf-8")  # last: marks complete
        old = self.root.with_name(self.root.name + ".old")
        if self.root.exists():
            self.root.rename(old)
        tmp.rename(self.root)
        shutil.rmtree(old, ignore_errors=True)

    # ---------------------------------------------------------------- status and update

    @property
    def location(self) -> str:
        return str(self.root)

    @property
    def passage_count(self) -> int:
        return len(self.passages)

    def stale_reason(self) -> str | None:
        """Why the whole index must be rebuilt (model or format change), or None."""
        if self.damaged:
            return self.damaged
        if self.manifest is None:
            return "no index yet"
        if self.manifest.format_version != FORMAT_VERSION or self.manifest.passage_format != PASSAGE_FORMAT:
            return "the index format changed"
        model = self.manifest.model
        if model.get("name") != self.embedder.name or model.get("fingerprint") != self.embedder.fingerprint:
            return f"the embedding model changed ({model.get('name')} → {self.embedder.name})"
        return None

    def changed_documents(self, documents: Iterable[Document]) -> list[str]:
        return changed_documents(self.manifest.documents if self.manifest else {}, documents)

    def update(self, documents: list[Document], rebuild: bool = False,
               progress: ProgressFn | None = None) -> UpdateReport:
        start = time.perf_counter()
        report = UpdateReport()
        reason = "rebuild requested" if rebuild else self.stale_reason()
        full = reason is not None
        report.rebuilt_reason = reason
        known = {} if full or self.manifest is None else self.manifest.documents
        old_by_doc: dict[str, list[StoredPassage]] = {}
        for p in self.passages:
            old_by_doc.setdefault(p.doc, []).append(p)

        keep_vectors: list[np.ndarray] = []
        keep: list[Passage] = []
        todo: list[Passage] = []
        entries: dict[str, DocEntry] = {}
        for doc in documents:
            entry = known.get(doc.id)
            passages = build_passages(doc)
            digest = passages_hash(passages)
            if (entry is not None and entry.content_hash == doc.content_hash and entry.passages_hash == digest
                    and doc.id in old_by_doc and self.dense):
                report.unchanged.append(doc.id)
                olds = old_by_doc[doc.id]
                keep += olds
                keep_vectors.append(self.dense.vectors(np.array([p.vid for p in olds])))
                entries[doc.id] = entry
                continue
            (report.changed if entry is not None else report.added).append(doc.id)
            # Within a changed document, passages whose text did not change keep their vectors.
            reusable = {(p.id, p.hash): p.vid for p in old_by_doc.get(doc.id, [])} if not full and self.dense else {}
            for p in passages:
                vid = reusable.get((p.id, p.hash))
                if vid is None:
                    todo.append(p)
                else:
                    keep.append(p)
                    keep_vectors.append(self.dense.vectors(np.array([vid])))  # type: ignore[union-attr]
            entries[doc.id] = DocEntry(content_hash=doc.content_hash, passages_hash=digest, passages=len(passages))
        report.removed = [doc for doc in known if doc not in entries]

        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("embedding", done, len(todo))

        if progress:
            progress("embedding", 0, len(todo))
        new_vectors = self.embedder.encode_passages([p.embed_text() for p in todo], progress=step)
        report.embedded = len(todo)

        all_passages = [StoredPassage(**p.model_dump(exclude={"vid"}), vid=i) for i, p in enumerate([*keep, *todo])]
        vectors = np.vstack([*keep_vectors, new_vectors]) if (keep_vectors or len(todo)) else np.zeros((0, self.embedder.dim), np.float32)
        dense = DenseIndex(self.embedder.dim)
        dense.add(np.arange(len(all_passages)), vectors)
        manifest = Manifest(
            format_version=FORMAT_VERSION, passage_format=PASSAGE_FORMAT, model=self.embedder.describe(),
            passage_count=len(all_passages), documents=entries, built_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
        )
        if report.added or report.changed or report.removed or full:
            self._write(manifest, all_passages, dense)
        self.manifest, self.passages, self.dense, self._keyword = manifest, all_passages, dense, None
        report.seconds = time.perf_counter() - start
        return report

    # ---------------------------------------------------------------- search

    @property
    def keyword(self) -> KeywordIndex:
        if self._keyword is None:
            self._keyword = KeywordIndex([p.embed_text() for p in self.passages])
        return self._keyword

    def _ranked(self, query: str, mode: Literal["dense", "keyword"], k: int) -> list[tuple[int, float]]:
        if mode == "keyword":
            return self.keyword.search(expand(query), k)
        if self.dense is None:
            return []
        vec = self.embedder.encode_queries([normalize(query)])[0]
        return self.dense.search(vec, k)

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid", docs: set[str] | None = None) -> list[SearchHit]:
        if self.manifest is None or self.dense is None:
            raise IndexError_(f"the index is not usable ({self.stale_reason()}): run 'jixiao index' first")
        if not query.strip():
            return []
        depth = max(CANDIDATES, k * 4) if docs is None else len(self.passages)
        if mode == "hybrid":
            fused: dict[int, float] = {}
            for sub in ("dense", "keyword"):
                for rank, (row, _s) in enumerate(self._ranked(query, sub, depth)):  # type: ignore[arg-type]
                    fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
            ranked = sorted(fused.items(), key=lambda x: -x[1])
        else:
            ranked = self._ranked(query, mode, depth)
        hits = []
        for row, score in ranked:
            p = self.passages[row]
            if docs is not None and p.doc not in docs:
                continue
            hits.append(SearchHit(doc=p.doc, title=p.title, section=p.section, page=p.page, text=p.text, quote=p.quote,
                                  kind=p.kind, score=round(score, 6), passage_id=p.id, record_id=p.record_id,
                                  header=p.header))
            if len(hits) == k:
                break
        return hits
