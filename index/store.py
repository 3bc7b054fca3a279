"""The search index on disk: manifest + passages + faiss vectors, written atomically, updated per document.

Layout of `<home>/index/`:
- `manifest.json`: format version, model name/fingerprint/dimension, passage count, per-document hash;
- `passages.jsonl`: one passage per line, with `vid`, its row in the vector index;
- `dense.faiss`: the vectors.
A build writes a fresh folder next to the old one and swaps it in with renames, so an interrupted
build leaves the previous index usable.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from pydantic import BaseModel

from assistant.errors import IndexError_
from assistant.files import tidy_temps
from assistant.ingest.model import Document
from index import prebuilt
from index.cache import cached
from index.dense import DenseIndex
from index.embedder import Embedder
from index.keyword import KeywordIndex
from index.lexicon import expand
from index.normalize import normalize
from index.passages import PASSAGE_FORMAT, Passage, build_passages

NO_INDEX = "还没有索引"
REBUILD = "按要求重建"
FORMAT_VERSION = 2  # 2: checksums of the index files in the manifest
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
    checksums: dict[str, str] = {}  # sha256 of each index file, verified on load


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
    prebuilt: int = 0  # vectors taken from the ones shipped with the bundled corpus
    rebuilt_reason: str | None = None
    seconds: float = 0.0


ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class _Plan:
    keep: list[Passage] = field(default_factory=list)  # passages that have a vector
    vectors: list[np.ndarray] = field(default_factory=list)  # their vectors, in order
    todo: list[Passage] = field(default_factory=list)  # passages to embed
    entries: dict[str, DocEntry] = field(default_factory=dict)


@contextmanager
def index_lock(root: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """An inter-process lock (fcntl, via filelock) held while the index is written."""
    from filelock import FileLock, Timeout

    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(root.with_name(root.name + ".lock")))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait:
                on_wait()
            lock.acquire()
    except OSError as exc:
        raise IndexError_(f"无法锁定索引 {root}（{exc.strerror}）；请检查该目录是否可写") from exc
    try:
        yield
    finally:
        lock.release()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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

    def update(self, documents: list[Document] | Callable[[], list[Document]], rebuild: bool = False,
               progress: ProgressFn | None = None, on_wait: Callable[[], None] | None = None) -> UpdateReport: ...

    def provisional(self, documents: list[Document]) -> list[str]: ...  # reports searchable by keyword only

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid", docs: set[str] | None = None) -> list[SearchHit]: ...


def changed_documents(known: dict[str, DocEntry], documents: Iterable[Document],
                      passages_of: Callable[[Document], list[Passage]] = build_passages) -> list[str]:
    """Documents whose file or passages differ from the manifest's entry, then documents no longer given."""
    docs = list(documents)
    ids = {d.id for d in docs}
    changed = [d.id for d in docs if known.get(d.id) is None or known[d.id].content_hash != d.content_hash
               or known[d.id].passages_hash != passages_hash(passages_of(d))]
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
        self.waiting: list[str] = []  # documents searched by keyword only until their vectors exist
        self._recover()
        self._load()

    # ---------------------------------------------------------------- disk

    def _recover(self) -> None:
        """Finish a swap that was interrupted between its two renames; remove what a killed build left."""
        old = self.root.with_name(self.root.name + ".old")
        try:
            if not self.root.exists() and old.exists():
                old.rename(self.root)
            elif old.exists():
                shutil.rmtree(old, ignore_errors=True)
            for tmp in self.root.parent.glob(f".{self.root.name}.tmp-*") if self.root.parent.exists() else []:
                pid = tmp.name.rsplit("-", 1)[-1]
                if not (pid.isdigit() and _alive(int(pid))):
                    shutil.rmtree(tmp, ignore_errors=True)
            tidy_temps(self.root.parent)  # '.added.json.PID.x.tmp' of a killed `index PATH`
        except OSError:
            pass  # a read-only home: nothing to tidy, the index is still read

    def _load(self) -> None:
        mf = self.root / "manifest.json"
        if not mf.exists():
            return
        try:
            self.manifest = Manifest.model_validate_json(mf.read_text("utf-8"))
            if self.manifest.format_version != FORMAT_VERSION or self.manifest.passage_format != PASSAGE_FORMAT:
                return  # an older layout: stale_reason() asks for a rebuild; nothing else is read
            for name, digest in self.manifest.checksums.items():
                if _sha256(self.root / name) != digest:
                    raise ValueError(f"{name} does not match its checksum (changed or corrupted on disk)")
            with (self.root / "passages.jsonl").open(encoding="utf-8") as f:
                self.passages = [StoredPassage.model_validate_json(line) for line in f if line.strip()]
            self.dense = DenseIndex.read(self.root / "dense.faiss")
            if len(self.dense) != len(self.passages):
                raise ValueError(f"{len(self.passages)} passages but {len(self.dense)} vectors")
        except Exception as exc:  # a damaged index is reported and rebuilt, never trusted
            self.manifest, self.passages, self.dense = None, [], None
            self.damaged = f"{self.root} 处的索引已损坏（{str(exc).splitlines()[0]}）"
        self._keyword = None

    def _write(self, manifest: Manifest, passages: list[StoredPassage], dense: DenseIndex) -> None:
        tmp = self.root.with_name(f".{self.root.name}.tmp-{os.getpid()}")
        try:
            self.root.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            with (tmp / "passages.jsonl").open("w", encoding="utf-8") as f:
                for p in passages:
                    f.write(p.model_dump_json() + "\n")
            dense.write(tmp / "dense.faiss")
            manifest.checksums = {name: _sha256(tmp / name) for name in ("passages.jsonl", "dense.faiss")}
            (tmp / "manifest.json").write_text(manifest.model_dump_json(indent=2), "utf-8")  # last: marks complete
            old = self.root.with_name(self.root.name + ".old")
            if self.root.exists():
                self.root.rename(old)
            tmp.rename(self.root)
            shutil.rmtree(old, ignore_errors=True)
        except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
            shutil.rmtree(tmp, ignore_errors=True)
            reason = "磁盘已满" if isinstance(exc, OSError) and exc.errno == errno.ENOSPC else str(exc).splitlines()[0]
            raise IndexError_(f"无法写入索引 {self.root}：{reason}（原有索引保持不变）") from exc

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
            return NO_INDEX
        if self.manifest.format_version != FORMAT_VERSION or self.manifest.passage_format != PASSAGE_FORMAT:
            return "索引格式已更新"
        model = self.manifest.model
        if model.get("name") != self.embedder.name or model.get("fingerprint") != self.embedder.fingerprint:
            return f"嵌入模型已更换（{model.get('name')} → {self.embedder.name}）"
        return None

    def changed_documents(self, documents: Iterable[Document]) -> list[str]:
        return changed_documents(self.manifest.documents if self.manifest else {}, documents, self.passages_of)

    def update(self, documents: list[Document] | Callable[[], list[Document]], rebuild: bool = False,
               progress: ProgressFn | None = None, on_wait: Callable[[], None] | None = None) -> UpdateReport:
        """Bring the index up to date with `documents` (or what a function returns, called once the lock
        is held). Writers queue on a lock beside the index (two `jixiao index` at once, or the app's
        background build and a shell), and each starts from what the one before it wrote, so no one's
        work is lost."""
        with index_lock(self.root, on_wait):
            self.manifest, self.passages, self.dense, self.damaged = None, [], None, None
            self._recover()
            self._load()
            return self._update(documents() if callable(documents) else documents, rebuild, progress)

    def _plan(self, documents: list[Document], full: bool, report: UpdateReport) -> _Plan:
        """Which passages keep a vector (unchanged, or shipped with the bundled corpus) and which
        must be embedded; fills the added/changed/removed/unchanged lists of `report`."""
        known = {} if full or self.manifest is None else self.manifest.documents
        old_by_doc: dict[str, list[StoredPassage]] = {}
        for p in self.passages:
            old_by_doc.setdefault(p.doc, []).append(p)
        plan = _Plan()
        for doc in documents:
            entry = known.get(doc.id)
            passages = self.passages_of(doc)
            digest = passages_hash(passages)
            if (entry is not None and entry.content_hash == doc.content_hash and entry.passages_hash == digest
                    and doc.id in old_by_doc and self.dense):
                report.unchanged.append(doc.id)
                olds = old_by_doc[doc.id]
                plan.keep += olds
                plan.vectors.append(self.dense.vectors(np.array([p.vid for p in olds])))
                plan.entries[doc.id] = entry
                continue
            (report.changed if entry is not None else report.added).append(doc.id)
            # Within a changed document, passages whose text did not change keep their vectors.
            reusable = {(p.id, p.hash): p.vid for p in old_by_doc.get(doc.id, [])} if not full and self.dense else {}
            for p in passages:
                vid = reusable.get((p.id, p.hash))
                if vid is None:
                    plan.todo.append(p)
                else:
                    plan.keep.append(p)
                    plan.vectors.append(self.dense.vectors(np.array([vid])))  # type: ignore[union-attr]
            plan.entries[doc.id] = DocEntry(content_hash=doc.content_hash, passages_hash=digest, passages=len(passages))
        report.removed = [doc for doc in known if doc not in plan.entries]
        # passages of the bundled reports come with their vectors (made by this very model)
        shipped = prebuilt.for_embedder(self.embedder)
        if shipped is not None and plan.todo:
            found = shipped.lookup([p.embed_text() for p in plan.todo])
            plan.keep += [plan.todo[i] for i in found]
            plan.vectors += [found[i].reshape(1, -1) for i in found]
            plan.todo = [p for i, p in enumerate(plan.todo) if i not in found]
            report.prebuilt = len(found)
        return plan

    def provisional(self, documents: list[Document]) -> list[str]:
        """Make every document searchable at once, before an update embeds what is new: passages
        with a vector are searched both ways, the others by keyword only until they have one.
        Returns the documents still waiting for vectors (nothing is written to disk)."""
        with index_lock(self.root):
            self.manifest, self.passages, self.dense, self.damaged = None, [], None, None
            self._recover()
            self._load()
        full = self.stale_reason() is not None
        plan = self._plan(documents, full, UpdateReport())
        rows = [*plan.keep, *plan.todo]
        self.passages = [StoredPassage(**p.model_dump(exclude={"vid"}), vid=i) for i, p in enumerate(rows)]
        dense = DenseIndex(self.embedder.dim)
        if plan.keep:
            dense.add(np.arange(len(plan.keep)), np.vstack(plan.vectors))
        self.dense, self._keyword = dense, None
        self.manifest = Manifest(
            format_version=FORMAT_VERSION, passage_format=PASSAGE_FORMAT, model=self.embedder.describe(),
            passage_count=len(rows), documents=plan.entries, built_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
        self.waiting = sorted({p.doc for p in plan.todo})
        return self.waiting

    def _update(self, documents: list[Document], rebuild: bool, progress: ProgressFn | None) -> UpdateReport:
        start = time.perf_counter()
        report = UpdateReport()
        reason = REBUILD if rebuild else self.stale_reason()
        full = reason is not None
        report.rebuilt_reason = reason
        plan = self._plan(documents, full, report)
        if not (report.added or report.changed or report.removed or full):
            report.seconds = time.perf_counter() - start
            return report  # nothing to do: no model is loaded, nothing is written
        keep, keep_vectors, todo, entries = plan.keep, plan.vectors, plan.todo, plan.entries

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
        self.waiting = []
        report.seconds = time.perf_counter() - start
        return report

    # ---------------------------------------------------------------- search

    @property
    def cache_dir(self) -> Path:
        return self.root.parent / "cache"

    def passages_of(self, doc: Document) -> list[Passage]:
        """The passages cut from a document (cached: the status check of every command needs them)."""
        return cached(self.cache_dir, "passages", f"{doc.id}|{doc.content_hash}", lambda: build_passages(doc))

    @property
    def keyword(self) -> KeywordIndex:
        if self._keyword is None:
            texts = [p.embed_text() for p in self.passages]
            key = hashlib.sha256("\x1e".join(texts).encode()).hexdigest()
            self._keyword = cached(self.cache_dir, "keyword", key, lambda: KeywordIndex(texts))
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
            raise IndexError_(f"索引不可用（{self.stale_reason()}）：请先运行 'jixiao index'")
        if not query.strip():
            return []
        depth = max(CANDIDATES, k * 4) if docs is None else len(self.passages)
        if mode == "hybrid":
            fused: dict[int, float] = {}
            with_vector = len(self.dense)  # rows past it wait for vectors: their keyword rank counts twice
            for sub in ("dense", "keyword"):
                for rank, (row, _s) in enumerate(self._ranked(query, sub, depth)):  # type: ignore[arg-type]
                    weight = 2.0 if sub == "keyword" and row >= with_vector else 1.0
                    fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
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
