"""A disk cache for derived data (ingested documents, the keyword matrix, the typo vocabulary), so
that a shell command does not redo seconds of parsing on every start.

An entry's name is a digest of its inputs *and* of the code that derives it (every .py and .yaml
file of the `assistant` and `index` packages), so a code change can never serve stale data. Entries
are pickles written atomically into `<home>/cache/`; they are only ever read from the user's own
data folder. A missing, damaged or unreadable entry is rebuilt, and a folder that cannot be written
(read-only home, full disk) only costs the time: the cache never makes a command fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGES = ("assistant", "index")
KEEP = 32  # entries per kind kept; older ones are removed when a new one is written


@cache
def code_digest() -> str:
    """Digest of the code and data files that derive cached values."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*")):
            if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


def entry_path(folder: Path, kind: str, key: str) -> Path:
    digest = hashlib.sha256(f"{code_digest()}|{key}".encode("utf-8", "surrogatepass")).hexdigest()[:24]  # a non-UTF-8 file name
    return folder / f"{kind}-{digest}.pkl"


def cached(folder: Path | None, kind: str, key: str, build: Callable[[], T]) -> T:
    """The value cached under (kind, key), or `build()` stored there."""
    if folder is None:
        return build()
    path = entry_path(folder, kind, key)
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # noqa: S301 — written by this program into the user's own folder
    except (FileNotFoundError, NotADirectoryError):
        pass
    except Exception:  # damaged, unreadable, or from an incompatible library version: rebuilt below
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    value = build()
    _store(path, kind, value)
    return value


def _store(path: Path, kind: str, value: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_temps(path.parent)
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        older = sorted(path.parent.glob(f"{kind}-*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in older[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, RecursionError):
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            tmp.unlink(missing_ok=True)


def _remove_dead_temps(folder: Path) -> None:
    """Temp files ('.doc-….pkl.PID.tmp') that a killed process left behind."""
    from assistant.files import pid_alive

    for tmp in folder.glob(".*.pkl.*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()
