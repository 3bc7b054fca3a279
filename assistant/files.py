"""Reading and writing files without ever losing what a user has.

- `atomic_write_text` / `atomic_write_bytes`: a temp file in the same folder, then a rename; the temp
  file is removed on every error path, a full disk is a clear message;
- `write_output`: what every command that writes a user-named file goes through: it refuses to
  overwrite one of the command's own inputs, an existing file without --force, a folder, or a
  symbolic link (it would replace the link, not what it points to); it keeps an existing file's mode;
- `check_writable_dir`: a folder jixiao must write into (its home), checked before long work starts;
- `reason`: an OSError in Chinese (strerror is English), for every one-line error.

A temp file is named after the file it replaces and the writing process ('.draft.md.1234.x8.tmp'), so
that the next write to that file removes what a killed writer left (its process is gone).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from assistant.errors import JixiaoError


class OutputError(JixiaoError):
    """A file could not (or must not) be written."""


_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "只读文件系统",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "是一个文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "已存在",
    errno.EPIPE: "输出管道已关闭",
    errno.EIO: "读写出错（磁盘或设备故障）",
    errno.EMFILE: "打开的文件太多",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.ELOOP: "符号链接循环",
    errno.ETXTBSY: "文件正被使用",
}


def reason(exc: OSError) -> str:
    """What went wrong, in Chinese ('磁盘已满'); the system's own words for a rare error."""
    return _REASONS.get(exc.errno or -1) or f"系统错误：{exc.strerror or exc}"


def _oserror(path: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError(f"{path}: 磁盘已满，未写入（原有文件保持不变）")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"{path}: 没有写入权限（{reason(exc)}）")
    return OutputError(f"{path}: 无法写入（{reason(exc)}）")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_dead_temps(folder: Path, prefix: str, suffix: str = ".tmp") -> None:
    """Remove the temp files `<prefix><pid>.<anything><suffix>` in `folder` whose writing process is gone."""
    try:
        for tmp in folder.glob(glob_escape(prefix) + "*" + glob_escape(suffix)):
            pid = tmp.name[len(prefix):].split(".", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
                tmp.unlink(missing_ok=True)
    except OSError:
        pass  # tidying only: never a reason to fail


def tidy_temps(folder: Path) -> None:
    """Remove every temp file a killed jixiao left in one of its own folders (its home):
    '.NAME.PID.RANDOM.tmp' whose process is gone. Never used on a user's folder."""
    try:
        for tmp in folder.glob(".*.tmp"):
            parts = tmp.name.split(".")
            if len(parts) >= 5 and parts[-3].isdigit():
                remove_dead_temps(folder, ".".join(parts[:-3]) + ".")
    except OSError:
        pass


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write via a temp file in the same folder, then rename: a crash never leaves half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_dead_temps(path.parent, f".{path.name}.")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as exc:
        raise _oserror(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else _default_mode())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _oserror(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def _default_mode() -> int:
    """0666 less the umask: what a plain `open(…, 'w')` would give (mkstemp's 0600 would not)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_output(path: Path, inputs: Iterable[Path] = (), force: bool = False, others: Iterable[Path] = ()) -> None:
    """Refuse, with a one-line reason, a target that would lose something (see the module doc)."""
    for src in inputs:
        if src is not None and _same(path, Path(src)):
            raise OutputError(f"{path}: 这是本命令的输入文件，不能用输出覆盖它；请换一个输出文件名")
    if sum(1 for other in others if other is not None and (Path(other) == path or _same(path, Path(other)))) > 1:
        raise OutputError(f"{path}: 与另一个输出是同一个文件；请为两个输出使用不同的文件名")
    if path.is_symlink():
        raise OutputError(f"{path}: 是指向 {os.readlink(path)} 的符号链接；为免替换链接本身，请直接写到链接所指的文件")
    if path.is_dir():
        raise OutputError(f"{path}: 是一个文件夹，不是文件；请给出文件名（如 {path / 'draft.md'}）")
    if path.exists() and not force:
        raise OutputError(f"{path}: 文件已存在；如确要覆盖，请加 --force")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"{parent}: 不是文件夹")


def write_output(path: Path, data: str | bytes, inputs: Iterable[Path] = (), force: bool = False,
                 others: Iterable[Path] = ()) -> None:
    """Write a user-named output file safely (checks as `check_output`; an existing file keeps its mode)."""
    check_output(path, inputs, force, others)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    payload = data.encode("utf-8") if isinstance(data, str) else data
    atomic_write_bytes(path, payload, mode)


def check_writable_dir(folder: Path, what: str) -> None:
    """A folder jixiao writes into: it is (or can be made) a writable folder. Checked before work."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: {what}应是一个文件夹，但这是一个文件（检查 JIXIAO_HOME 或 --home）")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-check.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{folder}: {what}不可写（{reason(exc)}）；请检查权限，或用 JIXIAO_HOME / --home 换一个位置") from exc
