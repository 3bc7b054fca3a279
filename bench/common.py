"""Shared by the benchmarks: the question set, a session on a benchmark home, and a table printer."""

from __future__ import annotations

import os
import statistics
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"


def questions() -> list[dict[str, Any]]:
    return yaml.safe_load(QUESTIONS.read_text("utf-8"))


def bench_home() -> Path:
    """JIXIAO_HOME if set, else a cache folder, so the benchmarks never touch a user's own index."""
    home = Path(os.environ.get("JIXIAO_HOME") or Path.home() / ".cache" / "jixiao-bench")
    os.environ["JIXIAO_HOME"] = str(home)
    return home


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for i, r in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


EVAL = ROOT / "tests" / "data" / "eval"


def eval_questions(split: str) -> list[dict[str, Any]]:
    """The blind evaluation set's `tune` or `heldout` half (both writers' files), or `tune2`, a second tuning
    set written blind after the held-out half's end-of-work run."""
    out: list[dict[str, Any]] = []
    paths = sorted(EVAL.glob(f"{split}_*.yaml")) + ([EVAL / f"{split}.yaml"] if (EVAL / f"{split}.yaml").exists() else [])
    for path in paths:
        out += yaml.safe_load(path.read_text("utf-8"))
    for q in out:  # a follow-up written as the conversation: the questions before the last are its context
        if isinstance(q["q"], list):
            q["context"], q["q"] = q["q"][:-1], q["q"][-1]
        if isinstance(q.get("context"), str):  # one question before it, written as a string, not a list
            q["context"] = [q["context"]]
    by_id = {q["id"]: q for q in out}
    for q in out:  # a follow-up that names the question it follows: that question's conversation before it
        if q.get("follows") in by_id and not q.get("context"):
            before = by_id[q["follows"]]
            q["context"] = [*(before.get("context") or []), before["q"]]
    return out
