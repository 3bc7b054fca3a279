"""Carrying a report forward (`jixiao draft --from`): sentences kept / renewed / marked, whether every
renewed number is right, and whether a stale number survives unmarked.

1. Reproduce forward: 002 (2021) with examples/futian_2024.yaml (and futian_2021.yaml for last year's
   values) → a 2024 draft, compared with 004, the 2024 report the bureau published:
   - renewed numbers of a quantity 004 states: equal to 004's number for that quantity, or not;
   - renewed indicator scores against the scores 004's own scoring table prints (read by ingestion);
   - renewed numbers whose value 004 prints nowhere;
   - unmarked stale numbers: digits outside 〔待核〕 marks that the ledger does not account for, and numbers
     kept as constants that 002 prints but 004 does not (each is listed with --show). Target 0.
2. 004 (2024) with examples/futian_2025.yaml (a hypothetical year) → a 2025 draft: every figure that
   changed reaches every sentence of 004 that states it (renewed to the new value, or marked).

    python bench/drafting.py [--show]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.api import Session  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.drafting.carried import CarriedDraft  # noqa: E402
from assistant.drafting.carry import carry_forward  # noqa: E402
from assistant.drafting.link import distinctive  # noqa: E402
from assistant.drafting.numbers import Token, rounded, to_unit, tokenize  # noqa: E402
from assistant.drafting.quantities import Values  # noqa: E402
from assistant.drafting.vocab import bundled_vocab  # noqa: E402
from assistant.figures import load_figures  # noqa: E402
from assistant.ingest.model import Document  # noqa: E402
from assistant.ingest.narrative import indicator_key  # noqa: E402
from bench.common import ROOT, print_table  # noqa: E402

EXAMPLES = ROOT / "examples"


def carry(session: Session, doc: str, year: str, previous: str) -> CarriedDraft:
    figures, prev = load_figures(EXAMPLES / year), load_figures(EXAMPLES / previous)
    return carry_forward(session.document(doc), figures, session.score(figures), previous=prev,
                         previous_sheet=session.score(prev))


def value_of(text: str, table_unit: str | None = None) -> tuple[Decimal, str] | None:
    """A printed number as (value, kind), money in 万元: '25,895.98 万元' and '258,959,800 元' agree; a bare
    table cell is in `table_unit`."""
    toks = [t for t in tokenize(text, table_unit) if t.value is not None]
    if len(toks) != 1:
        return None
    t = toks[0]
    if t.kind == "money":
        return to_unit(t.value, t.unit or table_unit or "万元", "万元"), "money"  # type: ignore[arg-type]
    return t.value, t.kind  # type: ignore[return-value]


def printed_values(doc: Document) -> set[tuple[Decimal, str]]:
    out = set()
    for p in doc.paragraphs:
        for t in tokenize(p.text):
            if t.value is not None:
                out.add((to_unit(t.value, t.unit, "万元") if t.kind == "money" else t.value, t.kind))
    return out


def stated_by_quantity(session: Session) -> dict[str, set[tuple[Decimal, str]]]:
    """What 004 prints for each quantity: its own numbers linked to futian_2024.yaml, confirmed by value."""
    own = carry(session, "004", "futian_2024.yaml", "futian_2024.yaml")
    out: dict[str, set[tuple[Decimal, str]]] = defaultdict(set)
    for e in own.ledger:
        if e.status == "renewed" and e.quantity and "value" in e.reason:
            v = value_of(e.old)
            if v:
                out[e.quantity].add(v)
    return out


def by_part(draft: CarriedDraft) -> None:
    """Sentences kept / renewed / marked in the body and in the annexes (附件: project and target tables)."""
    rows = []
    for part, annex in (("body", False), ("附件 (annex tables)", True)):
        counts = Counter(s for p in draft.paragraphs if not p.added
                         and bool(p.heading_path and p.heading_path[0].startswith("附件")) == annex
                         for s in p.sentences)
        rows.append([part, counts["kept"], counts["renewed"], counts["marked"]])
    print_table(["sentences in", "kept", "renewed", "marked"], rows)
    print()


def same(a: tuple[Decimal, str], b: tuple[Decimal, str]) -> bool:
    return a[1] == b[1] and a[0] == b[0]


def forward(session: Session, show: bool) -> None:
    draft = carry(session, "002", "futian_2024.yaml", "futian_2021.yaml")
    truth_doc = session.document("004")
    by_quantity = stated_by_quantity(session)
    printed_004 = printed_values(truth_doc)
    printed_002 = printed_values(session.document("002"))
    published = {indicator_key(r.name): r.score for r in truth_doc.records if r.source == "table"}
    sheet = session.score(load_figures(EXAMPLES / "futian_2024.yaml"))
    names = {i.id: i.name for i in sheet.indicators}
    equal, differ, not_stated, nowhere = 0, [], 0, []
    scores_equal, scores_differ = 0, []
    for e in draft.ledger:
        if e.status != "renewed" or not e.quantity or e.new is None:
            continue
        quantity = bundled_vocab().quantities.get(e.quantity)
        money = quantity is not None and quantity.kind == "money"
        new = value_of(e.new, "万元" if money else None)
        if new is None:
            continue
        if e.quantity.startswith("score:"):
            name = names[e.quantity.removeprefix("score:")]
            pub = published.get(indicator_key(name))
            if pub is not None and Decimal(e.new) == pub:
                scores_equal += 1
            else:
                scores_differ.append(f"{name}: draft {e.new}, 004 prints {pub}")
            continue
        if e.quantity == "score.total":
            truth = {(truth_doc.total_score, new[1])} if truth_doc.total_score is not None else set()
        else:
            truth = by_quantity.get(e.quantity, set())
        if not truth:
            not_stated += 1
        elif any(same(new, t) for t in truth):
            equal += 1
        else:
            differ.append(f"line {e.line} {e.quantity}: draft {e.new}, 004 prints "
                          + ", ".join(str(t[0]) for t in truth))
        if not any(same(new, t) for t in printed_004):
            nowhere.append(f"line {e.line} {e.quantity}: {e.new}")
    stale = draft.unmarked_stale()
    kept_suspect = []
    for e in draft.ledger:
        if e.status == "kept" and e.kind in ("money", "percent", "count", "points", "score"):
            v = value_of(e.old)
            if v and v in printed_002 and v not in printed_004:
                kept_suspect.append(f"line {e.line}: {e.old} ({e.source})")
    counts = draft.counts()
    print("## Forward: 002 (2021) + futian_2024.yaml → 2024 draft, compared with 004\n")
    print_table(["sentences kept", "renewed", "marked", "numbers renewed", "kept", "marked"],
                [[counts["sentences"]["kept"], counts["sentences"]["renewed"], counts["sentences"]["marked"],
                  counts["numbers"]["renewed"], counts["numbers"]["kept"], counts["numbers"]["marked"]]])
    print()
    by_part(draft)
    print_table(["check", "count"], [
        ["renewed = 004's number for the quantity", equal],
        ["renewed ≠ 004's number for the quantity", len(differ)],
        ["renewed, quantity not stated in 004", not_stated],
        ["renewed score = 004's printed score", scores_equal],
        ["renewed score ≠ 004's printed score", len(scores_differ)],
        ["renewed value printed nowhere in 004", len(nowhere)],
        ["unmarked stale digits (target 0)", len(stale)],
        ["kept constants printed in 002 but not in 004", len(kept_suspect)],
    ])
    if show:
        for title, items in (("≠ 004", differ + scores_differ), ("nowhere in 004", nowhere),
                             ("unmarked stale", stale), ("kept, not in 004", kept_suspect)):
            for item in items:
                print(f"  {title}: {item}")
    print()


def in_unit(value: tuple[Decimal, str], unit: str) -> Decimal:
    return to_unit(value[0], "万元", unit) if value[1] == "money" else value[0]


def _prints(text: str | None, value: Decimal) -> bool:
    got = value_of(text) if text else None
    return got is not None and rounded(got[0], 2) == rounded(value, 2)


def _matches_old(tok: Token, old: Decimal, unit: str) -> bool:
    if tok.value is None:
        return False
    value = to_unit(old, unit, tok.unit) if tok.kind == "money" else old
    return rounded(value, tok.decimals) == tok.value


def reach(session: Session, show: bool) -> None:
    vocab = bundled_vocab()
    f24, f25 = load_figures(EXAMPLES / "futian_2024.yaml"), load_figures(EXAMPLES / "futian_2025.yaml")
    old, new = Values(f24, session.score(f24), vocab), Values(f25, session.score(f25), vocab)
    draft = carry(session, "004", "futian_2025.yaml", "futian_2024.yaml")
    doc = session.document("004")
    entries = {(e.line, e.at): e for e in draft.ledger if e.at is not None}
    rows, missed = [], []
    outcome: dict[tuple[int, int], str] = {}  # each old token stating a changed figure: renewed/marked/missed
    for qid, q in vocab.quantities.items():
        if q.kind not in ("money", "percent", "count", "score"):
            continue
        a, b = old.get(qid), new.get(qid)
        if a is None or b is None or not isinstance(a.value, Decimal) or not isinstance(b.value, Decimal):
            continue
        if rounded(a.value, 2) == rounded(to_unit(b.value, b.unit, a.unit), 2):
            continue  # unchanged
        stated = renewed = marked = 0
        searchable = True
        for p in doc.paragraphs:
            for tok in tokenize(p.text):
                kind_ok = (q.kind == "money" and tok.kind == "money") or (q.kind == tok.kind) \
                    or (q.kind == "score" and tok.kind in ("score", "bare"))
                if not kind_ok or (q.units and tok.unit not in q.units) \
                        or not _matches_old(tok, a.value, a.unit):
                    continue
                if q.kind in ("money", "percent") and not distinctive(tok):
                    searchable = False  # 100%, 95%: printed for many things, found through the ledger below
                    continue
                stated += 1
                e = entries.get((p.line, tok.start))
                expected = rounded(to_unit(b.value, b.unit, tok.unit) if tok.kind == "money" else b.value, 2)
                got = value_of(e.new) if e and e.new else None
                here = (p.line, tok.start)
                if e is not None and e.status == "marked":
                    marked += 1
                    outcome.setdefault(here, "marked")
                elif got is not None and rounded(in_unit(got, tok.unit), 2) == expected:
                    renewed += 1
                    outcome[here] = "renewed"
                elif e is not None and e.status == "renewed" and e.quantity != qid and e.quantity:
                    # the same old value stated another quantity (31 个: planned, on time): its own value
                    renewed += 1
                    outcome.setdefault(here, "renewed")
                else:
                    outcome[here] = "missed"
                    missed.append(f"{qid} line {p.line}: {tok.text} → {e.new if e else '(no entry)'}"
                                  f" ({e.status if e else ''})")
        change = f"{rounded(a.value, 2)} → {rounded(b.value, 2)}"
        if stated:
            rows.append([qid, change, stated, renewed, marked, stated - renewed - marked])
        linked = [e for e in draft.ledger if e.quantity == qid]
        if not searchable and not stated and linked:
            ok = sum(1 for e in linked if e.status == "marked" or _prints(e.new, b.value))
            rows.append([f"{qid} (by ledger)", change, len(linked), ok, "", len(linked) - ok])
    counts = draft.counts()
    print("## 004 (2024) + futian_2025.yaml → 2025 draft\n")
    print_table(["sentences kept", "renewed", "marked", "numbers renewed", "kept", "marked", "added 〔待补〕"],
                [[counts["sentences"]["kept"], counts["sentences"]["renewed"], counts["sentences"]["marked"],
                  counts["numbers"]["renewed"], counts["numbers"]["kept"], counts["numbers"]["marked"],
                  counts["added"]["paragraphs"]]])
    print()
    by_part(draft)
    tally = {k: sum(1 for v in outcome.values() if v == k) for k in ("renewed", "marked", "missed")}
    print_table(["changed figure", "2024 → 2025", "stated in 004", "renewed", "marked", "missed"],
                rows + [["all numbers found by value", "", len(outcome), tally["renewed"], tally["marked"],
                         tally["missed"]]])
    print()
    print_table(["check", "count"], [
        ["unmarked stale digits (target 0)", len(draft.unmarked_stale())],
        ["words marked: " + ", ".join(f"{k} {v}" for k, v in counts["words"].items() if "marked" in k), ""],
    ])
    if show:
        for item in missed + draft.unmarked_stale():
            print(f"  missed: {item}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    session = Session(Settings())
    forward(session, args.show)
    reach(session, args.show)


if __name__ == "__main__":
    main()
