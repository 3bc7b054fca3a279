"""Nothing a user has is overwritten or lost, and every failure is one clear line (exit code 2).

Fault injection with monkeypatched writes, real concurrent processes for the index lock, real special
files. Index bookkeeping tests use the fake embedder (they are not about retrieval quality)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import JixiaoError
from assistant.files import atomic_write_text, write_output
from tests.index.fakes import FakeEmbedder

ROOT = Path(__file__).parents[1]
EX2024 = ROOT / "examples" / "futian_2024.yaml"
FOREIGN = ROOT / "tests" / "data" / "foreign"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("jixiao: ") and "Traceback" not in err, err
    return lines[0]


# ------------------------------------------------------------------ outputs never lose a file


@pytest.fixture
def figures(tmp_path: Path) -> Path:
    path = tmp_path / "figures.yaml"
    path.write_text(EX2024.read_text("utf-8"), "utf-8")
    return path


def test_draft_refuses_to_overwrite_its_own_input(tmp_path, figures, capsys) -> None:
    before = figures.read_bytes()
    for flag in ("-o", "--docx"):
        code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), flag, str(figures), "--force")
        assert code == 2 and "输入文件" in one_line_error(err)
    assert figures.read_bytes() == before


def test_existing_output_needs_force_and_keeps_its_mode(tmp_path, figures, capsys) -> None:
    out = tmp_path / "自评.md"
    out.write_text("我手改过的稿子", "utf-8")
    os.chmod(out, 0o640)
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), "-o", str(out))
    assert code == 2 and "--force" in one_line_error(err) and out.read_text("utf-8") == "我手改过的稿子"
    code, _, _ = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), "-o", str(out), "--force")
    assert code == 0 and "96.15" in out.read_text("utf-8") and (out.stat().st_mode & 0o777) == 0o640


def test_markdown_and_word_to_one_file_is_refused(tmp_path, figures, capsys) -> None:
    out = tmp_path / "x.out"
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), "-o", str(out), "--docx", str(out))
    assert code == 2 and "同一个文件" in one_line_error(err) and not out.exists()


def test_a_symlink_is_not_replaced(tmp_path, figures, capsys) -> None:
    real = tmp_path / "real.md"
    real.write_text("keep", "utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), "-o", str(link), "--force")
    assert code == 2 and "符号链接" in one_line_error(err)
    assert link.is_symlink() and real.read_text("utf-8") == "keep"


def test_a_folder_as_output_is_a_clear_error(tmp_path, figures, capsys) -> None:
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), "-o", str(tmp_path))
    assert code == 2 and "文件夹" in one_line_error(err)


def test_full_disk_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch) -> None:
    target = tmp_path / "draft.md"
    target.write_text("old", "utf-8")

    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(JixiaoError, match="磁盘已满"):
        write_output(target, "new", force=True)
    assert target.read_text("utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["draft.md"]


def test_no_permission_is_one_line(tmp_path, monkeypatch) -> None:
    def denied(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(JixiaoError, match="没有写入权限"):
        atomic_write_text(tmp_path / "a.md", "x")
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------ the index: lock, checksums, debris


def small_report(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(f"{text}绩效评价报告\n\n一、基本情况\n\n{text}的项目资金使用情况良好，预算执行率为 98.5%。\n", "utf-8")
    return path


def test_two_index_processes_adding_different_reports_both_keep_theirs(tmp_path: Path) -> None:
    """Real processes on one home: the second waits for the first (lock), and neither loses its report."""
    home = tmp_path / "home"
    a, b = small_report(tmp_path, "甲.txt", "甲单位"), small_report(tmp_path, "乙.txt", "乙单位")
    env = {**os.environ, "JIXIAO_HOME": str(home)}
    procs = [subprocess.Popen([sys.executable, "-m", "assistant", "--no-bundled", "index", str(p), "--json"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for p in (a, b)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    manifest = json.loads((home / "index" / "manifest.json").read_text("utf-8"))
    assert set(manifest["documents"]) == {"甲.txt", "乙.txt"}
    assert set(json.loads((home / "added.json").read_text("utf-8"))) == {str(a.resolve()), str(b.resolve())}


def test_a_corrupted_vector_file_of_the_same_size_is_detected(tmp_path: Path, corpus) -> None:
    from index.store import SearchIndex

    root = tmp_path / "index"
    idx = SearchIndex(root, FakeEmbedder())
    idx.update([corpus.get("002")])
    faiss_file = root / "dense.faiss"
    data = bytearray(faiss_file.read_bytes())
    data[100:4196] = os.urandom(4096)
    faiss_file.write_bytes(bytes(data))
    again = SearchIndex(root, FakeEmbedder())
    assert again.damaged and "checksum" in again.damaged and "已损坏" in again.damaged
    assert again.stale_reason() == again.damaged  # the next update rebuilds it


def test_a_killed_build_leaves_no_debris(tmp_path: Path, corpus) -> None:
    from index.store import SearchIndex

    root = tmp_path / "index"
    SearchIndex(root, FakeEmbedder()).update([corpus.get("002")])
    dead = tmp_path / ".index.tmp-999999"
    dead.mkdir()
    (dead / "dense.faiss").write_bytes(b"x" * 1000)
    SearchIndex(root, FakeEmbedder())
    assert not dead.exists()


def test_home_that_is_a_file_fails_before_any_work(tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder", "utf-8")
    code, _, err = run(capsys, "--home", str(home), "index")
    assert code == 2 and "应是一个文件夹" in one_line_error(err)


# ------------------------------------------------------------------ settings and inputs


def test_colon_separated_corpus_paths_in_the_environment(tmp_path, capsys, monkeypatch) -> None:
    one = FOREIGN / "04_jiangsu_cppcc_office_2019_budget_tables.txt"
    two = FOREIGN / "01_shanghai_putuo_justice_2026_dept_budget.txt"
    monkeypatch.setenv("JIXIAO_CORPUS_PATHS", f"{one}{os.pathsep}{two}")
    code, out, _ = run(capsys, "--home", str(tmp_path), "--no-bundled", "reports", "--json")
    assert code == 0 and {r["doc"] for r in json.loads(out)} == {one.name, two.name}


@pytest.mark.parametrize("value", ["-1", "0", "abc"])
def test_bad_max_file_size_is_refused(tmp_path, capsys, monkeypatch, value: str) -> None:
    monkeypatch.setenv("JIXIAO_MAX_FILE_MB", value)
    code, _, err = run(capsys, "--home", str(tmp_path), "reports")
    assert code == 2 and "JIXIAO_MAX_FILE_MB" in one_line_error(err)


def test_special_files_are_refused_at_once(tmp_path, capsys) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        code, _, err = run(capsys, "--home", str(tmp_path / "h"), "--corpus", str(path), "reports")
        assert code == 2 and "不是普通文件" in one_line_error(err)


def test_utf16_report_is_read(tmp_path, capsys) -> None:
    src = (FOREIGN / "04_jiangsu_cppcc_office_2019_budget_tables.txt").read_text("utf-8")
    path = tmp_path / "notepad.txt"
    path.write_bytes(src.encode("utf-16"))  # with a byte-order mark, as Notepad saves "Unicode"
    code, out, err = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(path), "reports", "--json")
    assert code == 0 and json.loads(out)[0]["year"] == "2019", err


def test_same_file_name_in_two_folders_keeps_both_and_says_so(tmp_path, capsys) -> None:
    for folder, text in (("a", "甲单位"), ("b", "乙单位")):
        (tmp_path / folder).mkdir()
        small_report(tmp_path / folder, "report.txt", text)
    code, out, err = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(tmp_path / "a"),
                         "--corpus", str(tmp_path / "b"), "reports", "--json")
    assert code == 0 and {r["doc"] for r in json.loads(out)} == {"report.txt", "b/report.txt"}
    assert "同名" in err


def test_a_user_copy_of_a_bundled_report_is_the_one_read(tmp_path, capsys) -> None:
    bundled = ROOT / "corpus" / "002_7caf6f40ccb13888.txt"
    mine = tmp_path / bundled.name
    mine.write_text(bundled.read_text("utf-8").replace("94.94", "95.94", 1), "utf-8")
    code, out, err = run(capsys, "--home", str(tmp_path / "h"), "--corpus", str(tmp_path), "reports", "--json")
    rows = {r["doc"]: r for r in json.loads(out)}
    assert code == 0 and rows[bundled.name]["total_score"] == 95.94 and "内置报告" in err


def test_index_of_a_missing_path_is_an_error(tmp_path, capsys) -> None:
    code, _, err = run(capsys, "--home", str(tmp_path), "--no-bundled", "index", str(tmp_path / "nope.txt"))
    assert code == 2 and "不存在" in one_line_error(err)


def test_search_k_must_be_positive(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--home", str(tmp_path), "search", "-k", "0", "预算"])
    assert exc.value.code == 2 and "正整数" in capsys.readouterr().err


def test_not_a_number_and_huge_amounts_are_clear_errors(tmp_path, figures, capsys) -> None:
    code, _, err = run(capsys, "rules", "apply", "编外人员控制率", "value=nan")
    assert code == 2 and "不是有效的数值" in one_line_error(err)
    figures.write_text(figures.read_text("utf-8").replace("actual: 23,063.68 万元", "actual: 1.0e+308", 1), "utf-8")
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures))
    assert code == 2 and "不是合理的金额" in one_line_error(err)


def test_template_errors_are_one_line(tmp_path, figures, capsys) -> None:
    broken = tmp_path / "tpl"
    (broken / "draft").mkdir(parents=True)
    (broken / "draft" / "basic.j2").write_text("{% if %}", "utf-8")
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), "--templates", str(broken))
    assert code == 2 and "模板语法错误" in one_line_error(err)
    (broken / "draft" / "basic.j2").write_text("{{ ''.__class__.__mro__ }}", "utf-8")
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "draft", str(figures), "--templates", str(broken))
    assert code == 2 and "沙箱" in one_line_error(err)


# ------------------------------------------------------------------ the terminal


def hostile_report(folder: Path) -> Path:
    path = folder / "hostile.txt"
    path.write_text("某局[/note]2024年度[bold]部门[see annex]预算\n\n一、基本情况\x1b]0;pwned\x07\n\n"
                    "预算执行率为\x1b[5;31m 98.5% \x1b[0m，情况良好。\n", "utf-8")
    return path


def test_markup_in_a_title_is_shown_not_interpreted(tmp_path, capsys) -> None:
    path = hostile_report(tmp_path)
    code, out, err = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(path), "reports")
    assert code == 0 and "[/note]" in out and "\x1b" not in out, err  # no crash, markup shown as text
    code, out, _ = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(path), "reports", "--json")
    assert "[see annex]" in json.loads(out)[0]["title"]  # and no text lost
    code, out, _ = run(capsys, "--home", str(tmp_path / "h"), "--no-bundled", "--corpus", str(path), "sections", "hostile")
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "[/note]" in out


def test_a_very_long_question_is_refused_at_once(tmp_path: Path) -> None:
    from assistant.api import Session
    from assistant.config import load_settings
    from assistant.qa import Conversation

    a = Conversation(Session(load_settings(home=tmp_path))).ask("预算执行率" * 8000)
    assert not a.answered and "问题过长" in a.answer and a.seconds < 1
