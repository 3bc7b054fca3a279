"""Command line: thin argument parsing over the library API. `--json` wherever results are printed.

Errors a user can act on (`JixiaoError`) print one line and exit with code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from assistant import __version__
from assistant.api import Session
from assistant.config import Settings, load_settings
from assistant.corpus import Corpus
from assistant.drafting import DraftError
from assistant.errors import JixiaoError, ScoringError
from assistant.ingest.model import Section
from assistant.jsonout import dumps
from assistant.scoring import get_framework, parse_assignments, required_inputs

console = Console()
Handler = Callable[[argparse.Namespace, Settings], int]


def _fmt(value: object) -> str:
    return "—" if value is None else str(value)


# ------------------------------------------------------------------ handlers


def cmd_reports(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Corpus.load(settings)
    rows = [d.summary() for d in corpus]
    if args.json:
        print(dumps(rows))
    else:
        table = Table("doc", "title", "unit", "year", "kind", "total", "grade")
        for r in rows:
            table.add_row(*(_fmt(r[k]) for k in ("doc", "title", "unit", "year", "kind", "total_score", "grade")))
        console.print(table)
    for err in corpus.errors:
        print(f"warning: {err}", file=sys.stderr)
    return 0


def cmd_indicators(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Corpus.load(settings)
    # One row per indicator (a table row with the narrative sentences on it); --source lists raw records.
    records = [r for r in corpus.records(args.doc) if r.source == args.source] if args.source else corpus.indicators(args.doc)
    if args.deductions:
        records = [r for r in records if r.deduction]
    if args.json:
        print(dumps([{**r.model_dump(), "deduction": r.deduction} for r in records]))
        return 0
    table = Table("doc", "levels", "分值", "得分", "扣分", "page", "source", "reason", show_lines=False)
    for r in records:
        source = f"{r.source}+narrative" if r.also_stated else r.source
        table.add_row(r.doc[:3], " > ".join(r.levels), _fmt(r.weight), _fmt(r.score), _fmt(r.deduction),
                      _fmt(r.page), source, (r.reason or "")[:40])
    console.print(table)
    return 0


def cmd_targets(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Corpus.load(settings)
    docs = [corpus.get(args.doc)] if args.doc else list(corpus)
    rows = [t for d in docs for t in d.targets]
    if args.json:
        print(dumps(rows))
        return 0
    table = Table("doc", "indicator", "目标值", "实际完成值", "page")
    for t in rows:
        table.add_row(t.doc[:3], " > ".join(t.levels), t.target, t.actual or "—", _fmt(t.page))
    console.print(table)
    return 0


def _tree(node: Tree, sections: list[Section]) -> None:
    for s in sections:
        label = s.title + (f"  [dim]p.{s.page}[/dim]" if s.page else "")
        _tree(node.add(label), s.children)


def cmd_sections(args: argparse.Namespace, settings: Settings) -> int:
    doc = Corpus.load(settings).get(args.doc)
    if args.json:
        print(dumps(doc.sections))
        return 0
    root = Tree(f"[bold]{doc.title}[/bold]  ({doc.id}, pages from {doc.page_source})")
    _tree(root, doc.sections)
    console.print(root)
    return 0


def cmd_rules(args: argparse.Namespace, settings: Settings) -> int:
    session = Session(settings)
    if args.action == "list":
        fws = session.frameworks()
        if args.framework:
            fws = {args.framework: get_framework(args.framework)}
        rows = [{"rule": f"{fw.id}.{ind.id}", "framework": fw.id, "levels": ind.levels, "weight": ind.weight,
                 "type": ind.rule.type, "source": ind.source or fw.source} for fw in fws.values() for ind in fw.indicators]
        if args.json:
            print(dumps(rows))
            return 0
        table = Table("rule", "indicator", "分值", "type")
        for r in rows:
            table.add_row(r["rule"], " > ".join(r["levels"]), str(r["weight"]), r["type"])
        console.print(table)
        return 0
    if not args.rest:
        raise ScoringError(f"'rules {args.action}' needs a rule, e.g. 'jixiao rules {args.action} 编外人员控制率'")
    key, assignments = args.rest[0], args.rest[1:]
    if args.action == "show":
        fw, ind = session.rule(key)
        source = ind.source or fw.source
        data = {"rule": f"{fw.id}.{ind.id}", "framework": fw.name, "levels": ind.levels, "weight": ind.weight,
                "text": ind.rule.text.strip(), "source": source, "inputs": required_inputs(ind),
                "formal": ind.rule.model_dump(exclude={"text"}), "note": ind.note}
        if args.json:
            print(dumps(data))
            return 0
        console.print(f"[bold]{' > '.join(ind.levels)}[/bold]  分值 {ind.weight}  ({data['rule']})")
        console.print(f"来源：{source.doc} {source.section} (taken from {source.taken_from})")
        console.print(ind.rule.text.strip(), markup=False)
        console.print(f"[dim]inputs: {', '.join(data['inputs'])}[/dim]")
        if ind.note:
            console.print(f"[dim]note: {ind.note}[/dim]", markup=True)
        return 0
    fw, result = session.apply_rule(key, parse_assignments(assignments))
    if args.json:
        print(dumps({**result.model_dump(), "framework": fw.id}))
        return 0
    console.print(f"[bold]{result.name}[/bold]：{result.score} 分（分值 {result.weight} 分）")
    for step in result.trace:
        console.print("  " + step, markup=False)
    return 0


def cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    sheet = Session(settings).score(args.figures)
    if args.json:
        print(dumps(sheet))
        return 0
    table = Table("indicator", "分值", "得分", "published", "")
    for ind in sheet.indicators:
        table.add_row(" > ".join(ind.levels), str(ind.weight), str(ind.score), _fmt(ind.published),
                      "⚠" if ind.discrepancy else "")
    console.print(table)
    console.print(f"[bold]总分 {sheet.total}  等级 {sheet.grade}[/bold]"
                  + (f"   (报告列示 {sheet.published_total})" if sheet.published_total is not None else ""))
    for d in sheet.discrepancies:
        console.print(f"[yellow]⚠ {d}[/yellow]")
    return 0


def _backend(args: argparse.Namespace, settings: Settings) -> Settings:
    """Settings with the command line's --backend and --milvus-uri applied (they win over config and env)."""
    update = {k: v for k, v in (("backend", args.backend), ("milvus_uri", args.milvus_uri)) if v is not None}
    return Settings.model_validate({**settings.model_dump(), **update}) if update else settings


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    settings = _backend(args, settings)
    session = Session(settings)
    reason = "rebuild requested" if args.rebuild else session.search_index.stale_reason()
    if reason and reason != "no index yet":
        print(f"jixiao: rebuilding the whole index: {reason}", file=sys.stderr)
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("embedding passages", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = session.build_index(rebuild=args.rebuild, paths=args.paths or None, progress=progress,
                                     keep_others=args.keep_others)
    print(f"index at {session.search_index.location}: {session.search_index.passage_count} passages; "
          f"embedded {report.embedded} in {report.seconds:.1f}s "
          f"(added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)}, "
          f"unchanged {len(report.unchanged)})")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    session = Session(_backend(args, settings))
    status = session.index_status()
    if status == "no index yet":
        print("jixiao: no index yet, building it first (about two minutes on two cores)…", file=sys.stderr)
        session.build_index()
    elif status:
        print(f"jixiao: note: the index is stale ({status}); run 'jixiao index' to update it", file=sys.stderr)
    hits = session.search(args.query, k=args.k, mode=args.mode, docs={session.document(args.doc).id} if args.doc else None)
    if args.json:
        print(dumps([{"doc": h.doc, "section": h.section, "page": h.page, "text": h.text, "score": h.score,
                      "passage_id": h.passage_id} for h in hits]))
        return 0
    for i, h in enumerate(hits, 1):
        console.print(f"[bold]{i}. {h.title}[/bold] [dim]{h.doc} · {h.section or '—'} · p.{h.page or '?'} · {h.score:.4f}[/dim]")
        console.print("   " + h.text[:300].replace("\n", " "), markup=False)
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    session = Session(settings)
    if session.index_status() == "no index yet":
        print("jixiao: building the search index first (about two minutes on two cores)…", file=sys.stderr)
    answer = session.ask(args.question)
    if args.json:
        data = {"answer": answer.answer, "answered": answer.answered, "intent": answer.intent,
                "citations": [{"doc": c.doc, "title": c.title, "section": c.section, "page": c.page, "quote": c.quote}
                              for c in answer.citations]}
        if answer.indicator:
            data["indicator"] = answer.indicator.model_dump(exclude={"doc", "rule"})
        if answer.candidates:
            data["candidates"] = [c.model_dump() for c in answer.candidates]
        if answer.trace:
            data["trace"] = answer.trace
        print(dumps(data))
        return 0 if answer.answered else 1
    console.print(answer.answer, markup=False)
    for i, c in enumerate(answer.citations, 1):
        where = " · ".join(x for x in (c.title, c.section, f"第 {c.page} 页" if c.page else "") if x)
        console.print(f"[dim][{i}] {where}[/dim]")
        console.print(f"    「{c.quote[:160]}{'…' if len(c.quote) > 160 else ''}」", markup=False, style="dim")
    return 0 if answer.answered else 1


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from importlib import resources

    from assistant.drafting import render_draft, write_docx, write_markdown
    from assistant.figures import atomic_write, load_figures

    if args.init:
        target = args.output or Path("figures.yaml")
        if target.exists() and not args.force:
            raise DraftError(f"{target} exists; choose another name with -o, or add --force to overwrite it")
        if args.source:
            load_figures(args.source)  # a bad source is reported, not copied
            text = args.source.read_text("utf-8")
        else:
            text = resources.files("assistant.drafting").joinpath("figures_template.yaml").read_text("utf-8")
        atomic_write(target, text)
        print(f"wrote {target}: fill it in, then run 'jixiao draft {target}'")
        return 0
    if args.figures is None:
        raise DraftError("give a figures file (jixiao draft figures.yaml), or --init to write one")
    session = Session(settings)
    figures = load_figures(args.figures)
    sheet = session.score(figures)
    previous = load_figures(args.previous or figures.previous) if (args.previous or figures.previous) else None
    draft = render_draft(figures, sheet, previous=previous, previous_sheet=session.score(previous) if previous else None,
                         only=args.section, templates_dir=args.templates or settings.templates_dir)
    if args.output:
        write_markdown(draft, args.output)
    if args.docx:
        write_docx(draft, args.docx)
    if args.json:
        print(dumps({"title": draft.title, "total": sheet.total, "grade": sheet.grade,
                     "sections": [{"name": s.name, "markdown": s.markdown,
                                   "numbers": [{"text": n.text, "source": n.source} for n in s.numbers]}
                                  for s in draft.sections]}))
    elif not args.output:
        console.print(draft.markdown, markup=False)
    for path in (args.output, args.docx):
        if path:
            print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.check import check_document

    session = Session(settings)
    docs = [session.document(d) for d in args.docs] if args.docs else list(session.corpus)
    findings = [f for d in docs for f in check_document(d)]
    if args.json:
        print(dumps(findings))
        return 0
    colour = {"high": "red", "medium": "yellow", "low": "dim"}
    for d in docs:
        mine = [f for f in findings if f.doc == d.id]
        console.print(f"[bold]{d.title}[/bold] [dim]{d.id}[/dim]: {len(mine) or '无'} 处{'不一致' if mine else '发现'}")
        for f in mine:
            console.print(f"  [{colour[f.severity]}]{f.severity}[/{colour[f.severity]}] {f.message}", markup=True)
            for e in f.evidence:
                console.print(f"      {'p.' + str(e.page) if e.page else '  '} 「{e.quote[:100]}」", markup=False, style="dim")
            if f.computation:
                console.print(f"      = {f.computation[:200]}", markup=False, style="dim")
    return 0


def cmd_tui(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.tui.app import run

    run(Session(settings))
    return 0


# ------------------------------------------------------------------ parser


def _backend_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=["local", "milvus"], help="where passages are indexed (default: settings' "
                   "backend, 'local': faiss + BM25 under the data directory)")
    p.add_argument("--milvus-uri", metavar="URI", help="with --backend milvus: a Milvus Lite file (*.db) or a server "
                   "(http://host:19530); default: settings' milvus_uri, else <home>/milvus.db")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="绩效 — ask questions about budget performance evaluation reports, score and draft 自评.",
    )
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    parser.add_argument("--home", type=Path, help="data directory (default: $JIXIAO_HOME or the per-user data dir)")
    parser.add_argument("--corpus", type=Path, action="append", default=None, metavar="PATH",
                        help="extra report folder or file to read (repeatable)")
    parser.add_argument("--no-bundled", action="store_true", help="do not read the five bundled reports")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_: str, json_flag: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        if json_flag:
            p.add_argument("--json", action="store_true", help="machine-readable output")
        p.set_defaults(handler=handler)
        return p

    add("reports", cmd_reports, "list the reports in the corpus with title, unit, year, kind, total and grade")
    p = add("indicators", cmd_indicators, "list indicator records (分值, 得分, 扣分, reason) from scoring tables")
    p.add_argument("--doc", help="document ID or prefix, e.g. 002")
    p.add_argument("--deductions", action="store_true", help="only indicators that lost points")
    p.add_argument("--source", choices=["table", "narrative"], help="only records from tables or narrative")
    p = add("targets", cmd_targets, "list performance-target rows (指标值 and 实际完成值) from target tables")
    p.add_argument("--doc", help="document ID or prefix, e.g. 004")
    p = add("sections", cmd_sections, "print a document's heading tree with page numbers")
    p.add_argument("doc", help="document ID or prefix")
    p = add("index", cmd_index, "build or update the search index (only changed documents are re-embedded)",
            json_flag=False)
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    p.add_argument("paths", nargs="*", type=Path, help="also index these report files (beyond the configured corpus)")
    _backend_options(p)
    p.add_argument("--keep-others", action="store_true", help="with --backend milvus: keep documents the collection "
                   "holds that this run is not given (several workers indexing parts of one corpus)")
    p = add("search", cmd_search, "search passages (hybrid, dense or keyword)")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default="hybrid")
    p.add_argument("--doc", help="only this document")
    _backend_options(p)
    p = add("ask", cmd_ask, "ask a question; the answer cites its sources (exit 1 when the corpus does not hold it)")
    p.add_argument("question")
    p = add("rules", cmd_rules, "list scoring rules; 'rules show RULE'; 'rules apply RULE value=8' scores one indicator")
    p.add_argument("action", nargs="?", choices=["list", "show", "apply"], default="list")
    p.add_argument("rest", nargs="*")
    p.add_argument("--framework")
    p = add("score", cmd_score, "score a year's figures (YAML) against a framework: each indicator, total, grade")
    p.add_argument("figures", type=Path)
    p = add("draft", cmd_draft, "draft the 自评 report from a figures file (every number from the figures or the scorer)")
    p.add_argument("figures", type=Path, nargs="?", help="the year's figures (YAML)")
    p.add_argument("-o", "--output", type=Path, help="write Markdown here (with --init: the new figures file)")
    p.add_argument("--docx", type=Path, help="also write a Word document")
    p.add_argument("--section", choices=["基本情况", "绩效目标及完成情况", "评价指标分析", "总分与等级", "存在问题", "改进措施"],
                   help="only this section")
    p.add_argument("--previous", type=Path, help="last year's figures, for year-on-year changes")
    p.add_argument("--templates", type=Path, help="a folder of your own templates that override the bundled ones")
    p.add_argument("--init", action="store_true", help="write a commented figures file to fill in")
    p.add_argument("--from", dest="source", type=Path, help="with --init: start from this figures file")
    p.add_argument("--force", action="store_true", help="with --init: overwrite an existing file")
    p = add("check", cmd_check, "find where a report contradicts itself (scores, figures, arithmetic, rules, grade)")
    p.add_argument("docs", nargs="*")
    add("tui", cmd_tui, "open the terminal app (the same as running jixiao with no command)", json_flag=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if not sys.stdout.isatty():  # no terminal to draw on: say what there is instead
            parser.print_help()
            return 0
        args.command, args.handler = "tui", cmd_tui
    try:
        settings = load_settings(
            home=args.home,
            corpus_paths=args.corpus,
            include_bundled=False if args.no_bundled else None,
        )
        return args.handler(args, settings)
    except JixiaoError as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jixiao: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
