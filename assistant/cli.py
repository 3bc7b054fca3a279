"""Command line: thin argument parsing over the library API. `--json` wherever results are printed.

Every failure a user can meet is one line on stderr and exit code 2 (`JixiaoError`, and OS errors
such as a full disk or a missing permission); report text is sanitised before it reaches the terminal.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from assistant import __version__, cli_locale
from assistant.api import Session
from assistant.config import Settings, load_settings
from assistant.corpus import Corpus
from assistant.display import safe, sanitize
from assistant.errors import DraftError, JixiaoError, ScoringError
from assistant.ingest.model import Section
from assistant.jsonout import dumps
from index.store import NO_INDEX, REBUILD

console = Console()
Handler = Callable[[argparse.Namespace, Settings], int]
SEVERITY = {"high": "高", "medium": "中", "low": "低"}


def _fmt(value: object) -> Text:
    """A table cell: sanitised, and plain text (a report's '[/note]' is shown, not read as markup)."""
    return Text("—" if value is None else sanitize(value))


def _tight(title: str) -> str:
    """'2018-2020 年经济…' → '2018-2020年经济…': the extractor's space before 年 would break the line there."""
    import re

    return re.sub(r"(?<=\d)\s+(?=[\u4e00-\u9fff])", "", title)


def short_id(doc_id: str) -> str:
    """'000_f9d7729b5d446041.txt' → '000'; other names without the extension (a hash part dropped)."""
    import re

    stem = doc_id[:-4] if doc_id.endswith(".txt") else doc_id
    return re.sub(r"_[0-9a-f]{12,}$", "", stem)


# ------------------------------------------------------------------ handlers


def cmd_reports(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Corpus.load(settings)
    rows = [d.summary() for d in corpus]
    if args.json:
        print(dumps(rows))
    else:
        table = Table(expand=True)
        for name, ratio in (("编号", None), ("标题", 4), ("单位", 3), ("年度", None), ("类型", 3), ("总分", None), ("等级", None)):
            table.add_column(name, ratio=ratio, no_wrap=ratio is None, overflow="fold")
        for r in rows:
            kind = r["kind"] if r["kind"] != "other" else "其他"
            if r.get("evaluation"):
                kind = f"{kind}（{r['evaluation']}）"
            table.add_row(_fmt(short_id(str(r["doc"]))), _fmt(_tight(r["title"])), _fmt(r["unit"]), _fmt(r["year"]), _fmt(kind),
                          _fmt(r["total_score"]), _fmt(r["grade"]))
        console.print(table)
    for err in corpus.errors:
        print(f"jixiao: 警告：{sanitize(err)}", file=sys.stderr)
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
    table = Table("报告", "指标", "分值", "得分", "扣分", "页", "来源", "扣分原因／说明", show_lines=False)
    source_name = {"table": "表", "narrative": "正文"}
    for r in records:
        source = "表+正文" if r.also_stated else source_name[r.source]
        name = r.name if len(r.levels) < 2 else f"{r.levels[0]} > {r.name}"
        table.add_row(_fmt(short_id(r.doc)), _fmt(name), _fmt(r.weight), _fmt(r.score), _fmt(r.deduction),
                      _fmt(r.page), source, _fmt((r.reason or "")[:40]))
    console.print(table)
    return 0


def cmd_targets(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Corpus.load(settings)
    docs = [corpus.get(args.doc)] if args.doc else list(corpus)
    rows = [t for d in docs for t in d.targets]
    if args.json:
        print(dumps(rows))
        return 0
    table = Table("报告", "指标", "目标值", "实际完成值", "页")
    for t in rows:
        table.add_row(_fmt(short_id(t.doc)), _fmt(" > ".join(t.levels)), _fmt(t.target), _fmt(t.actual), _fmt(t.page))
    console.print(table)
    return 0


def _tree(node: Tree, sections: list[Section]) -> None:
    for s in sections:
        label = safe(s.title) + (f"  [dim]第 {s.page} 页[/dim]" if s.page else "")
        _tree(node.add(label), s.children)


def cmd_sections(args: argparse.Namespace, settings: Settings) -> int:
    doc = Corpus.load(settings).get(args.doc)
    if args.json:
        print(dumps(doc.sections))
        return 0
    pages = {"marks": "页码取自页脚/分页符", "toc": "页码取自目录", "none": "无页码"}[doc.page_source]
    root = Tree(f"[bold]{safe(doc.title)}[/bold]  （{safe(short_id(doc.id))}，{pages}）")
    _tree(root, doc.sections)
    console.print(root)
    return 0


def cmd_rules(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.scoring import get_framework, parse_assignments, required_inputs

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
        table = Table("规则", "指标", "分值", "类型")
        for r in rows:
            table.add_row(_fmt(r["rule"]), _fmt(" > ".join(r["levels"])), _fmt(r["weight"]),
                          _fmt(RULE_TYPES.get(r["type"], r["type"])))
        console.print(table)
        return 0
    if not args.rest:
        raise ScoringError(f"'rules {args.action}' 需要给出规则，例如 'jixiao rules {args.action} 编外人员控制率'")
    key, assignments = args.rest[0], args.rest[1:]
    if args.action == "show":
        matches = session.rules_named(key)
        data = [{"rule": f"{fw.id}.{ind.id}", "framework": fw.name, "levels": ind.levels, "weight": ind.weight,
                 "text": ind.rule.text.strip(), "source": ind.source or fw.source, "inputs": required_inputs(ind),
                 "formal": ind.rule.model_dump(exclude={"text"}), "note": ind.note} for fw, ind in matches]
        if args.json:
            print(dumps(data if len(data) > 1 else data[0]))
            return 0
        for (fw, ind), d in zip(matches, data, strict=True):
            source = d["source"]
            console.print(f"[bold]{safe(' > '.join(ind.levels))}[/bold]  分值 {ind.weight}  （{d['rule']}，{safe(fw.name)}）")
            taken = "评分表" if source.taken_from == "table" else source.taken_from
            console.print(f"来源：{safe(source.doc)} {safe(source.section)}（取自{safe(taken)}）")
            console.print(sanitize(ind.rule.text.strip()), markup=False)
            console.print(f"[dim]所需数据：{safe('、'.join(d['inputs']))}[/dim]")
            if ind.note:
                console.print(f"[dim]说明：{safe(ind.note)}[/dim]")
            console.print()
        return 0
    fw, result = session.apply_rule(key, parse_assignments(assignments))
    if args.json:
        print(dumps({**result.model_dump(), "framework": fw.id}))
        return 0
    console.print(f"[bold]{safe(result.name)}[/bold]：{result.score} 分（分值 {result.weight} 分，{safe(fw.name)}）")
    for step in result.trace:
        console.print("  " + sanitize(step), markup=False)
    return 0


RULE_TYPES = {"tiers": "分档", "linear": "线性", "per_unit": "按项扣分", "choice": "选项", "checklist": "要点清单",
              "manual": "人工评定", "quarterly_execution": "季度执行", "sum": "合计"}


def cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    sheet = Session(settings).score(args.figures)
    if args.json:
        print(dumps(sheet))
        return 0
    table = Table("指标", "分值", "得分", "报告列示", "")
    for ind in sheet.indicators:
        table.add_row(_fmt(" > ".join(ind.levels)), _fmt(ind.weight), _fmt(ind.score), _fmt(ind.published),
                      "⚠" if ind.discrepancy else "")
    console.print(table)
    console.print(f"[bold]总分 {sheet.total}  等级 {safe(sheet.grade)}[/bold]"
                  + (f"   （报告列示 {sheet.published_total}）" if sheet.published_total is not None else ""))
    for d in sheet.discrepancies:
        console.print(f"[yellow]⚠ {safe(d)}[/yellow]")
    return 0


def _backend(args: argparse.Namespace, settings: Settings) -> Settings:
    """Settings with the command line's --backend and --milvus-uri applied (they win over config and env)."""
    update = {k: v for k, v in (("backend", args.backend), ("milvus_uri", args.milvus_uri)) if v is not None}
    return Settings.model_validate({**settings.model_dump(), **update}) if update else settings


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.progress import progress_reporter

    settings = _backend(args, settings)
    session = Session(settings)
    for warning in session.corpus.errors:  # files that were skipped, and why
        print(f"jixiao: 警告：{sanitize(warning)}", file=sys.stderr)
    reason = REBUILD if args.rebuild else session.search_index.stale_reason()
    if reason and reason != NO_INDEX:
        print(f"jixiao: 重建整个索引：{reason}", file=sys.stderr)

    def waiting() -> None:
        print("jixiao: 另一个 jixiao 进程正在更新索引，等它完成后继续…", file=sys.stderr, flush=True)

    with progress_reporter() as progress:
        report = session.build_index(rebuild=args.rebuild, paths=args.paths or None, progress=progress,
                                     on_wait=waiting, keep_others=args.keep_others)
    passages = session.search_index.passage_count
    where = session.search_index.location
    if args.json:
        print(dumps({"index": where, "passages": passages, "embedded": report.embedded,
                     "prebuilt": report.prebuilt, "seconds": round(report.seconds, 2), "added": report.added, "changed": report.changed,
                     "removed": report.removed, "unchanged": report.unchanged, "rebuilt": report.rebuilt_reason}))
        return 0
    shipped = f"、采用随包向量 {report.prebuilt} 个" if report.prebuilt else ""
    print(f"索引 {where}：共 {passages} 个段落；本次嵌入 {report.embedded} 个{shipped}，用时 {report.seconds:.1f} 秒"
          f"（新增 {len(report.added)}、更新 {len(report.changed)}、移除 {len(report.removed)}、"
          f"未变 {len(report.unchanged)} 份报告）")
    return 0


def _ensure_index(session: Session, command: str) -> None:
    status = session.index_status()
    if status == NO_INDEX:
        print("jixiao: 还没有检索索引，先建立它（内置报告的向量随包提供，只需几秒；你自己的报告要逐段嵌入）…", file=sys.stderr)
        from assistant.progress import progress_reporter

        with progress_reporter() as progress:
            session.build_index(progress=progress)
    elif status:
        print(f"jixiao: 提示：索引不是最新的（{sanitize(status)}）；运行 'jixiao index' 更新", file=sys.stderr)


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    session = Session(_backend(args, settings))
    _ensure_index(session, "search")
    if len(args.query) > 500:
        raise JixiaoError(f"检索词过长（{len(args.query)} 字）：请控制在 500 字以内")
    hits = session.search(args.query, k=args.k, mode=args.mode, docs={session.document(args.doc).id} if args.doc else None)
    if args.json:
        print(dumps([{"doc": h.doc, "section": h.section, "page": h.page, "text": h.text, "score": h.score,
                      "passage_id": h.passage_id} for h in hits]))
        return 0
    for i, h in enumerate(hits, 1):
        where = " · ".join(x for x in (short_id(h.doc), h.section or "—", f"第 {h.page} 页" if h.page else "页码不详") if x)
        console.print(f"[bold]{i}. {safe(h.title)}[/bold] [dim]{safe(where)} · {h.score:.4f}[/dim]")
        console.print("   " + sanitize(h.text[:300].replace("\n", " ")), markup=False)
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    session = Session(settings)
    if args.llm:
        _ = session.llm_client  # an endpoint that is not configured is an error before any work
    _ensure_index(session, "ask")
    state = settings.home / "conversation.json"
    conversation = session.conversation()
    if args.continue_:
        conversation.load(state)
    answer = conversation.ask(args.question, llm=args.llm)
    try:
        conversation.save(state)  # so that 'jixiao ask --continue' can follow up
    except JixiaoError:
        pass  # a read-only home: the answer is still given
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
        if args.llm:
            data |= {"llm_rejected": answer.llm_rejected, "llm_note": answer.llm_note,
                     "exact_answer": answer.exact_answer}
        print(dumps(data))
        return 0 if answer.answered else 1
    if answer.llm_note and answer.llm_rejected is not False:  # rejected or failed: said before the answer
        console.print(sanitize(answer.llm_note), markup=False, style="yellow")
    console.print(sanitize(answer.answer), markup=False)
    for i, c in enumerate(answer.citations, 1):
        where = " · ".join(x for x in (c.title, c.section, f"第 {c.page} 页" if c.page else "") if x)
        console.print(f"[dim]\\[{i}] {safe(where)}[/dim]")
        console.print(f"    「{sanitize(c.quote[:160])}{'…' if len(c.quote) > 160 else ''}」", markup=False, style="dim")
    if answer.llm_note and answer.llm_rejected is False:
        console.print(sanitize(answer.llm_note), markup=False, style="dim")
    return 0 if answer.answered else 1


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from importlib import resources

    from assistant.drafting import docx_bytes, render_draft
    from assistant.figures import load_figures
    from assistant.files import check_output, write_output

    if args.init:
        target = args.output or Path("figures.yaml")
        if args.source:
            load_figures(args.source)  # a bad source is reported, not copied
            text = args.source.read_text("utf-8")
        else:
            text = resources.files("assistant.drafting").joinpath("figures_template.yaml").read_text("utf-8")
        write_output(target, text, inputs=[args.source] if args.source else [], force=args.force)
        print(f"已写入 {target}：填好后运行 'jixiao draft {target}'")
        return 0
    if args.figures is None:
        raise DraftError("请给出年度数据文件（jixiao draft figures.yaml），或用 --init 生成一个模板")
    if args.source is not None:
        return _draft_from_report(args, settings)
    figures = load_figures(args.figures)
    previous_path = args.previous or figures.previous
    inputs = [p for p in (args.figures, previous_path, args.templates) if p]
    outputs = [p for p in (args.output, args.docx) if p]
    for out in outputs:  # before any work: nothing is computed that cannot be written
        check_output(out, inputs=inputs, force=args.force, others=outputs)
    session = Session(settings)
    sheet = session.score(figures, source=args.figures)
    previous = load_figures(previous_path) if previous_path else None
    previous_sheet = session.score(previous, source=previous_path) if previous else None
    draft = render_draft(figures, sheet, previous=previous, previous_sheet=previous_sheet,
                         only=args.section, templates_dir=args.templates or settings.templates_dir)
    polish_notes = None
    if args.polish:
        draft, polish_notes = _polish(session, args, settings, draft)
    if args.output:
        write_output(args.output, draft.markdown, inputs=inputs, force=args.force, others=outputs)
    if args.docx:
        write_output(args.docx, docx_bytes(draft), inputs=inputs, force=args.force, others=outputs)
    if args.json:
        print(dumps({"title": draft.title, "total": sheet.total, "grade": sheet.grade,
                     "sections": [{"name": s.name, "markdown": s.markdown,
                                   "numbers": [{"text": n.text, "source": n.source} for n in s.numbers]}
                                  for s in draft.sections]}
                    | ({"polish": [n.__dict__ for n in polish_notes]} if polish_notes is not None else {})))
    elif not args.output:
        console.print(sanitize(draft.markdown), markup=False)
    for path in outputs:
        print(f"已写入 {path}", file=sys.stderr)
    return 0


def _draft_from_report(args: argparse.Namespace, settings: Settings) -> int:
    """`draft --from 004 figures.yaml`: last year's report, its prose kept, its numbers renewed."""
    from assistant.drafting import docx_bytes
    from assistant.drafting.carried import ledger_json
    from assistant.drafting.carry import carry_report
    from assistant.files import check_output, write_output

    if args.section:
        raise DraftError("--from 与 --section 不能同时使用：续写草稿保留原报告的全部章节")
    source_file = args.source if args.source.exists() else None
    inputs = [p for p in (args.figures, args.previous, source_file) if p]
    outputs = [p for p in (args.output, args.docx) if p]
    for out in outputs:  # before any work: nothing is computed that cannot be written
        check_output(out, inputs=inputs, force=args.force, others=outputs)
    session = Session(settings)
    carried, sheet = carry_report(session, str(args.source), args.figures, args.previous)
    if args.output:
        write_output(args.output, carried.markdown, inputs=inputs, force=args.force, others=outputs)
    if args.docx:
        write_output(args.docx, docx_bytes(carried.markdown), inputs=inputs, force=args.force, others=outputs)
    if args.json:
        print(dumps(ledger_json(carried)))
    elif not args.output:
        console.print(carried.markdown, markup=False)
    counts = carried.counts()
    s, n = counts["sentences"], counts["numbers"]
    print(f"据 {carried.doc} 续写 {carried.year} 年：句子 保留 {s['kept']}、更新 {s['renewed']}、待核 {s['marked']}；"
          f"数字 更新 {n['renewed']}、不变 {n['kept']}、待核 {n['marked']}；总分 {sheet.total}（{sheet.grade}）",
          file=sys.stderr)
    for note in carried.notes:
        print(f"说明：{sanitize(note)}", file=sys.stderr)
    for path in outputs:
        print(f"已写入 {path}", file=sys.stderr)
    return 0


def _polish(session: Session, args: argparse.Namespace, settings: Settings, draft):  # type: ignore[no-untyped-def]
    """`draft --polish`: each paragraph smoothed by the model, kept only where its numbers are the same."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress

    from assistant.llm.polish import polish_draft

    client = session.llm_client
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("润色段落", total=None)
        polished, notes = polish_draft(draft, client, args.templates or settings.templates_dir,
                                       progress=lambda done, total: bar.update(task, completed=done, total=total))
    kept = [n for n in notes if not n.polished]
    print(f"润色：{len(notes) - len(kept)} 段采用模型的润色，{len(kept)} 段保留原文", file=sys.stderr)
    for n in kept:
        print(f"  {n.section} 第 {n.paragraph} 段保留原文：{'；'.join(n.problems)}", file=sys.stderr)
    return polished, notes


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Where jixiao stands: data directory, reports, index, and whether the model endpoint answers."""
    from assistant.llm.client import ChatClient, LLMError

    checks: list[dict[str, object]] = []

    def add(name: str, ok: bool | None, detail: str) -> None:
        checks.append({"check": name, "ok": ok, "detail": detail})

    add("数据目录", True, str(settings.home))
    try:
        files, problems = settings.corpus_files()
        add("报告", bool(files), f"{len(files)} 份" + (f"；{len(problems)} 个无法读取：{problems[0]}" if problems else ""))
    except JixiaoError as exc:
        add("报告", False, str(exc))
    try:
        status = Session(settings).index_status()
        if status == NO_INDEX:
            add("检索索引", None, "尚未建立（第一次提问时自动建立；或运行 jixiao index）")
        else:
            add("检索索引", status is None, "就绪" if status is None else f"需要更新：{status}（运行 jixiao index）")
    except JixiaoError as exc:
        add("检索索引", False, str(exc))
    if not settings.llm_base_url:
        add("模型服务", None, "未配置（可选；设置 JIXIAO_LLM_BASE_URL 后可用 ask --llm 和 draft --polish）")
    else:
        client = ChatClient.from_settings(settings)
        key = "已设置（环境变量 JIXIAO_LLM_API_KEY）" if settings.llm_api_key else "未设置"
        try:
            listed, seconds = client.ping()
            model = client.model
            found = "" if not listed or model in listed else f"；注意：服务未列出模型 {model}"
            add("模型服务", True, f"{settings.llm_base_url} 可用，模型 {model}，对话测试 {seconds:.1f} 秒，"
                f"密钥{key}{found}")
        except LLMError as exc:
            add("模型服务", False, f"{exc}（模型 {settings.llm_model or '未指定'}，密钥{key}）")
    if args.json:
        print(dumps(checks))
    else:
        for c in checks:
            mark = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: "[dim]–[/dim]"}[c["ok"]]  # type: ignore[index]
            console.print(f"{mark} {c['check']}：", end="")
            console.print(str(c["detail"]), markup=False, highlight=False)
    return 0 if all(c["ok"] is not False for c in checks) else 1


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
        head = f"发现 {len(mine)} 处不一致" if mine else "未发现不一致"
        console.print(f"[bold]{safe(d.title)}[/bold] [dim]{safe(short_id(d.id))}[/dim]：{head}")
        for f in mine:
            console.print(f"  [{colour[f.severity]}]{SEVERITY[f.severity]}[/{colour[f.severity]}] {safe(f.message)}")
            for e in f.evidence:
                page = f"第 {e.page} 页" if e.page else "      "
                console.print(f"      {page} 「{sanitize(e.quote[:100])}」", markup=False, style="dim")
            if f.computation:
                console.print(f"      = {sanitize(f.computation[:200])}", markup=False, style="dim")
    return 0


def cmd_tui(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.tui.app import run

    if not (sys.stdin.isatty() and sys.stdout.isatty()):  # it would wait forever for keys no one can type
        raise JixiaoError("终端应用需要在终端中运行（标准输入或输出被重定向了）；脚本中请用 ask、search 等命令")
    run(Session(settings))
    return 0


# ------------------------------------------------------------------ parser


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，不是 {text}")
    return value


def _backend_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=["local", "milvus"],
                   help="检索后端（默认取设置中的 backend；local：数据目录下的 faiss + BM25）")
    p.add_argument("--milvus-uri", metavar="URI",
                   help="与 --backend milvus 同用：Milvus Lite 文件（*.db）或服务器（http://host:19530）；"
                        "默认取设置中的 milvus_uri，否则为 <数据目录>/milvus.db")


def build_parser() -> argparse.ArgumentParser:
    cli_locale.install()
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="绩效 — 查询预算绩效评价报告、按规则评分、起草自评报告（不带命令时打开终端应用）。",
    )
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("--home", type=Path, help="数据目录（默认 $JIXIAO_HOME 或用户数据目录）")
    parser.add_argument("--corpus", type=Path, action="append", default=None, metavar="PATH",
                        help="另外读取的报告文件或文件夹（可重复）")
    parser.add_argument("--no-bundled", action="store_true", help="不读取内置的五份报告")
    sub = parser.add_subparsers(dest="command", metavar="命令")

    def add(name: str, handler: Handler, help_: str, json_flag: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        if json_flag:
            p.add_argument("--json", action="store_true", help="输出 JSON（供程序读取）")
        p.set_defaults(handler=handler)
        return p

    add("reports", cmd_reports, "列出语料中的报告：标题、单位、年度、类型、总分、等级")
    p = add("indicators", cmd_indicators, "列出评分表中的指标：分值、得分、扣分、扣分原因、页码")
    p.add_argument("--doc", help="报告编号或前缀，如 002")
    p.add_argument("--deductions", action="store_true", help="只列出扣了分的指标")
    p.add_argument("--source", choices=["table", "narrative"], help="只列出来自评分表（table）或正文（narrative）的原始记录")
    p = add("targets", cmd_targets, "列出绩效目标表的行：指标值与实际完成值")
    p.add_argument("--doc", help="报告编号或前缀，如 004")
    p = add("sections", cmd_sections, "显示一份报告的标题层级和页码")
    p.add_argument("doc", help="报告编号或前缀")
    p = add("index", cmd_index, "建立或更新检索索引（只重新嵌入有变化的报告）")
    p.add_argument("--rebuild", action="store_true", help="从头重建")
    p.add_argument("paths", nargs="*", type=Path, help="把这些报告文件加入语料并建立索引（之后会一直保留）")
    _backend_options(p)
    p.add_argument("--keep-others", action="store_true",
                   help="与 --backend milvus 同用：保留集合中本次没有给出的报告（多个进程分别索引同一语料的不同部分）")
    p = add("search", cmd_search, "检索段落（混合、向量或关键词）")
    p.add_argument("query", help="检索词")
    p.add_argument("-k", type=positive_int, default=5, help="返回条数（正整数，默认 5）")
    p.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default="hybrid", help="检索方式，默认混合")
    p.add_argument("--doc", help="只在这份报告中检索")
    _backend_options(p)
    p = add("ask", cmd_ask, "提问；回答引用原文出处（语料中没有答案时退出码为 1）")
    p.add_argument("question", help="问题")
    p.add_argument("--continue", dest="continue_", action="store_true",
                   help="接着上一个问题问（如「那2024年呢？」「扣分原因呢？」）")
    p.add_argument("--llm", action="store_true",
                   help="由配置的语言模型组织回答（其中每个数字、引文、出处都与原文核对；见 doctor）")
    p = add("rules", cmd_rules, "评分规则：列出；'rules show 规则' 显示原文；'rules apply 规则 value=8' 计算一个指标")
    p.add_argument("action", nargs="?", choices=["list", "show", "apply"], default="list", help="list / show / apply")
    p.add_argument("rest", nargs="*", help="规则名（及 apply 的取值，如 value=8）")
    p.add_argument("--framework", help="只列出这个指标体系的规则")
    p = add("score", cmd_score, "按指标体系为一年的数据（YAML）评分：各指标、总分、等级")
    p.add_argument("figures", type=Path, help="年度数据文件（YAML）")
    p = add("draft", cmd_draft, "由年度数据文件起草自评报告（每个数字都来自数据或评分规则）")
    p.add_argument("figures", type=Path, nargs="?", help="年度数据文件（YAML）")
    p.add_argument("-o", "--output", type=Path, help="把 Markdown 写到这里（与 --init 同用时：新数据文件）")
    p.add_argument("--docx", type=Path, help="同时写一份 Word 文档")
    p.add_argument("--section", choices=["基本情况", "绩效目标及完成情况", "评价指标分析", "总分与等级", "存在问题", "改进措施"],
                   help="只写这一部分")
    p.add_argument("--previous", type=Path,
                   help="上一年的数据文件，用于同比（与 --from 同用时：旧报告那一年的数据，用来确认其中每个数字的含义）")
    p.add_argument("--templates", type=Path, help="自定义模板文件夹（覆盖内置模板）")
    p.add_argument("--init", action="store_true", help="生成一个带说明的数据文件模板")
    p.add_argument("--from", dest="source", type=Path, metavar="REPORT",
                   help="以上一年的报告为起点（报告编号如 004，或报告文件）：保留原文，更新每个数字，"
                        "无法更新的标为〔待核〕；与 --init 同用时：以这个数据文件为起点")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件（-o、--docx、--init）")
    p.add_argument("--polish", action="store_true",
                   help="由配置的语言模型润色每段（只有数字完全不变的段落才采用）")
    p = add("check", cmd_check, "检查报告自相矛盾之处（得分、数字、合计、规则、等级）")
    p.add_argument("docs", nargs="*", help="报告编号（默认全部）")
    add("doctor", cmd_doctor, "检查环境：数据目录、报告、索引，以及模型服务是否应答")
    add("tui", cmd_tui, "打开终端应用（与不带命令运行 jixiao 相同）", json_flag=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and threading.current_thread() is threading.main_thread():  # the program, not a test
        signal.signal(signal.SIGTERM, _on_sigterm)
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
        print(f"jixiao: {sanitize(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jixiao: 已中断", file=sys.stderr)
        return 130
    except Terminated:
        print("jixiao: 已终止", file=sys.stderr)
        return 143
    except MemoryError:
        print("jixiao: 内存不足，操作未完成（未写入任何文件）", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a missing permission, a file that vanished: one line, not a traceback
        from assistant.files import reason

        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        if not where and exc.errno in (errno.EPIPE, errno.ENOSPC, errno.EIO) and _stdout_failed():
            if exc.errno == errno.EPIPE:
                return 1  # the reader stopped reading ('| head'): nothing to say
            where = "标准输出: "
        print(f"jixiao: {sanitize(where)}{reason(exc)}", file=sys.stderr)
        return 2


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so that temp files are removed on the way out."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _stdout_failed() -> bool:
    """Whether stdout cannot be written (a closed pipe, a full device); if so it is pointed at
    /dev/null so that the interpreter's last flush does not print a second error."""
    try:
        sys.stdout.flush()
        return False
    except OSError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return True


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
