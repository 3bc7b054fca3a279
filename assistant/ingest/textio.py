"""Read a report file as text: UTF-8 or GB18030/GBK, with clear errors for everything else."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from assistant.errors import IngestError
from assistant.files import reason


def _plausible(text: str) -> bool:
    """Reads as text: printable characters (ASCII, CJK, full-width punctuation), some of them Chinese."""
    sample = text[:4096]
    good = sum(1 for ch in sample if ch in "\n\r\t\f" or " " <= ch <= "~" or "\u2000" <= ch <= "\u9fff"
               or "\uff00" <= ch <= "\uffef")
    return good >= 0.95 * len(sample) and any("\u4e00" <= ch <= "\u9fff" for ch in sample)


def _utf16(data: bytes) -> str | None:
    """UTF-16 text: by its byte-order mark, or (no mark) text that NUL bytes show is not UTF-8 or GB18030
    and that reads as Chinese text in one byte order."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        return None
    if b"\x00" not in data[:4096] or len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    return None


def read_report(path: Path, max_mb: float = 20.0) -> tuple[str, str]:
    """Return (text, sha256 of the bytes). Raises IngestError with the file name and the reason."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: 文件不存在") from exc
    except OSError as exc:
        raise IngestError(f"{path}: 无法读取（{reason(exc)}）") from exc
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, /dev/zero would never end
        raise IngestError(f"{path}: 不是普通文件（管道、设备等不能作为报告）")
    size = st.st_size
    if size > max_mb * 1024 * 1024:
        raise IngestError(
            f"{path}: 文件有 {size / 1024 / 1024:.1f} MB，超过单份报告 {max_mb:g} MB 的上限"
            "（如确是一份报告，可用 JIXIAO_MAX_FILE_MB 或 config.toml 的 max_file_mb 调高）"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: 无法读取（{reason(exc)}）") from exc
    if not data.strip():
        raise IngestError(f"{path}: 文件是空的（或只有空白）")
    utf16 = _utf16(data)
    if utf16 is not None:  # what Windows Notepad saves as "Unicode"
        data = utf16.encode("utf-8")
    if b"\x00" in data[:65536]:
        raise IngestError(f"{path}: 像是二进制文件（含 NUL 字节），不是提取出的文本；请先把 PDF/Word 文件导出为 .txt")
    digest = hashlib.sha256(data).hexdigest()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything; kept for clarity
        raise IngestError(f"{path}: 不是 UTF-8 或 GB18030/GBK 文本")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(16, 0.01 * min(len(text), 65536)):  # a few stray escapes are not a binary file
        raise IngestError(f"{path}: 像是二进制文件（控制字符过多），不是提取出的文本；请先把 PDF/Word 文件导出为 .txt")
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text[:200000]):
        raise IngestError(f"{path}: 没有中文内容，不像是报告（编码不对，或不是文本）")
    return text.replace("\r\n", "\n").replace("\r", "\n"), digest
