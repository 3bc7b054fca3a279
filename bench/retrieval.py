"""Retrieval benchmark: Recall@1/5/10 and MRR for keyword, dense and hybrid on the development
question set, query latency p50/p95, full build and one-document re-index time; optionally a
synthetic 100k-passage corpus (query p50 and memory).

    python bench/retrieval.py [--rebuild] [--synthetic 100000]

A question counts as found at rank r when the r-th passage comes from one of its documents and
contains its evidence sentence (whitespace-insensitive).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.api import Session  # noqa: E402
from assistant.config import load_settings  # noqa: E402
from assistant.ingest.patterns import squash  # noqa: E402
from bench.common import bench_home, percentile, print_table, questions  # noqa: E402

MODES = ("keyword", "dense", "hybrid")


def rank_of(hits, q) -> int | None:
    evidence = [squash(e) for e in [q["evidence"], *q.get("evidence_alt", [])]]
    for i, h in enumerate(hits, 1):
        if h.doc[:3] in q["docs"] and any(ev in squash(h.text) or ev in squash(h.quote) for ev in evidence):
            return i
    return None


def evaluate(session: Session) -> None:
    qs = [q for q in questions() if q.get("answerable", True)]
    rows = []
    latencies: dict[str, list[float]] = {}
    misses: dict[str, list[int]] = {}
    for mode in MODES:
        ranks, times = [], []
        session.search("预热", k=1, mode=mode)  # warm: model loaded, keyword matrix built
        for q in qs:
            t = time.perf_counter()
            hits = session.search(q["q"], k=10, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
            ranks.append(rank_of(hits, q))
        n = len(qs)
        r = {k: sum(1 for x in ranks if x and x <= k) / n for k in (1, 5, 10)}
        mrr = sum(1 / x for x in ranks if x) / n
        rows.append([mode, r[1], r[5], r[10], mrr, percentile(times, 50), percentile(times, 95)])
        latencies[mode] = times
        misses[mode] = [q["id"] for q, x in zip(qs, ranks, strict=True) if not x or x > 5]
    print(f"\n{len(qs)} answerable questions ({sum(1 for q in questions() if not q.get('answerable', True))} "
          "unanswerable ones are for the answer benchmark)\n")
    print_table(["mode", "R@1", "R@5", "R@10", "MRR", "p50 ms", "p95 ms"], rows)
    for mode in MODES:
        print(f"missed at 5 ({mode}): {misses[mode]}")


def build_times(session: Session, rebuild: bool) -> None:
    rows = []
    if rebuild:
        t = time.perf_counter()
        report = session.build_index(rebuild=True)
        rows.append(["full build", f"{time.perf_counter() - t:.1f}", report.embedded])
    else:
        report = session.build_index()
        rows.append(["update (nothing changed)", f"{report.seconds:.1f}", report.embedded])
    # Re-index one changed document: a copy of 004 with one paragraph added, in a scratch corpus.
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        src = session.document("004").path
        target = corpus / "005_changed_copy.txt"
        target.write_text(Path(src).read_text("utf-8"), "utf-8")
        home = Path(tmp) / "home"
        shutil.copytree(session.settings.index_dir, home / "index")
        s2 = Session(load_settings(home=home, corpus_paths=[corpus]))
        s2.build_index()  # embeds the copy once (it is a new document)
        target.write_text(target.read_text("utf-8") + "\n补充说明：本段为基准测试新增内容。\n", "utf-8")
        s3 = Session(load_settings(home=home, corpus_paths=[corpus]))
        t = time.perf_counter()
        rep = s3.build_index()
        rows.append(["re-index one changed document", f"{time.perf_counter() - t:.1f}", rep.embedded])
    print()
    print_table(["operation", "seconds", "passages embedded"], rows)


def synthetic(n: int, session: Session) -> None:
    """n passages: real passage texts repeated with perturbed numbers for BM25, random unit vectors for
    faiss (embedding 100k real passages would take hours on two cores; search cost does not depend on
    where the vectors came from)."""
    import faiss

    from index.keyword import KeywordIndex

    base = [p.embed_text() for p in session.search_index.passages]
    rng = np.random.default_rng(0)
    texts = [f"{base[i % len(base)]} 编号{i} 金额{rng.integers(1, 99999)}.{rng.integers(0, 99):02d}万元" for i in range(n)]
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    kw = KeywordIndex(texts)
    kw_build = time.perf_counter() - t
    vecs = rng.standard_normal((n, session.embedder.dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(vecs.shape[1]))
    index.add_with_ids(vecs, np.arange(n, dtype=np.int64))
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    qs = [q["q"] for q in questions()]
    kw_t, dn_t = [], []
    for q in qs:
        t = time.perf_counter()
        kw.search(q, 50)
        kw_t.append((time.perf_counter() - t) * 1000)
        qv = session.embedder.encode_queries([q])
        t = time.perf_counter()
        index.search(qv, 50)
        dn_t.append((time.perf_counter() - t) * 1000)
    qtimes = []
    for q in qs:  # end to end: embed the query, both searches, fusion
        t = time.perf_counter()
        qv = session.embedder.encode_queries([q])
        index.search(qv, 50)
        kw.search(q, 50)
        qtimes.append((time.perf_counter() - t) * 1000)
    print(f"\nsynthetic corpus: {n} passages (BM25 built in {kw_build:.1f}s; "
          f"peak RSS grew by {(rss1 - rss0) / 1024:.0f} MiB, now {rss1 / 1024:.0f} MiB)\n")
    print_table(["part", "p50 ms", "p95 ms"], [
        ["keyword (BM25)", percentile(kw_t, 50), percentile(kw_t, 95)],
        ["dense (faiss flat IP)", percentile(dn_t, 50), percentile(dn_t, 95)],
        ["hybrid end to end (embed + both + fuse)", percentile(qtimes, 50), percentile(qtimes, 95)],
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rebuild", action="store_true", help="time a full build of the bundled corpus")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N", help="also run on N synthetic passages")
    args = ap.parse_args()
    home = bench_home()
    print(f"benchmark home: {home}")
    session = Session(load_settings(home=home))
    build_times(session, args.rebuild)
    evaluate(session)
    if args.synthetic:
        synthetic(args.synthetic, session)


if __name__ == "__main__":
    main()
