"""Answer benchmark over the development question set: per category, the share of answers holding
all expected facts, the share of cited quotes verbatim in their document, correct and false
abstentions, and answer time.

    python bench/answers.py [--show N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.api import Session  # noqa: E402
from assistant.config import load_settings  # noqa: E402
from assistant.ingest.patterns import canonical_source, squash  # noqa: E402
from bench.common import bench_home, percentile, print_table, questions  # noqa: E402


def has_fact(answer: str, fact: str) -> bool:
    flat = squash(answer).replace(",", "")
    return squash(fact).replace(",", "") in flat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", type=int, default=0, help="print the first N failing answers")
    args = ap.parse_args()
    session = Session(load_settings(home=bench_home()))
    session.build_index()
    sources = {d.id: canonical_source(Path(d.path).read_text("utf-8")) for d in session.corpus}
    session.ask("预热")  # warm: model loaded, keyword matrix built
    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    times, failures = [], []
    for q in questions():
        t = time.perf_counter()
        a = session.ask(q["q"])
        times.append((time.perf_counter() - t) * 1000)
        s = stats[q["category"]]
        s["n"] += 1
        answerable = q.get("answerable", True)
        if answerable:
            ok = a.answered and all(has_fact(a.answer, f) for f in q.get("facts", []))
            s["facts"] += ok
            s["false_abstain"] += not a.answered
            if not ok:
                failures.append((q, a))
        else:
            s["correct_abstain"] += not a.answered
            if a.answered:
                failures.append((q, a))
        for c in a.citations:
            s["quotes"] += 1
            s["verbatim"] += squash(c.quote) in sources[c.doc]
    rows = []
    total = defaultdict(float)
    for cat, s in stats.items():
        for k, v in s.items():
            total[k] += v
        answerable_n = s["n"] if cat != "unanswerable" else 0
        rows.append([cat, int(s["n"]),
                     f"{s['facts'] / answerable_n:.2f}" if answerable_n else "—",
                     f"{s['verbatim'] / s['quotes']:.2f}" if s["quotes"] else "—",
                     f"{int(s['correct_abstain'])}/{int(s['n'])}" if cat == "unanswerable" else "—",
                     int(s["false_abstain"])])
    answerable_total = total["n"] - stats["unanswerable"]["n"]
    rows.append(["all", int(total["n"]), f"{total['facts'] / answerable_total:.2f}",
                 f"{total['verbatim'] / total['quotes']:.2f}",
                 f"{int(total['correct_abstain'])}/{int(stats['unanswerable']['n'])}", int(total["false_abstain"])])
    print()
    print_table(["category", "questions", "all facts", "verbatim quotes", "correct abstentions", "false abstentions"], rows)
    print(f"\nanswer time (warm): p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms")
    for q, a in failures[: args.show]:
        print(f"\n✗ [{q['id']}] {q['q']}  (facts {q.get('facts')}, intent {a.intent}, answered {a.answered})\n{a.answer[:400]}")


if __name__ == "__main__":
    main()
