"""Progress of long work (embedding passages) for the shell: a bar with percentage, rate and time
left on a terminal; plain lines every few seconds when stderr is a file or a pipe (CI logs, cron)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from index.store import ProgressFn


def eta(done: int, total: int, elapsed: float) -> str:
    if done <= 0 or total <= done or elapsed <= 0:
        return "—"
    left = (total - done) * elapsed / done
    return f"{int(left // 60)}分{int(left % 60):02d}秒" if left >= 60 else f"{left:.0f}秒"


class LineProgress:
    """'嵌入段落 120/641（19%），9.8 段/秒，约剩 53秒' every `every` seconds and at the end."""

    def __init__(self, stream: TextIO, label: str, every: float = 5.0) -> None:
        self.stream, self.label, self.every = stream, label, every
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if total <= 0 or (now - self.last < self.every and done < total):
            return
        self.last = now
        elapsed = now - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        print(f"{self.label} {done}/{total}（{done * 100 // total}%），{rate:.1f} 段/秒，约剩 {eta(done, total, elapsed)}",
              file=self.stream, flush=True)


@contextmanager
def progress_reporter(label: str = "嵌入段落", stream: TextIO | None = None) -> Iterator[ProgressFn]:
    stream = stream or sys.stderr
    if not stream.isatty():
        yield LineProgress(stream, label)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TextColumn("约剩"), TimeRemainingColumn())
    with Progress(*columns, console=Console(file=stream), transient=True) as bar:
        task = bar.add_task(label, total=None, rate="")
        start = time.monotonic()

        def update(stage: str, done: int, total: int) -> None:
            elapsed = time.monotonic() - start
            bar.update(task, completed=done, total=total or None,
                       rate=f"{done / elapsed:.1f} 段/秒" if elapsed > 0 and done else "")

        yield update
