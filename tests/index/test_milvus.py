"""The Milvus backend's bookkeeping on Milvus Lite (started by the tests in a temporary folder): updates,
deletes, rebuilds, refusals and errors. With the fake embedder: these tests are not about the model
(retrieval quality with the real model is in test_milvus_quality.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")

import index.milvus as milvus_module  # noqa: E402
from assistant.corpus import Corpus  # noqa: E402
from assistant.errors import BackendUnavailable, IndexError_, IndexModelMismatch  # noqa: E402
from assistant.ingest import parse_document  # noqa: E402
from index.milvus import LOCAL_KEYWORD, MilvusBackend, connect  # noqa: E402
from index.store import NO_INDEX  # noqa: E402
from tests.index.fakes import FakeEmbedder  # noqa: E402


@pytest.fixture
def docs(corpus: Corpus):
    return [corpus.get("002"), corpus.get("004")]


@pytest.fixture
def uri(tmp_path: Path) -> str:
    return str(tmp_path / "milvus" / "jixiao.db")


def changed_copy(doc, extra: str):  # type: ignore[no-untyped-def]
    text = Path(doc.path).read_text("utf-8") + f"\n{extra}\n"
    return parse_document(doc.id, text, "changed-hash", doc.path)


def test_round_trip_with_manifest_in_the_collection(uri: str, docs) -> None:
    idx = MilvusBackend(uri, FakeEmbedder())
    assert idx.stale_reason() == NO_INDEX
    report = idx.update(docs)
    assert sorted(report.added) == sorted(d.id for d in docs) and report.rebuilt_reason == NO_INDEX
    # Milvus Lite has no 'chinese' analyzer type: detected, and its jieba tokenizer is used instead
    assert idx.keyword_mode == '{"tokenizer": "jieba"}'
    before = [h.passage_id for h in idx.search("编外人员控制率", k=5)]
    reopened = MilvusBackend(uri, FakeEmbedder())
    assert reopened.stale_reason() is None and reopened.changed_documents(docs) == []
    assert reopened.manifest is not None and set(reopened.manifest.documents) == {d.id for d in docs}
    assert reopened.manifest.model["name"] == "fake" and reopened.passage_count == report.embedded
    assert [h.passage_id for h in reopened.search("编外人员控制率", k=5)] == before
    # the model and layout are recorded with the collection, for every client of the server
    props = reopened.client.describe_collection("jixiao")["properties"]
    assert props["jixiao.dim"] == "64" and props["jixiao.model"] == "fake"


def test_incremental_update_touches_only_the_changed_document(uri: str, docs) -> None:
    emb = FakeEmbedder()
    idx = MilvusBackend(uri, emb)
    idx.update(docs)
    first = len(emb.encoded)
    emb.encoded.clear()
    assert idx.update(docs).embedded == 0  # nothing changed, nothing embedded
    changed = changed_copy(docs[1], "补充说明：新增一段关于科普活动的说明。")
    assert MilvusBackend(uri, emb).changed_documents([docs[0], changed]) == [docs[1].id]
    report = MilvusBackend(uri, emb).update([docs[0], changed])
    assert report.changed == [docs[1].id] and report.unchanged == [docs[0].id]
    assert 0 < report.embedded < first / 10  # only the new passage(s), not the document
    assert all(docs[0].id not in t for t in emb.encoded)
    after = MilvusBackend(uri, emb)
    hits = after.search("科普活动的说明", k=3, mode="keyword")
    assert "新增一段关于科普活动的说明" in hits[0].text
    rows = after.client.query("jixiao", filter=f'doc == "{docs[1].id}"', output_fields=["doc_hash"])
    assert {r["doc_hash"] for r in rows} == {"changed-hash"}  # every passage knows its document's version
    assert after.passage_count == len(rows) + after.manifest.documents[docs[0].id].passages


def test_removed_document_is_deleted(uri: str, docs) -> None:
    idx = MilvusBackend(uri, FakeEmbedder())
    idx.update(docs)
    report = idx.update(docs[:1])
    assert report.removed == [docs[1].id]
    reopened = MilvusBackend(uri, FakeEmbedder())
    assert set(reopened.manifest.documents) == {docs[0].id}
    assert not reopened.client.query("jixiao", filter=f'doc == "{docs[1].id}"', output_fields=["id"])
    assert {h.doc for h in reopened.search("编外人员控制率", k=10)} == {docs[0].id}


def test_workers_indexing_parts_of_a_corpus_keep_each_others_documents(uri: str, docs) -> None:
    MilvusBackend(uri, FakeEmbedder()).update(docs[:1])  # the first worker creates the collection
    report = MilvusBackend(uri, FakeEmbedder()).update(docs[1:], keep_others=True)
    assert report.added == [docs[1].id] and report.removed == []
    idx = MilvusBackend(uri, FakeEmbedder())
    assert set(idx.manifest.documents) == {d.id for d in docs}
    with pytest.raises(IndexError_, match="重建.*不带 --keep-others"):
        idx.update(docs[1:], rebuild=True, keep_others=True)


def test_document_scope_is_a_filter(uri: str, docs) -> None:
    idx = MilvusBackend(uri, FakeEmbedder())
    idx.update(docs)
    for mode in ("hybrid", "dense", "keyword"):
        hits = idx.search("预算执行率", k=8, mode=mode, docs={docs[0].id})
        assert hits and {h.doc for h in hits} == {docs[0].id}, mode


def test_interrupted_update_resumes_without_redoing_finished_documents(uri: str, docs,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    emb = FakeEmbedder()
    calls = []
    real = emb.encode_passages

    def crash_on_second(texts, progress=None):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second document is embedded
        return real(texts, progress)

    monkeypatch.setattr(emb, "encode_passages", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        MilvusBackend(uri, emb).update(docs)
    monkeypatch.undo()
    again = FakeEmbedder()
    idx = MilvusBackend(uri, again)
    assert idx.stale_reason() is None and idx.changed_documents(docs) == [docs[1].id]
    report = idx.update(docs)
    assert report.unchanged == [docs[0].id] and report.added == [docs[1].id]
    assert all(docs[0].id not in t for t in again.encoded)


def test_interrupted_rebuild_leaves_the_old_collection_serving(uri: str, docs, monkeypatch: pytest.MonkeyPatch) -> None:
    MilvusBackend(uri, FakeEmbedder()).update(docs[:1])
    emb = FakeEmbedder()

    def crash(texts, progress=None):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(emb, "encode_passages", crash)
    with pytest.raises(KeyboardInterrupt):
        MilvusBackend(uri, emb).update(docs, rebuild=True)
    idx = MilvusBackend(uri, FakeEmbedder())
    assert idx.stale_reason() is None and idx.search("预算执行率", k=1)
    report = idx.update(docs, rebuild=True)  # completes, and drops what the interrupted one left
    assert report.rebuilt_reason == "按要求重建" and sorted(report.added) == sorted(d.id for d in docs)
    assert sorted(idx.client.list_collections()) == sorted([idx._ensure().target, f"{idx._ensure().target}_docs"])


def test_collection_of_another_dimension_is_refused(uri: str, docs) -> None:
    MilvusBackend(uri, FakeEmbedder("model-a", dim=64)).update(docs[:1])
    other = MilvusBackend(uri, FakeEmbedder("model-b", dim=32))
    for call in (other.stale_reason, lambda: other.search("预算执行率"), lambda: other.update(docs[:1])):
        with pytest.raises(IndexModelMismatch, match="存的是 64 维向量，而嵌入模型 model-b 生成 32 维"):
            call()
    # the collection is untouched, and a rebuild with the new model is what replaces it
    assert MilvusBackend(uri, FakeEmbedder("model-a", dim=64)).stale_reason() is None
    report = other.update(docs[:1], rebuild=True)
    assert report.embedded == other.passage_count and other.stale_reason() is None
    assert other.search("预算执行率", k=1)


def test_collection_of_another_model_with_the_same_dimension_is_refused(uri: str, docs) -> None:
    MilvusBackend(uri, FakeEmbedder("model-a")).update(docs[:1])
    with pytest.raises(IndexModelMismatch, match="是用嵌入模型 model-a"):
        MilvusBackend(uri, FakeEmbedder("model-b")).search("预算执行率")


def test_collection_not_made_by_jixiao_is_refused_even_on_rebuild(uri: str, docs) -> None:
    client = connect(uri)
    client.create_collection("jixiao", dimension=8)  # someone else's collection under jixiao's name
    idx = MilvusBackend(uri, FakeEmbedder())
    for call in (idx.stale_reason, lambda: idx.update(docs[:1], rebuild=True)):
        with pytest.raises(IndexModelMismatch, match="不是 jixiao 建立的.*8 维"):
            call()
    assert client.has_collection("jixiao")


def test_keyword_search_falls_back_to_local_bm25_where_milvus_lacks_the_analyzer(
        uri: str, docs, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Milvus without a Chinese analyzer (or without the BM25 function): the collection is made
    without a keyword field, says so, and keyword search runs on jixiao's bigram BM25."""
    monkeypatch.setattr(milvus_module, "ANALYZERS", [{"tokenizer": "no-such-tokenizer"}])
    idx = MilvusBackend(uri, FakeEmbedder())
    idx.update(docs)
    assert idx.keyword_mode == LOCAL_KEYWORD
    fields = {f["name"] for f in idx.client.describe_collection("jixiao")["fields"]}
    assert "sparse" not in fields and "keyword_text" not in fields
    top = idx.search("1.68", k=3, mode="keyword")
    assert top and all(h.doc == docs[1].id for h in top) and any("1.68" in h.text for h in top)
    assert idx.search("编外人员控制率", k=5, mode="hybrid")
    # the fallback index follows updates
    idx.update([docs[0], changed_copy(docs[1], "补充说明：新增一段关于科普活动的说明。")])
    assert "新增一段关于科普活动的说明" in idx.search("科普活动的说明", k=1, mode="keyword")[0].text


def test_engine_only_keyword_setting_fails_clearly_without_the_analyzer(uri: str, docs,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(milvus_module, "ANALYZERS", [{"tokenizer": "no-such-tokenizer"}])
    with pytest.raises(IndexError_, match="无法建立集合.*no-such-tokenizer"):
        MilvusBackend(uri, FakeEmbedder(), keyword="engine").update(docs[:1])


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_is_one_clear_error(docs) -> None:
    idx = MilvusBackend(f"http://127.0.0.1:{_closed_port()}", FakeEmbedder(), timeout=1)
    with pytest.raises(BackendUnavailable, match=r"无法连接 Milvus http://127\.0\.0\.1:\d+") as exc:
        idx.stale_reason()
    assert "\n" not in str(exc.value)


# ---------------------------------------------------------------- command line and settings


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's session gets the fake embedder: these tests are about wiring, not the model."""
    monkeypatch.setattr("assistant.api.Embedder", lambda spec: FakeEmbedder())


def test_index_and_search_commands_with_the_milvus_backend(tmp_path: Path, fake_model: None,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from assistant.cli import main
    from assistant.config import bundled_corpus_dir

    report = next(bundled_corpus_dir().glob("004_*.txt"))
    base = ["--home", str(tmp_path / "home"), "--no-bundled", "--corpus", str(report)]
    assert main([*base, "index", "--backend", "milvus"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'home' / 'milvus.db'}（Milvus 集合 jixiao）" in out and "新增 1" in out
    assert not (tmp_path / "home" / "index").exists()  # the local store is not touched
    assert main([*base, "search", "编外人员控制率", "--backend", "milvus", "--json", "-k", "3"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and {h["doc"] for h in hits} == {report.name}
    assert main([*base, "index", "--backend", "milvus"]) == 0
    out = capsys.readouterr().out
    assert "本次嵌入 0 个" in out and "未变 1 份" in out


def test_keep_others_is_refused_for_the_local_backend(tmp_path: Path, fake_model: None,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    assert main(["--home", str(tmp_path), "index", "--keep-others"]) == 2
    assert "--keep-others 只用于 Milvus 后端" in capsys.readouterr().err
    assert not (tmp_path / "index").exists()


def test_unreachable_server_from_the_command_line(tmp_path: Path, fake_model: None, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    monkeypatch.setenv("JIXIAO_MILVUS_TIMEOUT", "1")
    uri = f"http://127.0.0.1:{_closed_port()}"
    assert main(["--home", str(tmp_path), "search", "预算执行率", "--backend", "milvus", "--milvus-uri", uri]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"jixiao: 无法连接 Milvus {uri}") and err.count("\n") == 1


def test_milvus_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.config import load_settings
    from assistant.errors import ConfigError

    home = tmp_path / "home"
    assert load_settings(home=home).backend == "local"  # the default does not change
    assert load_settings(home=home).milvus_address == str(home / "milvus.db")
    home.mkdir()
    (home / "config.toml").write_text('backend = "milvus"\nmilvus_uri = "http://milvus.example:19530"\n', "utf-8")
    settings = load_settings(home=home)
    assert settings.backend == "milvus" and settings.milvus_address == "http://milvus.example:19530"
    monkeypatch.setenv("JIXIAO_MILVUS_URI", "data/jixiao")
    with pytest.raises(ConfigError, match="MILVUS_URI：Milvus Lite 文件名须以 .db 结尾"):
        load_settings(home=home)
    monkeypatch.delenv("JIXIAO_MILVUS_URI")
    with pytest.raises(ConfigError, match="milvus_collection"):
        load_settings(home=home, milvus_collection="2024-reports")
