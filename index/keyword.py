"""Chinese keyword index: BM25 over character bigrams (numbers and Latin words whole).

Built in memory from the stored passages in milliseconds, so it is derived data, never stale.
Exact figures ('1.68') and names ('编外人员控制率') match as tokens.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from scipy import sparse

from index.normalize import tokenize


class KeywordIndex:
    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        docs = [Counter(tokenize(t)) for t in texts]
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.array([sum(d.values()) for d in docs], dtype=np.float64)
        avg = float(lengths.mean()) if len(docs) else 0.0
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        n = len(docs)
        for i, d in enumerate(docs):
            norm = self.k1 * (1 - self.b + self.b * (lengths[i] / avg if avg else 0))
            for tok, tf in d.items():
                j = self.vocab.setdefault(tok, len(self.vocab))
                idf = math.log(1 + (n - df[tok] + 0.5) / (df[tok] + 0.5))
                rows.append(i)
                cols.append(j)
                vals.append(idf * tf * (self.k1 + 1) / (tf + norm))
        self.matrix = sparse.csc_matrix((vals, (rows, cols)), shape=(n, len(self.vocab)), dtype=np.float32)
        self._df: np.ndarray | None = None

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def idf(self, token: str) -> float:
        """How rare a token is across the passages (0 for a token no passage has)."""
        n = len(self)
        j = self.vocab.get(token)
        if self._df is None:
            self._df = np.diff(self.matrix.indptr)  # csc: non-zeros per column = document frequency
        if j is None:
            return 0.0  # a word no passage has cannot tell passages apart
        df = int(self._df[j])
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> np.ndarray:
        cols = [self.vocab[t] for t in tokenize(query) if t in self.vocab]
        if not cols or not len(self):
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self.matrix[:, cols].sum(axis=1)).ravel()

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        s = self.scores(query)
        if not s.any():
            return []
        k = min(k, int((s > 0).sum()))
        top = np.argpartition(-s, k - 1)[:k]
        return sorted(((int(i), float(s[i])) for i in top), key=lambda x: -x[1])
