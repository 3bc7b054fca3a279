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
from assistant.config import Settings, load_settings
from assistant.corpus import Corpus
from assistant.errors import JixiaoError, NotAvailableYet
from assistant.ingest.model import Section
from assistant.jsonout import dumps

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
    records = corpus.records(args.doc)
    if args.deductions:
        records = [r for r in records if r.deduction]
    if args.source:
        records = [r for r in records if r.source == args.source]
    if args.json:
        print(dumps([{**r.model_dump(), "deduction": r.deduction} for r in records]))
        return 0
    table = Table("doc", "levels", "分值", "得分", "扣分", "page", "source", "reason", show_lines=False)
    for r in records:
        table.add_row(r.doc[:3], " > ".join(r.levels), _fmt(r.weight), _fmt(r.score), _fmt(r.deduction),
                      _fmt(r.page), r.source, (r.reason or "")[:40])
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


def not_yet(capability: str) -> Handler:
    def handler(args: argparse.Namespace, settings: Settings) -> int:
        raise NotAvailableYet(f"'{args.command}' is not available yet: {capability} is still being built")

    return handler


# ------------------------------------------------------------------ parser


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
    p = add("sections", cmd_sections, "print a document's heading tree with page numbers")
    p.add_argument("doc", help="document ID or prefix")
    p = add("index", not_yet("the retrieval index"), "build or update the search index", json_flag=False)
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    p.add_argument("paths", nargs="*", type=Path, help="only these report files")
    p = add("search", not_yet("the retrieval index"), "search passages (hybrid, dense or keyword)")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default="hybrid")
    p = add("ask", not_yet("question answering"), "ask a question; the answer cites its sources")
    p.add_argument("question")
    p = add("rules", not_yet("the scorer"), "list scoring rules; 'rules show RULE', 'rules apply RULE k=v'")
    p.add_argument("action", nargs="?", choices=["list", "show", "apply"], default="list")
    p.add_argument("rest", nargs="*")
    p.add_argument("--framework")
    p = add("score", not_yet("the scorer"), "score a year's figures (YAML) against a framework")
    p.add_argument("figures", type=Path)
    p = add("draft", not_yet("drafting"), "draft 自评 sections from a figures file")
    p.add_argument("figures", type=Path, nargs="?")
    p.add_argument("-o", "--output", type=Path)
    p.add_argument("--init", action="store_true")
    p = add("check", not_yet("the consistency checker"), "find where a report contradicts itself")
    p.add_argument("docs", nargs="*")
    add("tui", not_yet("the terminal app"), "open the terminal app", json_flag=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
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
