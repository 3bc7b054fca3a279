"""A Milvus collection behind the search interface (`index.store.SearchBackend`): the same passages,
manifest semantics and search modes as the local store, for corpora one machine cannot hold.

The URI decides the engine: a path ending in `.db` runs Milvus Lite inside this process (tests, one
machine); `http(s)://host:19530` talks to Milvus Standalone, Distributed or a managed service.

Layout on the server, for the configured collection name N:
- alias N → collection `N_v<ms>`: one row per passage (id, document id and hash, passage hash, title,
  context, heading path, page, kind, text, quote, record, table header, the normalised text that feeds
  Milvus's BM25 function → a sparse field, and the dense vector). Its properties record jixiao's
  layout version, the model (name, fingerprint, dimension) and how keyword search runs;
- collection `N_v<ms>_docs`: one row per document (file hash, passages hash, passage count), the
  manifest. A document's row is written after its passages, so an interrupted update redoes it.
A full rebuild fills a new `N_v<ms>` pair and then moves the alias, so searches see the old index
until the new one is complete (the local store's atomic swap, on a server).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import BackendUnavailable, IndexError_, IndexModelMismatch
from assistant.ingest.model import Document
from index.embedder import Embedder
from index.keyword import KeywordIndex
from index.lexicon import expand
from index.normalize import normalize
from index.passages import PASSAGE_FORMAT, Passage, build_passages, embed_text
from index.store import (
    CANDIDATES,
    NO_INDEX,
    REBUILD,
    RRF_K,
    DocEntry,
    Manifest,
    Mode,
    ProgressFn,
    SearchHit,
    UpdateReport,
    changed_documents,
    passages_hash,
)

FORMAT_VERSION = 1  # of the collection layout: bump when fields change (the collection is rebuilt)
# Milvus's built-in Chinese analyzer (jieba plus a filter dropping punctuation) on a 2.5+ server; Milvus
# Lite has no 'chinese' analyzer type but the jieba tokenizer itself (milvus-lite[chinese]).
ANALYZERS: list[dict[str, Any]] = [{"type": "chinese"}, {"tokenizer": "jieba"}]
LOCAL_KEYWORD = "local"  # property value: keyword search by jixiao's bigram BM25 over the passages
HIT_FIELDS = ["doc", "title", "section", "page", "text", "quote", "kind", "record_id", "header"]
TEXT_MAX = 65535  # bytes: the largest VARCHAR every Milvus version accepts
BATCH = 256  # rows per upsert: well under the 64 MiB gRPC message limit with 1024-d vectors
_VERSIONED = r"_v\d+"


def _quote(value: str) -> str:
    """A string literal for a Milvus filter expression."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _one_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(text).strip().splitlines()[0]


def _quiet_pymilvus() -> None:
    # pymilvus logs every failed call with a traceback; jixiao reports its errors as one line instead,
    # and some failures are expected (probing an alias, an analyzer). Its loggers are set on import.
    for name in ("pymilvus", "pymilvus.milvus_client", "pymilvus.bulk_writer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def connect(uri: str, token: str = "", timeout: float = 10.0) -> Any:
    """A MilvusClient, or one clear error: pymilvus missing, server unreachable, Lite file locked."""
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise IndexError_("Milvus 后端需要 pymilvus 和 milvus-lite：pip install 'jixiao[milvus]'") from exc
    _quiet_pymilvus()
    if "://" not in uri:
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
        # Milvus Lite serves gRPC inside this process and logs, with a traceback, every RPC it lacks
        # (AllocTimestamp, asked by pymilvus's query iterator, which then falls back) or refuses (an
        # analyzer probed at creation). The client gets each as an error that jixiao reports in one line.
        for name in ("grpc._server", "milvus_lite"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:  # jieba (Lite's Chinese analyzer) announces loading its dictionary on stderr, at its import
            import jieba

            jieba.setLogLevel(logging.WARNING)
        except ImportError:
            pass
    try:
        return MilvusClient(uri=uri, token=token, timeout=timeout)
    except Exception as exc:  # gRPC, connection and Lite start-up errors all mean the same to a user
        hint = "（是否有另一个 jixiao 正在使用这个 Milvus Lite 文件？）" if "://" not in uri else ""
        raise BackendUnavailable(f"无法连接 Milvus {uri}{hint}：{_one_line(exc)}") from exc


@dataclass
class _State:
    """What the alias points to, read once per open."""

    target: str | None = None  # the collection behind the alias (or a plain collection of that name)
    props: dict[str, str] | None = None
    dim: int | None = None
    problem: str | None = None  # "missing" | "format" | "model" | "foreign"
    message: str = ""


class MilvusBackend:
    def __init__(self, uri: str, embedder: Embedder, collection: str = "jixiao", token: str = "",
                 timeout: float = 10.0, keyword: str = "auto", index_type: str = "auto", shards: int = 0) -> None:
        self.uri, self.embedder, self.name = uri, embedder, collection
        self.token, self.timeout, self.keyword_setting, self.shards = token, timeout, keyword, shards
        self.lite = "://" not in uri
        # Milvus Lite searches FLAT exactly (the local faiss flat index's results); a server gets AUTOINDEX
        # (HNSW on Standalone/Distributed): approximate, as anything at a hundred million passages must be.
        self.index_type = index_type if index_type != "auto" else ("FLAT" if self.lite else "AUTOINDEX")
        self._manifest: Manifest | None = None
        self._client: Any = None
        self._state: _State | None = None
        self._local: tuple[str, KeywordIndex, list[str], list[str]] | None = None  # version, index, ids, docs

    # ---------------------------------------------------------------- connection and state

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = connect(self.uri, self.token, self.timeout)
        return self._client

    @property
    def manifest(self) -> Manifest | None:
        """The documents held (read from the server on first use), as the local store's manifest."""
        with self._errors():
            self._ensure()
        return self._manifest

    @manifest.setter
    def manifest(self, value: Manifest | None) -> None:
        self._state, self._manifest = None, value  # forget what was read: the next use reads it again

    @property
    def location(self) -> str:
        return f"{self.uri}（Milvus 集合 {self.name}）"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Server errors as one line naming the server; jixiao's own errors pass through."""
        try:
            yield
        except IndexError_:
            raise
        except Exception as exc:
            from pymilvus.exceptions import MilvusException

            if not isinstance(exc, MilvusException) and type(exc).__module__.split(".")[0] not in ("grpc", "pymilvus"):
                raise
            text = _one_line(exc)
            if re.search(r"unavailable|connect|deadline|timed? ?out", text, re.I):
                raise BackendUnavailable(f"无法连接 Milvus {self.uri}：{text}") from exc
            raise IndexError_(f"Milvus {self.uri}：{text}") from exc

    def _resolve(self) -> str | None:
        from pymilvus.exceptions import MilvusException

        try:
            return str(self.client.describe_alias(self.name)["collection_name"])
        except MilvusException:
            return self.name if self.client.has_collection(self.name) else None

    def _open(self) -> _State:
        """Read what the alias points to, check it against this jixiao's model, load the manifest."""
        c = self.client
        state = _State(target=self._resolve())
        self._manifest = None
        if state.target is None:
            state.problem, state.message = "missing", NO_INDEX
            self._state = state
            return state
        info = c.describe_collection(state.target)
        state.props = {str(k): str(v) for k, v in (info.get("properties") or {}).items()}
        dims = [int(f["params"]["dim"]) for f in info["fields"] if f["name"] == "vector" and "dim" in f.get("params", {})]
        state.dim = dims[0] if dims else None
        props, emb = state.props, self.embedder
        where = f"Milvus {self.uri} 的集合 {self.name}"
        if "jixiao.model" not in props:
            state.problem = "foreign"
            state.message = (f"{where} 不是 jixiao 建立的（没有记录嵌入模型"
                             f"{f'，向量为 {state.dim} 维' if state.dim else ''}）：请把 milvus_collection 设为另一个名字")
        elif state.dim != emb.dim:
            state.problem = "model"
            state.message = (f"{where} 存的是 {state.dim} 维向量，而嵌入模型 {emb.name} 生成 {emb.dim} 维："
                             "运行 'jixiao index --backend milvus --rebuild' 用这个模型重建，或把 milvus_collection 设为另一个名字")
        elif props.get("jixiao.model") != emb.name or props.get("jixiao.fingerprint") != emb.fingerprint:
            state.problem = "model"
            state.message = (f"{where} 是用嵌入模型 {props.get('jixiao.model')}（{props.get('jixiao.fingerprint')}）"
                             f"建立的，不是 {emb.name}（{emb.fingerprint}）：运行 'jixiao index --backend milvus --rebuild' "
                             "用这个模型重建，或把 milvus_collection 设为另一个名字")
        elif props.get("jixiao.format") != str(FORMAT_VERSION) or props.get("jixiao.passage_format") != str(PASSAGE_FORMAT):
            state.problem, state.message = "format", "索引格式已更新"
        else:
            self._manifest = self._read_manifest(state)
        self._state = state
        return state

    def _read_manifest(self, state: _State) -> Manifest:
        assert state.target and state.props is not None
        docs = {r["doc"]: DocEntry(content_hash=r["content_hash"], passages_hash=r["passages_hash"],
                                   passages=int(r["passages"]))
                for r in self._scan(f"{state.target}_docs", ["doc", "content_hash", "passages_hash", "passages"])}
        return Manifest(format_version=FORMAT_VERSION, passage_format=PASSAGE_FORMAT, model=self.embedder.describe(),
                        passage_count=sum(e.passages for e in docs.values()), documents=dict(sorted(docs.items())),
                        built_at=state.props.get("jixiao.built_at", ""))

    def _scan(self, collection: str, fields: list[str], expr: str = "", **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every row matching `expr`, in batches (a plain query stops at 16384 rows)."""
        it = self.client.query_iterator(collection, batch_size=1000, filter=expr, output_fields=fields, **kwargs)
        try:
            while batch := it.next():
                yield from batch
        finally:
            it.close()

    def _ensure(self) -> _State:
        if self._state is None:
            self._open()
        assert self._state is not None
        return self._state

    # ---------------------------------------------------------------- status

    def stale_reason(self) -> str | None:
        """Why the whole collection must be rebuilt, or None. A collection built with another model is an
        error rather than a reason: on a shared server jixiao does not replace it unless told (--rebuild)."""
        with self._errors():
            state = self._open()
        if state.problem in ("model", "foreign"):
            raise IndexModelMismatch(state.message)
        return state.message if state.problem else None

    def changed_documents(self, documents: Iterable[Document]) -> list[str]:
        with self._errors():
            self._ensure()
        return changed_documents(self._manifest.documents if self._manifest else {}, documents)

    @property
    def passage_count(self) -> int:
        with self._errors():
            self._ensure()
        return self._manifest.passage_count if self._manifest else 0

    @property
    def keyword_mode(self) -> str:
        """'local' or the analyzer (JSON) of the collection's BM25 function."""
        props = self._ensure().props or {}
        return props.get("jixiao.keyword", LOCAL_KEYWORD)

    # ---------------------------------------------------------------- collections

    def _schema(self, analyzer: dict[str, Any] | None, dim: int) -> Any:
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        s = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=1024)
        s.add_field("doc", DataType.VARCHAR, max_length=1024)
        s.add_field("doc_hash", DataType.VARCHAR, max_length=128)
        s.add_field("hash", DataType.VARCHAR, max_length=128)
        for name in ("title", "context", "section", "text", "quote", "record_id", "header"):
            s.add_field(name, DataType.VARCHAR, max_length=TEXT_MAX)
        s.add_field("page", DataType.INT64, nullable=True)
        s.add_field("kind", DataType.VARCHAR, max_length=32)
        if analyzer is not None:
            s.add_field("keyword_text", DataType.VARCHAR, max_length=TEXT_MAX, enable_analyzer=True,
                        analyzer_params=analyzer)
            s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            s.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                    input_field_names=["keyword_text"], output_field_names=["sparse"]))
        s.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        return s

    def _create(self, target: str) -> str:
        """Create the passages and documents collections; BM25 in the engine if it can, else local BM25."""
        from pymilvus import DataType, MilvusClient
        from pymilvus.exceptions import MilvusException

        c, emb = self.client, self.embedder
        options: list[dict[str, Any] | None] = [] if self.keyword_setting == "local" else list(ANALYZERS)
        if self.keyword_setting != "engine":
            options.append(None)  # Milvus Lite without jieba, or a server before 2.5: no BM25 function
        failures: list[str] = []
        for analyzer in options:
            index = c.prepare_index_params()
            index.add_index(field_name="vector", index_type=self.index_type, metric_type="IP")
            if analyzer is not None:
                index.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
            now = time.strftime("%Y-%m-%dT%H:%M:%S")
            props = {"jixiao.format": str(FORMAT_VERSION), "jixiao.passage_format": str(PASSAGE_FORMAT),
                     "jixiao.model": emb.name, "jixiao.fingerprint": emb.fingerprint, "jixiao.dim": str(emb.dim),
                     "jixiao.keyword": json.dumps(analyzer) if analyzer else LOCAL_KEYWORD,
                     "jixiao.built_at": now, "jixiao.version": str(time.time_ns())}
            extra = {"num_shards": self.shards} if self.shards else {}  # else the server's default
            try:
                c.create_collection(target, schema=self._schema(analyzer, emb.dim), index_params=index,
                                    properties=props, **extra)
                break
            except MilvusException as exc:  # this engine lacks that analyzer or the BM25 function
                failures.append(f"{json.dumps(analyzer) if analyzer else 'no BM25'}: {_one_line(exc)}")
                if c.has_collection(target):
                    c.drop_collection(target)
        else:
            raise IndexError_(f"Milvus {self.uri} 无法建立集合 {target}（{'；'.join(failures)}）")
        # Milvus needs a vector field in every collection; the documents' one is unused (two zeros).
        docs = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        docs.add_field("doc", DataType.VARCHAR, is_primary=True, max_length=1024)
        docs.add_field("content_hash", DataType.VARCHAR, max_length=128)
        docs.add_field("passages_hash", DataType.VARCHAR, max_length=128)
        docs.add_field("passages", DataType.INT64)
        docs.add_field("vector", DataType.FLOAT_VECTOR, dim=2)
        index = c.prepare_index_params()
        index.add_index(field_name="vector", index_type="FLAT", metric_type="L2")
        # Strong: whoever reads the manifest sees every document written before (passages stay Bounded,
        # so that searches on a server do not wait; update() reads them with Strong where it must).
        c.create_collection(f"{target}_docs", schema=docs, index_params=index, consistency_level="Strong")
        return target

    def _has_keyword_field(self, target: str) -> bool:
        return any(f["name"] == "keyword_text" for f in self.client.describe_collection(target)["fields"])

    def _drop_pair(self, target: str) -> None:
        for name in (target, f"{target}_docs"):
            if self.client.has_collection(name):
                self.client.drop_collection(name)

    def _swap(self, new: str, old: str | None) -> None:
        """Point the alias at `new`, then drop the collections it pointed to."""
        c = self.client
        if old is None:
            c.create_alias(new, self.name)
        elif old == self.name:  # a plain collection under the alias's name (made by jixiao: checked)
            self._drop_pair(old)
            c.create_alias(new, self.name)
        else:
            c.alter_alias(new, self.name)
            self._drop_pair(old)

    def _drop_orphans(self, keep: str | None) -> None:
        """Collections left by an interrupted rebuild (one writer at a time: see docs/scale.md)."""
        pattern = re.compile(re.escape(self.name) + _VERSIONED + "(_docs)?")
        for name in self.client.list_collections():
            if pattern.fullmatch(name) and name not in (keep, f"{keep}_docs"):
                self.client.drop_collection(name)

    def provisional(self, documents: Iterable[Document]) -> list[str]:
        """The local store serves reports still being embedded by keyword; a collection serves only what it
        holds, so nothing is provisional here (the update below makes new reports searchable)."""
        return []

    # ---------------------------------------------------------------- update

    def update(self, documents: list[Document] | Callable[[], list[Document]], rebuild: bool = False,
               progress: ProgressFn | None = None, on_wait: Callable[[], None] | None = None,
               keep_others: bool = False) -> UpdateReport:
        """As the local store's update. `keep_others`: documents the collection holds but this call was not
        given stay (several workers, each indexing a part of a corpus into one collection). `on_wait` is
        unused: the server orders concurrent writes (one rebuild at a time, docs/scale.md)."""
        if callable(documents):
            documents = documents()
        start = time.perf_counter()
        report = UpdateReport()
        with self._errors():
            state = self._open()
            if state.problem == "foreign" or (state.problem == "model" and not rebuild):
                raise IndexModelMismatch(state.message)
            if keep_others and (rebuild or state.problem in ("model", "format")):
                raise IndexError_(f"集合需要用整个语料重建（{REBUILD if rebuild else state.message}）："
                                  "请不带 --keep-others 运行一次 'jixiao index --backend milvus --rebuild'")
            full = rebuild or state.problem is not None
            report.rebuilt_reason = REBUILD if rebuild else (state.message if state.problem else None)
            old = state.target
            if state.problem == "missing":
                # A first build fills the aliased collection directly: interrupted, it resumes where it stopped.
                self._drop_orphans(keep=None)
                target = self._create(f"{self.name}_v{time.time_ns() // 1_000_000}")
                self._swap(target, None)
                old = target
            elif full:
                self._drop_orphans(keep=old)
                target = self._create(f"{self.name}_v{time.time_ns() // 1_000_000}")
            else:
                assert old is not None
                target = old
            fresh = full
            known = {} if full or self._manifest is None else self._manifest.documents
            self._ingest(target, documents, known, fresh, report, progress, keep_others)
            if target != old:
                self._swap(target, old)
            if report.added or report.changed or report.removed or full:
                self.client.alter_collection_properties(target, {"jixiao.built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                                                                 "jixiao.version": str(time.time_ns())})
            self._open()
        report.seconds = time.perf_counter() - start
        return report

    def _ingest(self, target: str, documents: list[Document], known: dict[str, DocEntry], fresh: bool,
                report: UpdateReport, progress: ProgressFn | None, keep_others: bool = False) -> None:
        c = self.client
        keyword = self._has_keyword_field(target)
        plans: list[tuple[Document, list[Passage], DocEntry, dict[str, str]]] = []
        ids = {d.id for d in documents}
        for doc in documents:
            entry = known.get(doc.id)
            passages = build_passages(doc)
            digest = passages_hash(passages)
            if entry is not None and entry.content_hash == doc.content_hash and entry.passages_hash == digest:
                report.unchanged.append(doc.id)
                continue
            (report.changed if entry is not None else report.added).append(doc.id)
            # Rows already stored for this document (changed, or left by an interrupted update): passages
            # whose text did not change keep their vectors.
            stored = {} if fresh else {r["id"]: r["hash"] for r in self._scan(
                target, ["id", "hash"], f"doc == {_quote(doc.id)}", consistency_level="Strong")}
            plans.append((doc, passages, DocEntry(content_hash=doc.content_hash, passages_hash=digest,
                                                  passages=len(passages)), stored))
        report.removed = [] if keep_others else [doc for doc in known if doc not in ids]

        total = sum(1 for _d, ps, _e, stored in plans for p in ps if stored.get(p.id) != p.hash)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("embedding", done, total)

        if progress:
            progress("embedding", 0, total)
        for doc, passages, entry, stored in plans:
            todo = [p for p in passages if stored.get(p.id) != p.hash]
            vectors = dict(zip([p.id for p in todo],
                               self.embedder.encode_passages([p.embed_text() for p in todo], progress=step),
                               strict=True))
            report.embedded += len(todo)
            reuse = [p.id for p in passages if p.id not in vectors]
            for i in range(0, len(reuse), BATCH):
                for r in c.query(target, filter=f"id in [{', '.join(_quote(x) for x in reuse[i:i + BATCH])}]",
                                 output_fields=["id", "vector"], consistency_level="Strong"):
                    vectors[r["id"]] = np.asarray(r["vector"], dtype=np.float32)
            rows = [self._row(p, doc.content_hash, vectors[p.id], keyword) for p in passages]
            for i in range(0, len(rows), BATCH):
                c.upsert(target, rows[i:i + BATCH])
            keep = {p.id for p in passages}
            stale = [x for x in stored if x not in keep]
            for i in range(0, len(stale), BATCH):
                c.delete(target, filter=f"id in [{', '.join(_quote(x) for x in stale[i:i + BATCH])}]")
            # last: the document's entry marks its passages complete
            c.upsert(f"{target}_docs", [{"doc": doc.id, "content_hash": entry.content_hash,
                                         "passages_hash": entry.passages_hash, "passages": entry.passages,
                                         "vector": [0.0, 0.0]}])
        for doc in report.removed:
            c.delete(target, filter=f"doc == {_quote(doc)}")
            c.delete(f"{target}_docs", ids=[doc])

    @staticmethod
    def _row(p: Passage, doc_hash: str, vector: np.ndarray, keyword: bool) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": p.id, "doc": p.doc, "doc_hash": doc_hash, "hash": p.hash, "title": p.title, "context": p.context,
            "section": p.section, "page": p.page, "kind": p.kind, "text": p.text,
            "quote": "" if p.quote == p.text else p.quote,  # most quotes are the text itself: stored once
            "record_id": p.record_id or "", "header": p.header, "vector": np.asarray(vector, dtype=np.float32).tolist(),
        }
        if keyword:  # what Milvus's BM25 reads: normalised as the local keyword index does (traditional → simplified)
            row["keyword_text"] = normalize(p.embed_text())
        return row

    # ---------------------------------------------------------------- search

    def _ready(self) -> _State:
        state = self._ensure()
        if state.problem in ("model", "foreign"):
            raise IndexModelMismatch(state.message)
        if state.problem:
            raise IndexError_(f"索引不可用（{state.message}）：请先运行 'jixiao index --backend milvus'")
        return state

    def _engine(self) -> bool:
        """Keyword search in Milvus (its BM25 function), unless the collection has none or the setting says local."""
        return self.keyword_mode != LOCAL_KEYWORD and self.keyword_setting != "local"

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid", docs: set[str] | None = None) -> list[SearchHit]:
        with self._errors():
            self._ready()
            if not query.strip():
                return []
            expr = f"doc in [{', '.join(_quote(d) for d in sorted(docs))}]" if docs is not None else ""
            depth = max(CANDIDATES, k * 4)
            if mode == "dense":
                return [self._hit(r, r["distance"]) for r in self._dense(query, k, expr, HIT_FIELDS)]
            if self._engine():
                if mode == "keyword":
                    return [self._hit(r, abs(r["distance"])) for r in self._bm25(query, k, expr)]
                return self._hybrid(query, k, depth, expr)
            # local BM25: jixiao's bigram index over the collection's passages, fused here
            ranked = self._local_keyword(query, k if mode == "keyword" else depth, docs)
            if mode == "hybrid":
                fused: dict[str, float] = {}
                dense = [r["id"] for r in self._dense(query, depth, expr, [])]
                for ranks in (dense, [pid for pid, _s in ranked]):
                    for rank, pid in enumerate(ranks):
                        fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + rank + 1)
                ranked = sorted(fused.items(), key=lambda x: -x[1])
            top = ranked[:k]
            rows = {r["id"]: r for r in self.client.get(self.name, ids=[pid for pid, _s in top],
                                                        output_fields=["id", *HIT_FIELDS])} if top else {}
            return [self._hit(rows[pid], score) for pid, score in top if pid in rows]

    def _dense(self, query: str, limit: int, expr: str, fields: list[str]) -> list[dict[str, Any]]:
        vec = self.embedder.encode_queries([normalize(query)])[0]
        res = self.client.search(self.name, data=[vec.tolist()], anns_field="vector", limit=limit, filter=expr,
                                 output_fields=fields, search_params={"metric_type": "IP"})
        return [{**r.get("entity", {}), "id": r["id"], "distance": r["distance"]} for r in res[0]]

    def _bm25(self, query: str, limit: int, expr: str) -> list[dict[str, Any]]:
        res = self.client.search(self.name, data=[expand(query)], anns_field="sparse", limit=limit, filter=expr,
                                 output_fields=HIT_FIELDS, search_params={"metric_type": "BM25"})
        return [{**r.get("entity", {}), "id": r["id"], "distance": r["distance"]} for r in res[0]]

    def _hybrid(self, query: str, k: int, depth: int, expr: str) -> list[SearchHit]:
        from pymilvus import AnnSearchRequest, RRFRanker

        vec = self.embedder.encode_queries([normalize(query)])[0]
        requests = [
            AnnSearchRequest(data=[vec.tolist()], anns_field="vector", param={"metric_type": "IP"}, limit=depth,
                             expr=expr or None),
            AnnSearchRequest(data=[expand(query)], anns_field="sparse", param={"metric_type": "BM25"}, limit=depth,
                             expr=expr or None),
        ]
        res = self.client.hybrid_search(self.name, requests, RRFRanker(RRF_K), limit=k, output_fields=HIT_FIELDS)
        return [self._hit({**r.get("entity", {}), "id": r["id"]}, r["distance"]) for r in res[0]]

    @staticmethod
    def _hit(row: dict[str, Any], score: float) -> SearchHit:
        return SearchHit(doc=row["doc"], title=row["title"], section=row["section"], page=row.get("page"),
                         text=row["text"], quote=row["quote"] or row["text"], kind=row["kind"], score=round(float(score), 6),
                         passage_id=row["id"], record_id=row.get("record_id") or None, header=row.get("header", ""))

    # ---------------------------------------------------------------- local keyword index

    def _local_index(self) -> tuple[KeywordIndex, list[str], list[str]]:
        """jixiao's bigram BM25 over every passage of the collection, rebuilt when the collection changes
        (its version property). Needs every passage's text here: fine to about a million passages."""
        props = self._ready().props or {}
        try:  # another process may have updated the collection since this one opened it
            current = self.client.describe_collection(self.name).get("properties") or {}
        except Exception:
            current = props
        version = str(current.get("jixiao.version", ""))
        if self._local is None or self._local[0] != version:
            if version != props.get("jixiao.version"):
                self._open()
            rows = sorted(self._scan(self.name, ["id", "doc", "context", "section", "header", "text"]),
                          key=lambda r: r["id"])
            index = KeywordIndex([embed_text(r["context"], r["section"], r["header"], r["text"]) for r in rows])
            self._local = (version, index, [r["id"] for r in rows], [r["doc"] for r in rows])
        return self._local[1], self._local[2], self._local[3]

    def _local_keyword(self, query: str, depth: int, docs: set[str] | None) -> list[tuple[str, float]]:
        index, ids, owners = self._local_index()
        ranked = index.search(expand(query), len(ids) if docs is not None else depth)
        return [(ids[row], score) for row, score in ranked if docs is None or owners[row] in docs][:depth]

    @property
    def keyword(self) -> KeywordIndex:
        """The bigram index the answerers weigh question words with (IDF)."""
        with self._errors():
            return self._local_index()[0]
