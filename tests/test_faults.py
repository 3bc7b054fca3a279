"""What the fault battery (bench/faults.py) found, each pinned on real files and processes: temp
files of killed writers, special files, damaged settings and lists, odd file names, templates that
misbehave, signals, a program without a terminal, and the app's build racing a shell `index`.
Every user error is one line in Chinese with exit code 2."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.cli import main
from tests.index.fakes import FakeEmbedder

ROOT = Path(__file__).parents[1]
EX2024 = ROOT / "examples" / "futian_2024.yaml"
FOREIGN = ROOT / "tests" / "data" / "foreign"
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    """The one error line (warnings about skipped files may come before it)."""
    lines = [ln for ln in err.strip().splitlines() if ln.strip() and not ln.startswith("jixiao: 警告")]
    assert len(lines) == 1 and lines[0].startswith("jixiao: ") and "Traceback" not in err, err
    return lines[0]


def chinese(line: str) -> bool:
    """Says something in Chinese outside the paths it names."""
    return bool(CJK.search(re.sub(r"/[^\s：（），；]*", "", line)))


def jixiao(*argv: str, home: Path, timeout: float = 120, env: dict[str, str] | None = None,
           **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The CLI as a separate process (for what could hang or kill a test process)."""
    full_env = {**os.environ, "JIXIAO_HOME": str(home), "PYTHONPATH": str(ROOT), **(env or {})}
    streams = kwargs or {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run([sys.executable, "-m", "assistant", *argv], env=full_env, cwd=ROOT, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, **streams)  # type: ignore[call-overload]


def small_report(folder: Path, name: str, unit: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{unit}2024年度项目支出绩效评价报告\n\n一、基本情况\n\n{unit}的项目资金使用情况良好，预算执行率为 98.5%。\n",
                    "utf-8")
    return path


# ------------------------------------------------------------------ temp files of killed writers


KILL_AT_REPLACE = """
import os, signal, sys
from pathlib import Path
real = os.replace
os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
from assistant.files import write_output
write_output(Path(sys.argv[1]), "新稿", force=True)
"""


def test_a_killed_writer_keeps_the_old_file_and_its_temp_is_removed_by_the_next_write(tmp_path: Path) -> None:
    from assistant.files import write_output

    target = tmp_path / "自评.md"
    target.write_text("旧稿", "utf-8")
    proc = subprocess.run([sys.executable, "-c", KILL_AT_REPLACE, str(target)], cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == -signal.SIGKILL
    debris = [p for p in tmp_path.iterdir() if p.name != "自评.md"]
    assert target.read_text("utf-8") == "旧稿" and len(debris) == 1 and debris[0].name.startswith(".自评.md.")
    live = tmp_path / f".自评.md.{os.getppid()}.abcd.tmp"  # a writer that is still running: left alone
    live.write_text("x", "utf-8")
    write_output(target, "新稿", force=True)
    assert target.read_text("utf-8") == "新稿"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["自评.md", live.name])


def test_cache_temps_of_dead_processes_are_removed_and_a_home_that_is_a_file_only_costs_time(tmp_path: Path) -> None:
    from index.cache import cached

    folder = tmp_path / "cache"
    folder.mkdir()
    dead = folder / ".doc-0123.pkl.999999999.tmp"
    dead.write_bytes(b"half a pickle")
    assert cached(folder, "doc", "k", lambda: 42) == 42
    assert not dead.exists() and cached(folder, "doc", "k", lambda: 0) == 42
    home = tmp_path / "home"
    home.write_text("not a folder", "utf-8")
    assert cached(home / "cache", "doc", "k", lambda: 7) == 7  # no NotADirectoryError


def test_the_index_tidies_temp_files_a_killed_process_left_in_the_home(tmp_path: Path) -> None:
    from index.store import SearchIndex

    home = tmp_path / "home"
    home.mkdir()
    dead = home / ".added.json.999999999.k2j3_x.tmp"
    live = home / f".conversation.json.{os.getppid()}.a8b.tmp"
    mine = home / "my.notes.1.2.tmp"  # not a temp name of jixiao's (no leading dot): kept
    for p in (dead, live, mine):
        p.write_text("x", "utf-8")
    SearchIndex(home / "index", FakeEmbedder())
    assert not dead.exists() and live.exists() and mine.exists()


# ------------------------------------------------------------------ settings, lists, names


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"max_file_mb = = 3\n", "第 1 行"), ("# 设置\nmax_file_mb = 3\n".encode("gbk"), "UTF-8"), (None, "文件夹")],
)
def test_a_bad_config_file_is_one_chinese_line(tmp_path, capsys, content: bytes | None, needle: str) -> None:
    cfg = tmp_path / "config.toml"
    if content is None:
        cfg.mkdir()
    else:
        cfg.write_bytes(content)
    code, _, err = run(capsys, "--home", str(tmp_path), "reports")
    line = one_line_error(err)
    assert code == 2 and needle in line and "config.toml" in line and chinese(line)


def test_a_fifo_as_config_file_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "config.toml")
    proc = jixiao("reports", home=tmp_path, timeout=60)
    assert proc.returncode == 2 and "不是普通文件" in one_line_error(proc.stderr)


def test_corpus_paths_missing_in_chinese_and_a_json_list_still_read(tmp_path, capsys, monkeypatch) -> None:
    code, _, err = run(capsys, "--home", str(tmp_path), "--corpus", str(tmp_path / "nope.txt"), "reports")
    line = one_line_error(err)
    assert code == 2 and "nope.txt" in line and "不存在" in line
    report = small_report(tmp_path / "r", "甲.txt", "甲单位")
    monkeypatch.setenv("JIXIAO_CORPUS_PATHS", json.dumps([str(report)]))
    code, out, _ = run(capsys, "--home", str(tmp_path), "--no-bundled", "reports", "--json")
    assert code == 0 and [r["doc"] for r in json.loads(out)] == ["甲.txt"]


def test_a_damaged_added_list_is_warned_about_and_never_overwritten(tmp_path, capsys) -> None:
    home = tmp_path / "home"
    home.mkdir()
    added = home / "added.json"
    added.write_text('["/data/报告/甲.txt", ', "utf-8")
    before = added.read_bytes()
    code, _, err = run(capsys, "--home", str(home), "--no-bundled", "reports")
    assert code == 0 and "added.json" in err and "已损坏" in err
    code, _, err = run(capsys, "--home", str(home), "--no-bundled", "index", str(small_report(tmp_path, "乙.txt", "乙单位")))
    assert code == 2 and "added.json" in one_line_error(err) and added.read_bytes() == before


def test_a_file_name_that_is_not_utf8_is_listed(tmp_path, capsys) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/\xb1\xa8\xb8\xe6.txt", "wb") as f:  # 报告.txt in GBK
        f.write("甲单位2024年度项目支出绩效评价报告\n\n一、基本情况\n\n预算执行率为 98.5%。\n".encode())
    for extra in ([], ["--json"]):
        code, out, err = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(folder), "reports", *extra)
        assert code == 0 and "甲单位" in out and "Traceback" not in err
    out.encode("utf-8")  # printable: no lone surrogates


def test_unknown_and_ambiguous_documents_are_chinese(tmp_path, capsys) -> None:
    for key, needle in (("nope", "没有报告 'nope'"), ("00", "对应多份报告")):
        code, _, err = run(capsys, "--home", str(tmp_path), "sections", key)
        assert code == 2 and needle in one_line_error(err)


@pytest.mark.parametrize("name", ["empty.txt", "scan.txt", "readme.txt"])
def test_skipped_files_are_warned_about_in_chinese(tmp_path, capsys, name: str) -> None:
    folder = tmp_path / "reports"
    small_report(folder, "甲.txt", "甲单位")
    data = {"empty.txt": b"", "scan.txt": bytes(range(256)) * 64, "readme.txt": b"not a report\n" * 9}[name]
    (folder / name).write_bytes(data)
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(folder), "reports")
    warning = next(ln for ln in err.splitlines() if name in ln)
    assert code == 0 and warning.startswith("jixiao: 警告：") and chinese(warning.removeprefix("jixiao: 警告："))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, capsys, encoding: str) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("甲单位2024年度项目支出绩效评价报告\n\n一、基本情况\n\n预算执行率为 98.5%。\n".encode(encoding))
    code, out, err = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(path), "reports", "--json")
    assert code == 0 and "甲单位" in json.loads(out)[0]["title"], err


def test_a_missing_embedding_model_fails_before_any_work(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("JIXIAO_EMBEDDER", str(tmp_path / "nomodel"))
    start = time.perf_counter()
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "index")
    assert code == 2 and "nomodel" in one_line_error(err) and chinese(err) and time.perf_counter() - start < 20


# ------------------------------------------------------------------ figures and templates


def figures(tmp_path: Path, edit=lambda s: s) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "figures.yaml"
    path.write_text(edit(EX2024.read_text("utf-8")), "utf-8")
    return path


def test_a_key_given_twice_is_named_with_its_line(tmp_path, capsys) -> None:
    path = figures(tmp_path, lambda s: s.replace("satisfaction: 95", "satisfaction: 95\nsatisfaction: 85", 1))
    code, _, err = run(capsys, "score", str(path))
    line = one_line_error(err)
    assert code == 2 and "figures.yaml" in line and "satisfaction" in line and "重复" in line
    assert re.search(r"第 \d+ 行", line)


def test_not_a_number_in_figures_is_said_in_chinese(tmp_path, capsys) -> None:
    path = figures(tmp_path, lambda s: s.replace("actual: 23,063.68 万元", "actual: .nan", 1))
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(path))
    line = one_line_error(err)
    assert code == 2 and "budget.actual" in line and "Input should" not in line


def test_special_files_as_figures_do_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "figures.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        proc = jixiao("score", str(path), home=tmp_path / "h", timeout=60)
        assert proc.returncode == 2 and "不是普通文件" in one_line_error(proc.stderr)


def test_rules_apply_names_the_bad_pair(capsys) -> None:
    code, _, err = run(capsys, "rules", "apply", "编外人员控制率", "value=inf")
    assert code == 2 and "value=inf" in one_line_error(err)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "递归"),
        ("{% for i in range(10**12) %}x{% endfor %}", "沙箱"),
        ("{{ no_such_thing }}", "no_such_thing"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ],
)
def test_a_misbehaving_template_is_one_line(tmp_path, capsys, body: str, needle: str) -> None:
    tpl = tmp_path / "tpl"
    (tpl / "draft").mkdir(parents=True)
    (tpl / "draft" / "basic.j2").write_text(body, "utf-8")
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures(tmp_path)), "--templates", str(tpl))
    line = one_line_error(err)
    assert code == 2 and needle in line and chinese(line)


@pytest.mark.parametrize("where", ["nope", "/dev/zero"])
def test_a_templates_folder_that_is_not_one_is_refused(tmp_path, capsys, where: str) -> None:
    folder = tmp_path / where if where == "nope" else Path(where)
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures(tmp_path)), "--templates", str(folder))
    assert code == 2 and "模板文件夹" in one_line_error(err)


# ------------------------------------------------------------------ terminals, streams, signals


def test_the_app_without_a_terminal_says_so_instead_of_waiting(tmp_path: Path) -> None:
    proc = jixiao("tui", home=tmp_path, timeout=60)
    assert proc.returncode == 2 and "终端" in one_line_error(proc.stderr)


def test_stdout_on_a_full_device_is_one_chinese_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = jixiao("rules", home=tmp_path, stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 2 and "磁盘已满" in one_line_error(proc.stderr)


def test_sigterm_while_embedding_stops_cleanly_and_keeps_the_old_index(tmp_path: Path) -> None:
    """A real build killed with SIGTERM (what `kill` and service managers send): one line, exit 143,
    the previous index untouched, and no temp files."""
    home = tmp_path / "home"
    assert jixiao("--no-bundled", "index", str(small_report(tmp_path, "甲.txt", "甲单位")), home=home, timeout=600).returncode == 0
    before = {p.name: p.read_bytes() for p in (home / "index").iterdir()}
    env = {**os.environ, "JIXIAO_HOME": str(home), "PYTHONPATH": str(ROOT)}
    err_path = tmp_path / "err"
    with err_path.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "assistant", "--no-bundled", "index",
                                 str(FOREIGN / "02_jiangsu_procuratorate_2019_dept_budget.txt")],
                                env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 600
    while not re.search(r"嵌入段落 [1-9]\d*/", err_path.read_text("utf-8")) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=300) == 143
    lines = [ln for ln in err_path.read_text("utf-8").splitlines() if not ln.startswith("嵌入段落")]
    assert lines == ["jixiao: 已终止"]
    assert {p.name: p.read_bytes() for p in (home / "index").iterdir()} == before
    assert not [p for p in home.rglob("*") if ".tmp" in p.name]


# ------------------------------------------------------------------ the app's build and a shell index


def test_an_update_from_a_session_that_missed_a_shell_index_keeps_the_shell_s_report(tmp_path: Path) -> None:
    """The app loaded its corpus; a shell `index PATH` then added a report and built; the app's own
    update (queued on the lock) must not drop that report from the index."""
    from assistant.api import Session
    from assistant.config import load_settings

    mine = small_report(tmp_path / "mine", "丙.txt", "丙单位")

    def session() -> Session:
        s = Session(load_settings(home=tmp_path / "home", corpus_paths=[mine], include_bundled=False))
        s.__dict__["embedder"] = FakeEmbedder()
        return s

    app = session()
    assert app.index_status()  # the app sees a new report and will update
    _ = app.corpus
    shell = session()
    shell.build_index(paths=[small_report(tmp_path, "乙.txt", "乙单位")])
    app.refresh_index()
    manifest = json.loads((tmp_path / "home" / "index" / "manifest.json").read_text("utf-8"))
    assert set(manifest["documents"]) == {"丙.txt", "乙.txt"}
    assert {d.id for d in app.corpus} == {"丙.txt", "乙.txt"}
