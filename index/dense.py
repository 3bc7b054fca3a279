"""Dense index: faiss inner product over normalised vectors, ID-mapped so passages can be removed."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np


def _faiss() -> ModuleType:  # imported on first use: 'jixiao index' with nothing changed never needs it
    import faiss

    return faiss


class DenseIndex:
    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.index = _faiss().IndexIDMap2(_faiss().IndexFlatIP(dim))

    @classmethod
    def read(cls, path: Path) -> DenseIndex:
        idx = _faiss().read_index(str(path))
        obj = cls.__new__(cls)
        obj.dim = idx.d
        obj.index = idx
        return obj

    def write(self, path: Path) -> None:
        _faiss().write_index(self.index, str(path))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self.index.remove_ids(ids.astype(np.int64))

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return np.vstack([self.index.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, self.dim), np.float32)

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if not len(self):
            return []
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]
