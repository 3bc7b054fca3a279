"""Read a report file as text: UTF-8 or GB18030/GBK, with clear errors for everything else."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from assistant.errors import IngestError


def _utf16(data: bytes) -> str | None:
    """UTF-16 text: by its byte-order mark, or by NUL bytes in every other position."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        head = data[:4096]
        if len(head) >= 8 and head[1::2].count(0) > 0.3 * len(head[1::2]) and head[0::2].count(0) == 0:
            return data.decode("utf-16-le")
        if len(head) >= 8 and head[0::2].count(0) > 0.3 * len(head[0::2]) and head[1::2].count(0) == 0:
            return data.decode("utf-16-be")
    except UnicodeDecodeError:
        return None
    return None


def read_report(path: Path, max_mb: float = 20.0) -> tuple[str, str]:
    """Return (text, sha256 of the bytes). Raises IngestError with the file name and the reason."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: file not found") from exc
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror})") from exc
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, /dev/zero would never end
        raise IngestError(f"{path}: 不是普通文件（管道、设备等不能作为报告）")
    size = st.st_size
    if size > max_mb * 1024 * 1024:
        raise IngestError(
            f"{path}: file is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit for one report "
            "(raise it with JIXIAO_MAX_FILE_MB if this really is one report)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise IngestError(f"{path}: file is empty")
    utf16 = _utf16(data)
    if utf16 is not None:  # what Windows Notepad saves as "Unicode"
        data = utf16.encode("utf-8")
    if b"\x00" in data[:65536]:
        raise IngestError(f"{path}: looks like a binary file (NUL bytes), not extracted text; export the PDF/Word file to .txt first")
    digest = hashlib.sha256(data).hexdigest()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything; kept for clarity
        raise IngestError(f"{path}: not UTF-8 or GB18030/GBK text")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(16, 0.01 * min(len(text), 65536)):  # a few stray escapes are not a binary file
        raise IngestError(f"{path}: looks like a binary file (control characters), not extracted text")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text[:200000]):
        raise IngestError(f"{path}: no Chinese text found; is this a report? (wrong encoding or not text)")
    return text.replace("\r\n", "\n").replace("\r", "\n"), digest
