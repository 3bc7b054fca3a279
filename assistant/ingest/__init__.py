"""Ingestion: a report file → `Document` (pages, heading tree, paragraphs, indicator records, figures).

Pure functions over text; no index, no model.
"""

from __future__ import annotations

from pathlib import Path

from assistant.ingest.figures import extract_figures
from assistant.ingest.lines import split_lines
from assistant.ingest.metadata import (
    find_evaluation,
    find_kind,
    find_subject,
    find_title,
    find_total_and_grade,
    find_unit,
    find_year,
)
from assistant.ingest.model import Document, IndicatorRecord, Paragraph, Section, SourceRef
from assistant.ingest.narrative import attach_commentary, link, narrative_records
from assistant.ingest.structure import build_structure
from assistant.ingest.summary_tables import summary_tables
from assistant.ingest.tables import extract_tables, extract_targets
from assistant.ingest.textio import read_report
from assistant.ingest.validate import accept, check_table, reconcile

__all__ = ["Document", "IndicatorRecord", "Paragraph", "Section", "SourceRef", "load_document", "parse_document"]


def parse_document(doc_id: str, text: str, content_hash: str, path: str = "") -> Document:
    lines, pages_known = split_lines(text)
    sections, paragraphs = build_structure(doc_id, lines, pages_known)
    title = find_title(lines)
    head = "\n".join(ln.text for ln in lines[:80])
    total, grade = find_total_and_grade(text)
    kind = find_kind(title, head)
    evaluation, evaluator = find_evaluation(kind, head, text)
    table_records: list[IndicatorRecord] = []
    checks = []
    warnings: list[str] = []
    doubtful: list[IndicatorRecord] = []
    doubtful_checks = []
    summaries = summary_tables(lines)
    tables = extract_tables(doc_id, lines, skip_lines=frozenset(t.line for t in summaries if t.transposed))
    for caption, records, stated in tables:
        if stated.get("total") is not None and total is None:
            total = stated["total"]
        if stated.get("grade") and grade is None:
            grade = str(stated["grade"])
        doubtful += stated.pop("rejected_rows", [])  # rows scoring above their 分值: for the checker only
        records, notes = reconcile(doc_id, records, summaries)
        warnings += [f"{caption}：{n}" for n in notes]
        table_checks = check_table(caption, records, stated, total, summaries)
        if not accept(table_checks):
            bad = next(c for c in table_checks if c.kind == "total" and not c.ok)
            warnings.append(f"{caption}：各行得分合计 {bad.computed}，与列示的 {bad.stated} 不符，该表未读作指标记录"
                            "（可能有行在分页处断开）")
            doubtful += records
            doubtful_checks += table_checks
            continue
        table_records += records
        checks += table_checks
    for c in checks:
        if not c.ok:
            warnings.append(f"{c.table}：{c.group} 列示 {c.stated}，各行合计 {c.computed}")
    narrative = link(narrative_records(doc_id, paragraphs), table_records)
    # A table without a reason column takes the reason from the narrative about the same indicator.
    reasons = {n.linked_to: n.reason for n in narrative if n.linked_to}
    table_records = [r if r.reason or r.id not in reasons else r.model_copy(update={"reason": reasons[r.id]})
                     for r in table_records]
    table_records = attach_commentary(table_records, paragraphs)
    return Document(
        id=doc_id,
        path=path,
        title=title,
        subject=find_subject(head),
        unit=find_unit(head),
        year=find_year(title, head, text),
        kind=kind,
        evaluation=evaluation,
        evaluator=evaluator,
        total_score=total,
        grade=grade,
        content_hash=content_hash,
        page_source="marks" if pages_known else ("toc" if any(pg.page for pg in paragraphs) else "none"),
        sections=sections,
        paragraphs=paragraphs,
        records=table_records + narrative,
        targets=extract_targets(doc_id, lines),
        figures=extract_figures(paragraphs),
        checks=checks,
        warnings=warnings,
        doubtful_records=doubtful,
        doubtful_checks=doubtful_checks,
    )


def load_document(path: Path, max_mb: float = 20.0, doc_id: str | None = None,
                  cache_dir: Path | None = None) -> Document:
    """Read and parse one report; with `cache_dir`, a report parsed before (same text, same code)
    comes from the disk cache instead of being parsed again."""
    from index.cache import cached

    text, digest = read_report(path, max_mb=max_mb)
    doc_id = doc_id or path.name
    return cached(cache_dir, "doc", f"{doc_id}|{digest}|{path}", lambda: parse_document(doc_id, text, digest, str(path)))
