"""Scale benchmark: synthetic corpora of 100k and 1M passages in the three engines jixiao can use.

- local faiss flat (`IndexFlatIP`, as the local store) with the in-memory bigram BM25 of `index.keyword`;
- faiss IVF-PQ, the local option for one large machine (dense only: its recall@10 against flat is shown);
- Milvus Lite through `index.milvus.MilvusBackend` (FLAT vectors, BM25 with jieba in the engine).

    python bench/scale.py [--sizes 100000 1000000] [--engines flat ivfpq milvus] [--queries 100]
                          [--milvus-budget 2400]

Passages are the bundled corpus's passages with every number replaced by a random one and a report
number in the header (so keyword statistics grow like a real corpus's); vectors are random unit
vectors (embedding a million passages takes weeks on two cores, and search cost does not depend on
where vectors come from). Queries are the development questions, with vectors near a random stored
passage's, so that recall of approximate indexes means something. Each (engine, size) runs in its own
process, so its peak memory is its own; memory is peak RSS above the process after the data was made.
Milvus Lite is pure Python: when its ingest passes --milvus-budget seconds it stops, and queries and
rates are measured on what it holds (the table says how many).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile, print_table, questions  # noqa: E402

DIM = 384  # multilingual-e5-small
DOC_SIZE = 200  # passages per synthetic report
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def base_passages() -> list[Any]:
    from assistant.config import Settings
    from assistant.corpus import Corpus
    from index.passages import build_passages

    corpus = Corpus.load(Settings(home=Path(tempfile.gettempdir()) / "jixiao-scale-home"))
    return [p for d in corpus for p in build_passages(d)]


def passage(i: int, base: list[Any], rng: np.random.Generator) -> Any:
    """Synthetic passage i: a real one with its numbers replaced and a report number of its own."""
    src = base[i % len(base)]
    doc = f"syn{i // DOC_SIZE:06d}.txt"
    text = _NUMBER.sub(lambda m: f"{rng.integers(1, 99999)}.{rng.integers(0, 99):02d}" if "." in m.group(0)
                       else str(rng.integers(1, 9999)), src.text)
    return src.model_copy(update={"id": f"{doc}#{i}", "doc": doc, "text": text, "quote": text,
                                  "context": f"{src.context} 第{i // DOC_SIZE}号报告", "hash": f"{i:016x}"})


def unit_vectors(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), np.float32)
    for s in range(0, n, 100_000):
        block = rng.standard_normal((min(100_000, n - s), DIM)).astype(np.float32)
        out[s:s + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def query_set(vectors: np.ndarray, count: int, held: int | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Question texts, and vectors each near one stored passage (cosine ≈ 0.86; random others ≈ 0 ± 0.05)."""
    rng = np.random.default_rng(7)
    texts = [q["q"] for q in questions()]
    picks = rng.integers(0, held or len(vectors), count)
    noisy = vectors[picks] + rng.standard_normal((count, DIM)).astype(np.float32) * (0.6 / np.sqrt(DIM))
    return [texts[i % len(texts)] for i in range(count)], noisy / np.linalg.norm(noisy, axis=1, keepdims=True), picks


def quality(found: list[set[int]], vectors: np.ndarray, qv: np.ndarray, picks: np.ndarray) -> dict[str, float]:
    """recall@10 against exact search, and how often the passage each query was made near is in the top 10
    (with random vectors the other nine exact neighbours are noise, so the second number is the telling one)."""
    truth = exact_top10(vectors, qv)
    return {"recall": float(np.mean([len(f & t) / 10 for f, t in zip(found, truth, strict=True)])),
            "planted": float(np.mean([int(p) in f for f, p in zip(found, picks, strict=True)]))}


def exact_top10(vectors: np.ndarray, qv: np.ndarray) -> list[set[int]]:
    import faiss

    flat = faiss.IndexFlatIP(DIM)
    flat.add(vectors)
    return [set(map(int, row)) for row in flat.search(qv, 10)[1]]


def timed(fn, items) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


# ------------------------------------------------------------------ one engine, one size (child process)


def run_flat(n: int, nq: int) -> dict[str, Any]:
    import faiss

    from index.keyword import KeywordIndex
    from index.lexicon import expand

    vectors = unit_vectors(n, 1)
    qt, qv, picks = query_set(vectors, nq)
    rng = np.random.default_rng(3)
    base = base_passages()
    texts = [passage(i, base, rng).embed_text() for i in range(n)] if n <= 200_000 else []
    rss0, peak0 = rss_mib(), peak_mib()
    t = time.perf_counter()
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    index.add_with_ids(vectors, np.arange(n, dtype=np.int64))
    dense_s = time.perf_counter() - t
    result: dict[str, Any] = {"held": n, "ingest_s": dense_s, "dense_ms": timed(lambda q: index.search(q[None], 10), qv)}
    result.update(quality([set(map(int, index.search(q[None], 10)[1][0])) for q in qv], vectors, qv, picks))
    result["bytes_per_passage"] = faiss.serialize_index(index).size / n
    if texts:  # the in-memory bigram BM25 builds Python lists of every posting: beyond 200k, not on 24 GiB
        t = time.perf_counter()
        kw = KeywordIndex(texts)
        result["ingest_s"] += time.perf_counter() - t
        result["keyword_build_s"] = time.perf_counter() - t

        def hybrid(i: int) -> None:  # as SearchIndex.search: top 50 of each, reciprocal rank fusion
            fused: dict[int, float] = {}
            dense = index.search(qv[i][None], 50)[1][0]
            for ranks in (list(dense), [r for r, _s in kw.search(expand(qt[i]), 50)]):
                for rank, row in enumerate(ranks):
                    fused[int(row)] = fused.get(int(row), 0.0) + 1.0 / (61 + rank)
            sorted(fused.items(), key=lambda x: -x[1])[:5]

        result["hybrid_ms"] = timed(hybrid, range(nq))
        result["bytes_per_passage"] += (kw.data.nbytes + kw.indices.nbytes + kw.indptr.nbytes) / n
    result["mem_mib"] = max(peak_mib() - peak0, rss_mib() - rss0)
    return result


def run_ivfpq(n: int, nq: int) -> dict[str, Any]:
    import faiss

    vectors = unit_vectors(n, 1)
    _qt, qv, picks = query_set(vectors, nq)
    rss0, peak0 = rss_mib(), peak_mib()
    nlist = int(np.sqrt(n))
    t = time.perf_counter()
    index = faiss.index_factory(DIM, f"IVF{nlist},PQ48", faiss.METRIC_INNER_PRODUCT)  # 48 bytes per vector
    # training is the slow part: 40 points per list (and at least 256 per PQ centroid set) is what faiss asks for
    index.train(vectors[np.random.default_rng(5).choice(n, min(n, max(40 * nlist, 10_000)), replace=False)])
    index.add(vectors)
    ingest = time.perf_counter() - t
    faiss.extract_index_ivf(index).nprobe = 16
    found = [set(map(int, index.search(q[None], 10)[1][0])) for q in qv]
    return {"held": n, "ingest_s": ingest, "dense_ms": timed(lambda q: index.search(q[None], 10), qv),
            **quality(found, vectors, qv, picks), "mem_mib": max(peak_mib() - peak0, rss_mib() - rss0),
            "bytes_per_passage": faiss.serialize_index(index).size / n, "note": f"nlist {nlist}, PQ48, nprobe 16"}


class QueryVectors:
    """Stands in for the model in MilvusBackend: a query text's vector is the one the bench chose."""

    name, fingerprint, dim = "bench-random", "0" * 16, DIM

    def __init__(self) -> None:
        self.next: np.ndarray | None = None

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        assert self.next is not None
        return self.next[None]

    def encode_passages(self, texts: list[str], progress: Any = None) -> np.ndarray:
        raise AssertionError("the bench inserts its own vectors")

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "fingerprint": self.fingerprint, "dim": self.dim}


def run_milvus(n: int, nq: int, budget: float) -> dict[str, Any]:
    from index.milvus import MilvusBackend

    vectors = unit_vectors(n, 1)
    rng = np.random.default_rng(3)
    base = base_passages()
    folder = Path(tempfile.mkdtemp(prefix="jixiao-scale-"))
    emb = QueryVectors()
    backend = MilvusBackend(str(folder / "scale.db"), emb, collection="scale")  # type: ignore[arg-type]
    rss0, peak0 = rss_mib(), peak_mib()
    target = backend._create("scale_v1")
    backend.client.create_alias(target, "scale")
    keyword = backend._has_keyword_field(target)
    held, spent, batch, row_bytes = 0, 0.0, 1000, 0
    while held < n and spent < budget:
        made = [passage(i, base, rng) for i in range(held, min(n, held + batch))]
        t = time.perf_counter()  # rows as jixiao writes them (normalised keyword text), then the insert
        rows = [MilvusBackend._row(p, "bench", vectors[held + j], keyword) for j, p in enumerate(made)]
        backend.client.insert(target, rows)
        spent += time.perf_counter() - t
        row_bytes += sum(len(str(v).encode()) for r in rows for k, v in r.items() if k != "vector")
        held += len(rows)
    t = time.perf_counter()
    backend.client.flush(target)  # segments written and indexed: part of ingest
    backend.client.load_collection(target)
    spent += time.perf_counter() - t
    qt, qv, picks = query_set(vectors, nq, held)  # near passages it holds (all, unless the budget ran out)

    def search(i: int, mode: str) -> list[Any]:
        emb.next = qv[i]
        return backend.search(qt[i], k=10 if mode == "dense" else 5, mode=mode)  # type: ignore[arg-type]

    found = [{int(h.passage_id.rsplit("#", 1)[1]) for h in search(i, "dense")} for i in range(nq)]
    result = {"held": held, "ingest_s": spent, "dense_ms": timed(lambda i: search(i, "dense"), range(nq)),
              "hybrid_ms": timed(lambda i: search(i, "hybrid"), range(nq)), **quality(found, vectors[:held], qv, picks),
              "mem_mib": max(peak_mib() - peak0, rss_mib() - rss0),
              "bytes_per_passage": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / held,
              "keyword": backend.keyword_mode, "scalar_bytes": row_bytes / held}
    shutil.rmtree(folder, ignore_errors=True)
    return result


# ------------------------------------------------------------------ driver


def child(engine: str, n: int, nq: int, budget: float) -> dict[str, Any]:
    args = [sys.executable, __file__, "--one", engine, str(n), "--queries", str(nq), "--milvus-budget", str(budget)]
    proc = subprocess.run(args, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        return {"error": (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1][:120]}
    return json.loads(lines[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--engines", nargs="+", default=["flat", "ivfpq", "milvus"], choices=["flat", "ivfpq", "milvus"])
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--milvus-budget", type=float, default=2400.0, help="seconds of Milvus Lite ingest per size")
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        import faiss

        # One thread: on a shared 2-core machine OpenMP's waits between threads time the scheduler, not
        # the search (a 3,000-vector flat search took 20 ms with two threads, well under 1 ms with one).
        faiss.omp_set_num_threads(1)
        engine, n = args.one[0], int(args.one[1])
        runner = {"flat": run_flat, "ivfpq": run_ivfpq}.get(engine)
        result = runner(n, args.queries) if runner else run_milvus(n, args.queries, args.milvus_budget)
        print(json.dumps(result))
        return
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
          f"{args.queries} queries per engine; vectors {DIM}-d float32; faiss on one thread")
    names = {"flat": "local faiss flat + bigram BM25", "ivfpq": "faiss IVF-PQ", "milvus": "Milvus Lite (FLAT, BM25 jieba)"}
    rows: list[list[Any]] = []
    notes: list[str] = []
    for n in args.sizes:
        for engine in args.engines:
            t = time.perf_counter()
            r = child(engine, n, args.queries, args.milvus_budget)
            print(f"  {engine} {n}: {time.perf_counter() - t:.0f}s", file=sys.stderr, flush=True)
            if "error" in r:
                rows.append([names[engine], n, "—", "—", "—", "—", "—", "—", "—", "—", "—", r["error"]])
                continue
            hybrid = r.get("hybrid_ms") or []
            rows.append([names[engine], n, r["held"], f"{r['held'] / r['ingest_s']:.0f}", percentile(r["dense_ms"], 50),
                         percentile(r["dense_ms"], 95), percentile(hybrid, 50) if hybrid else "—",
                         percentile(hybrid, 95) if hybrid else "—", f"{r['recall']:.3f}", f"{r['planted']:.2f}",
                         f"{r['mem_mib']:.0f}", f"{r['bytes_per_passage']:.0f}"])
            notes += [f"{names[engine]} {n}: {k} = {r[k]}" for k in ("note", "keyword", "keyword_build_s", "scalar_bytes")
                      if k in r]
    print()
    print_table(["engine", "passages", "held", "ingest /s", "dense p50 ms", "dense p95 ms", "hybrid p50 ms",
                 "hybrid p95 ms", "recall@10", "planted@10", "memory MiB", "bytes/passage"], rows)
    print("\n".join(["", *notes, f"load average at the end: {os.getloadavg()[0]:.1f}"]))


if __name__ == "__main__":
    main()
