"""Start-up benchmark: time from launching the app to its first paint, to the corpus being read, and
to the index being ready (warm index on disk), in a headless terminal.

    python bench/startup.py
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
T0 = time.perf_counter()

from bench.common import bench_home, print_table  # noqa: E402


async def main() -> None:
    from assistant.api import Session
    from assistant.config import load_settings
    from assistant.tui.app import JixiaoApp

    imported = time.perf_counter() - T0
    app = JixiaoApp(Session(load_settings(home=bench_home())))
    async with app.run_test(size=(120, 40)) as pilot:
        painted = time.perf_counter() - T0
        while not app.loaded.is_set():
            await pilot.pause(0.05)
        loaded = time.perf_counter() - T0
        while not app.index_ready.is_set():
            await pilot.pause(0.05)
        ready = time.perf_counter() - T0
    print_table(["milestone", "seconds since start"], [
        ["modules imported", f"{imported:.2f}"],
        ["first paint", f"{painted:.2f}"],
        ["corpus read (browsing works)", f"{loaded:.2f}"],
        ["index ready (asking works)", f"{ready:.2f}"],
    ])


if __name__ == "__main__":
    asyncio.run(main())
