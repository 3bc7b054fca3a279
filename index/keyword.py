"""Chinese keyword index: BM25 over character bigrams (numbers and Latin words whole).

Derived from the stored passages (and cached on disk beside the index), so it is never stale.
Exact figures ('1.68') and names ('编外人员控制率') match as tokens.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from index.normalize import tokenize


class KeywordIndex:
    """BM25 weights in compressed sparse columns (one column per token), plain numpy: a query sums
    the columns of its tokens. No scipy: its import alone cost a shell command a second."""

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
        order = np.lexsort((np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)))
        self.n = n
        self.indices = np.array(rows, dtype=np.int32)[order]  # the passages of each column, column by column
        self.data = np.array(vals, dtype=np.float32)[order]
        self.indptr = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(np.array(cols, dtype=np.int64), minlength=len(self.vocab)), out=self.indptr[1:])
        self._df = np.diff(self.indptr)  # passages per token = document frequency

    def __len__(self) -> int:
        return self.n

    def idf(self, token: str) -> float:
        """How rare a token is across the passages (0 for a token no passage has)."""
        n = len(self)
        j = self.vocab.get(token)
        if j is None:
            return 0.0  # a word no passage has cannot tell passages apart
        df = int(self._df[j])
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> np.ndarray:
        cols = [self.vocab[t] for t in tokenize(query) if t in self.vocab]
        out = np.zeros(len(self), dtype=np.float32)
        for j in cols:  # a token asked twice counts twice, as in a sparse column sum
            lo, hi = self.indptr[j], self.indptr[j + 1]
            out[self.indices[lo:hi]] += self.data[lo:hi]
        return out

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        s = self.scores(query)
        if not s.any():
            return []
        k = min(k, int((s > 0).sum()))
        top = np.argpartition(-s, k - 1)[:k]
        return sorted(((int(i), float(s[i])) for i in top), key=lambda x: -x[1])
