"""Fault battery (issue #18): bad inputs, faults and concurrency, tried as a careful user would.

    python bench/faults.py [-k SUBSTRING ...] [--fast] [--list] [--json FILE] [--keep]

Every scenario runs real `jixiao` processes (this tree first on PYTHONPATH) in a temporary
JIXIAO_HOME (never the user's), each with a timeout, and classifies what it saw:

- traceback   'Traceback' in any stderr;
- data loss   a file that had to stay (hash, mode, symlink) changed or disappeared;
- hang        a process ran past its timeout;
- raw escape  ESC or another control character (C0 except \\n and \\t, and C1) in stdout or stderr;
- unclear     a user error whose exit code is not 2, or that takes more than one line, or a message
              with no Chinese in it (the CLI speaks Chinese);
- wrong       none of the above, but not what was expected (a warning missing, debris left, …);
- OK.

It prints one row per scenario (scenario, expected, observed, verdict) and the count per verdict.
Faults are real where this machine allows: a small tmpfs for a full disk and a read-only bind mount
for a read-only folder when run as root (else a sitecustomize shim that makes os.replace/os.rename
fail with ENOSPC, and chmod); kills at an exact point (just before a rename) use the same shim.
The 5 MB one-line report is really 5 MB; it is stopped with Ctrl-C once its progress is seen.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import print_table  # noqa: E402

PY = sys.executable
EX2024 = ROOT / "examples" / "futian_2024.yaml"
EX2021 = ROOT / "examples" / "futian_2021.yaml"
FOREIGN = ROOT / "tests" / "data" / "foreign"
BUNDLED = ROOT / "corpus"
VERDICTS = ["OK", "data loss", "traceback", "hang", "raw escape", "unclear", "wrong"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PATH = re.compile(r"/[^\s：（），；]*")  # a path up to whitespace or Chinese punctuation
_RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EMBEDDING = r"^嵌入段落 [1-9]\d*/"  # a progress line once passages are being embedded
_NOT_ERROR = ("jixiao: 警告", "jixiao: 提示", "jixiao: 重建整个索引", "jixiao: 还没有检索索引", "嵌入段落",
              "jixiao: 另一个 jixiao 进程", "已写入")

SHIM = r'''
import errno, os, signal
_spec = os.environ.get("BENCH_FAULT", "")
if _spec:
    _action, _funcs, _needle = _spec.split(":", 2)
    def _wrap(name, orig):
        def fault(*args, **kwargs):
            if _needle in " ".join(str(a) for a in args):
                if _action == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[-1]))
            return orig(*args, **kwargs)
        return fault
    for _name in _funcs.split(","):
        setattr(os, _name, _wrap(_name, getattr(os, _name)))
'''


def report_text(unit: str, extra: str = "") -> str:
    return (f"{unit}2024年度项目支出绩效评价报告\n\n一、基本情况\n\n{unit}的项目资金使用情况良好，"
            f"预算执行率为 98.5%。{extra}\n\n二、存在问题\n\n个别项目进度偏慢。\n")


HOSTILE = ("某局[/note]2024年度[bold]部门[see annex]预算绩效评价报告\n\n一、基本情况\x1b]0;pwned\x07\n\n"
           "某局预算执行率为\x1b[5;31m 98.5% \x1b[0m，情况良好\x9b31m。\r伪造的一行\x08。\n\n"
           "二、评分\n\n预算执行率，分值4分，得分3.5分，扣0.5分。扣分原因：\x1b[2J执行偏慢。\n")


def chinese(line: str) -> bool:
    """Whether a message says something in Chinese (paths, which may be Chinese, do not count)."""
    return bool(_CJK.search(_PATH.sub("", line)))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ processes


@dataclass
class Proc:
    argv: list[str]
    code: int | None
    out: bytes
    err: bytes
    seconds: float
    timed_out: bool = False
    killed_on_purpose: bool = False

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "replace")

    def error_lines(self) -> list[str]:
        lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
        if lines and (lines[0].startswith("用法") or lines[0].startswith("usage:")):
            return lines[-1:]  # argparse: its usage, then one error line
        return [ln for ln in lines if not ln.startswith(_NOT_ERROR)]

    def summary(self) -> str:
        lines = self.error_lines() or [ln for ln in self.stdout.splitlines() if ln.strip()][:1]
        first = lines[0].strip() if lines else ""
        code = "timeout" if self.timed_out else f"exit {self.code}"
        return f"{code}: {first}" if first else code


class Spawned:
    """A background process whose output goes to files (readable while it runs)."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, tag: str) -> None:
        self.argv = argv
        self.out_path = cwd / f".{tag}.out"
        self.err_path = cwd / f".{tag}.err"
        self.start = time.monotonic()
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.popen = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                          start_new_session=True)

    def err_text(self) -> str:
        return self.err_path.read_bytes().decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float) -> bool:
        """Wait until stdout or stderr holds `needle` (a regular expression if it starts with '^')."""
        def seen() -> bool:
            text = self.err_text() + self.out_path.read_bytes().decode("utf-8", "replace")
            return bool(re.search(needle[1:], text, re.M)) if needle.startswith("^") else needle in text

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if seen():
                return True
            if self.popen.poll() is not None:
                return seen()
            time.sleep(0.1)
        return False

    def signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def finish(self, timeout: float, killed_on_purpose: bool = False) -> Proc:
        timed_out = False
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            self.signal(signal.SIGKILL)
            self.popen.wait()
        return Proc(self.argv, self.popen.returncode, self.out_path.read_bytes(), self.err_path.read_bytes(),
                    time.monotonic() - self.start, timed_out, killed_on_purpose)


# ------------------------------------------------------------------ one trial


class Trial:
    """The context of one scenario: its temp folder and home, the processes it ran, what it found."""

    def __init__(self, tmp: Path, base: Bases) -> None:
        self.tmp = tmp
        self.home = tmp / "home"
        self.bases = base
        self.procs: list[Proc] = []
        self.problems: dict[str, list[str]] = {v: [] for v in VERDICTS if v != "OK"}
        self.notes: list[str] = []
        self.protected: dict[Path, tuple[object, ...] | None] = {}
        self.cleanups: list[Callable[[], None]] = []
        self._n = 0

    # -- environment
    def env(self, extra: dict[str, str] | None = None, shim: str | None = None, home: Path | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "BENCH_"))}
        path = [str(ROOT)]
        if shim:
            shim_dir = self.tmp / ".shim"
            shim_dir.mkdir(exist_ok=True)
            (shim_dir / "sitecustomize.py").write_text(SHIM, "utf-8")
            path.insert(0, str(shim_dir))
            env["BENCH_FAULT"] = shim
        env["PYTHONPATH"] = os.pathsep.join(path)
        env["JIXIAO_HOME"] = str(home or self.home)
        env["COLUMNS"] = "160"
        env.pop("PYTHONIOENCODING", None)
        env.update(extra or {})
        return env

    def jx(self, *args: str | Path, timeout: float = 90, extra: dict[str, str] | None = None, shim: str | None = None,
           stdout: int | None = None, prefix: tuple[str, ...] = (), home: Path | None = None) -> Proc:
        argv = [*prefix, PY, "-m", "assistant", *map(str, args)]
        return self.run(argv, timeout, self.env(extra, shim, home), stdout=stdout)

    def run(self, argv: list[str], timeout: float, env: dict[str, str], stdout: int | None = None) -> Proc:
        start = time.monotonic()
        popen = subprocess.Popen(argv, env=env, cwd=self.tmp, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE if stdout is None else stdout, stderr=subprocess.PIPE,
                                 start_new_session=True)
        timed_out = False
        try:
            out, err = popen.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(popen.pid, signal.SIGKILL)
            out, err = popen.communicate()
        proc = Proc(argv, popen.returncode, out or b"", err or b"", time.monotonic() - start, timed_out)
        self.procs.append(proc)
        return proc

    def spawn(self, *args: str | Path, extra: dict[str, str] | None = None, shim: str | None = None,
              argv: list[str] | None = None) -> Spawned:
        self._n += 1
        return Spawned(argv or [PY, "-m", "assistant", *map(str, args)], self.env(extra, shim), self.tmp, f"p{self._n}")

    def collect(self, proc: Proc) -> Proc:
        self.procs.append(proc)
        return proc

    # -- material
    def indexed_home(self, base: str = "bundled") -> Path:
        src = self.bases.get(base)
        shutil.copytree(src, self.home, symlinks=True)
        return self.home

    def report(self, name: str, unit: str = "甲单位", folder: Path | None = None, text: str | None = None) -> Path:
        folder = folder or self.tmp
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text(text if text is not None else report_text(unit), "utf-8")
        return path

    def figures(self, name: str = "figures.yaml", edit: Callable[[str], str] | None = None) -> Path:
        text = EX2024.read_text("utf-8")
        path = self.tmp / name
        path.write_text(edit(text) if edit else text, "utf-8")
        return path

    # -- what must not change
    @staticmethod
    def _state(path: Path) -> tuple[object, ...] | None:
        if path.is_symlink():
            return ("link", os.readlink(path))
        if not path.exists():
            return None
        if path.is_dir():
            return ("dir",)
        st = path.stat()
        return ("file", sha(path), stat.S_IMODE(st.st_mode))

    def protect(self, *paths: Path) -> None:
        for path in paths:
            if path.is_dir() and not path.is_symlink():
                for p in sorted(path.rglob("*")):
                    if p.is_file():
                        self.protected[p] = self._state(p)
            else:
                self.protected[path] = self._state(path)

    def check_protected(self) -> None:
        for path, before in self.protected.items():
            after = self._state(path)
            if after != before:
                what = "disappeared" if after is None else "link replaced" if before and before[0] == "link" else \
                    "mode changed" if before and after and before[1] == after[1] else "changed"
                self.problems["data loss"].append(f"{path.name} {what}")

    # -- expectations
    def flag(self, verdict: str, message: str) -> None:
        self.problems[verdict].append(message)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def expect_error(self, p: Proc, *needles: str) -> None:
        """A user error: exit code 2, one line, in Chinese, naming what is wrong (any of `needles`)."""
        if p.timed_out:
            return
        lines = p.error_lines()
        if p.code != 2:
            self.flag("unclear", f"exit {p.code} (want 2)")
        if len(lines) != 1:
            self.flag("unclear", f"{len(lines)} error lines")
        elif not chinese(lines[0]):
            self.flag("unclear", "English-only message")
        if needles and not any(n in p.stderr for n in needles):
            self.flag("wrong", f"message lacks {'/'.join(needles)}")

    def expect_ok(self, p: Proc, *needles: str, codes: tuple[int, ...] = (0,), where: str = "stdout") -> None:
        if p.timed_out:
            return
        if p.code not in codes:
            self.flag("wrong", f"exit {p.code}: {p.summary()[:80]}")
        text = p.stdout if where == "stdout" else p.stderr
        for n in needles:
            if n not in text:
                self.flag("wrong", f"{where} lacks {n!r}")

    def expect(self, condition: bool, message: str, verdict: str = "wrong") -> None:
        if not condition:
            self.flag(verdict, message)

    def no_debris(self, folder: Path, pattern: str = "*.tmp*") -> None:
        left = [p.name for p in folder.rglob(pattern)] if folder.exists() else []
        left += [p.name for p in folder.glob(".index.tmp-*")] if folder.exists() else []
        if left:
            self.flag("wrong", f"debris left: {', '.join(sorted(set(left)))[:80]}")

    # -- verdict
    def judge(self) -> tuple[str, str]:
        self.check_protected()
        for p in self.procs:
            if p.timed_out and not p.killed_on_purpose:
                self.flag("hang", f"no end after {p.seconds:.0f} s: {' '.join(p.argv[3:6])[:50]}")
            if "Traceback" in p.stderr:
                last = [ln for ln in p.stderr.splitlines() if ln.strip()][-1]
                self.flag("traceback", last.strip()[:90])
            for name, text in (("stdout", p.stdout), ("stderr", p.stderr)):
                m = _RAW.search(text)
                if m:
                    self.flag("raw escape", f"{name} has {m.group()!r}")
            for ln in p.stderr.splitlines():
                if ln.startswith("jixiao:") and not chinese(ln):
                    self.flag("unclear", f"English-only: {ln[:70]}")
                    break
            if "Exception ignored" in p.stderr:
                self.flag("unclear", "'Exception ignored' on stderr")
        for verdict in VERDICTS[1:]:
            if self.problems[verdict]:
                uniq = list(dict.fromkeys(self.problems[verdict]))
                return verdict, "; ".join(uniq + self.notes)
        last = self.procs[-1].summary() if self.procs else ""
        return "OK", "; ".join([*self.notes, last] if not self.notes else self.notes)


# ------------------------------------------------------------------ shared homes, special mounts


class Bases:
    """Homes built once per battery run and copied into each scenario that needs an index."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.homes: dict[str, Path] = {}
        self.hostile = tmp / "hostile" / "hostile.txt"

    def get(self, name: str) -> Path:
        if name not in self.homes:
            home = self.tmp / f"base-{name}"
            trial = Trial(self.tmp, self)
            if name == "bundled":
                p = trial.jx("index", timeout=300, home=home)
            else:  # bundled + a report full of escapes and markup, embedded (about half a minute)
                shutil.copytree(self.get("bundled"), home)
                self.hostile.parent.mkdir(exist_ok=True)
                self.hostile.write_text(HOSTILE, "utf-8")
                p = trial.jx("index", self.hostile, timeout=600, home=home)
            if p.code != 0:
                raise RuntimeError(f"could not build the {name} home: {p.stderr[-500:]}")
            self.homes[name] = home
        return self.homes[name]


@contextlib.contextmanager
def tmpfs(path: Path, size_kb: int) -> Iterator[bool]:
    """A small tmpfs at `path` (root only); yields whether it is mounted."""
    path.mkdir(parents=True, exist_ok=True)
    ok = IS_ROOT and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
                                    capture_output=True).returncode == 0
    try:
        yield ok
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[str]:
    """`path` made read-only: a read-only bind mount as root (chmod does not stop root), else chmod."""
    if IS_ROOT:
        a = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
        b = subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True) if a.returncode == 0 else a
        if b.returncode == 0:
            try:
                yield "read-only bind mount"
            finally:
                subprocess.run(["umount", "-l", str(path)], capture_output=True)
            return
        if a.returncode == 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in [path, *path.rglob("*")] if not p.is_symlink()}
    for p in modes:
        os.chmod(p, modes[p] & ~0o222)
    try:
        yield "chmod a-w"
    finally:
        for p, m in modes.items():
            os.chmod(p, m)


def fill(folder: Path) -> None:
    """Fill the file system of `folder` to the last byte."""
    for name, block in (("filler", 4096), ("filler2", 1)):
        with contextlib.suppress(OSError), (folder / name).open("wb", buffering=0) as f:
            while True:
                f.write(b"\0" * block)


def index_valid(t: Trial, home: Path) -> bool:
    """The index at home/index is complete: its files match the manifest's checksums."""
    root = home / "index"
    try:
        manifest = json.loads((root / "manifest.json").read_text("utf-8"))
        return all(sha(root / name) == digest for name, digest in manifest.get("checksums", {}).items()) \
            and bool(manifest.get("checksums"))
    except (OSError, ValueError):
        return False


def manifest_docs(home: Path) -> set[str]:
    try:
        return set(json.loads((home / "index" / "manifest.json").read_text("utf-8"))["documents"])
    except (OSError, ValueError, KeyError):
        return set()


# ------------------------------------------------------------------ the scenarios


@dataclass
class Scenario:
    name: str
    expected: str
    fn: Callable[[Trial], None]
    slow: bool = False


SCENARIOS: list[Scenario] = []


def scenario(expected: str, slow: bool = False) -> Callable[[Callable[[Trial], None]], Callable[[Trial], None]]:
    def register(fn: Callable[[Trial], None]) -> Callable[[Trial], None]:
        SCENARIOS.append(Scenario(fn.__name__, expected, fn, slow))
        return fn
    return register


# -- outputs: nothing a user has is overwritten


@scenario("refused, figures kept")
def draft_o_onto_its_figures(t: Trial) -> None:
    f = t.figures()
    t.protect(f)
    t.expect_error(t.jx("draft", f, "-o", f), "输入")


@scenario("refused, figures kept")
def draft_docx_onto_its_figures(t: Trial) -> None:
    f = t.figures()
    t.protect(f)
    t.expect_error(t.jx("draft", f, "--docx", f), "输入")


@scenario("refused even with --force")
def draft_o_onto_its_figures_force(t: Trial) -> None:
    f = t.figures()
    t.protect(f)
    t.expect_error(t.jx("draft", f, "-o", f, "--force"), "输入")


@scenario("refused, previous year's file kept")
def draft_o_onto_previous(t: Trial) -> None:
    f, prev = t.figures(), t.tmp / "prev.yaml"
    prev.write_text(EX2021.read_text("utf-8"), "utf-8")
    t.protect(f, prev)
    t.expect_error(t.jx("draft", f, "--previous", prev, "-o", prev, "--force"), "输入")


@scenario("refused: a hard link to the input is the input")
def draft_o_hardlink_to_figures(t: Trial) -> None:
    f = t.figures()
    h = t.tmp / "same.yaml"
    os.link(f, h)
    t.protect(f)
    t.expect_error(t.jx("draft", f, "-o", h, "--force"), "输入")


@scenario("refused without --force, file kept")
def draft_o_existing_without_force(t: Trial) -> None:
    f, out = t.figures(), t.tmp / "自评.md"
    out.write_text("我手改过的稿子", "utf-8")
    t.protect(out)
    t.expect_error(t.jx("draft", f, "-o", out), "--force")


@scenario("replaced with --force, mode 0640 kept")
def draft_o_existing_with_force_keeps_mode(t: Trial) -> None:
    f, out = t.figures(), t.tmp / "自评.md"
    out.write_text("旧稿", "utf-8")
    os.chmod(out, 0o640)
    p = t.jx("draft", f, "-o", out, "--force")
    t.expect_ok(p)
    t.expect("96.15" in out.read_text("utf-8"), "draft not written")
    t.expect(stat.S_IMODE(out.stat().st_mode) == 0o640, f"mode now {stat.S_IMODE(out.stat().st_mode):o}", "data loss")


@scenario("refused without --force, .docx kept")
def draft_docx_existing_without_force(t: Trial) -> None:
    f, out = t.figures(), t.tmp / "自评.docx"
    out.write_bytes(b"PK\x03\x04 my edited word file")
    t.protect(out)
    t.expect_error(t.jx("draft", f, "--docx", out), "--force")


@scenario("refused: -o X --docx X, nothing written")
def draft_o_and_docx_same_file(t: Trial) -> None:
    f, out = t.figures(), t.tmp / "x.out"
    t.expect_error(t.jx("draft", f, "-o", out, "--docx", out), "同一个")
    t.expect(not out.exists(), "a file was written")


@scenario("refused, link and its target kept")
def draft_o_symlink(t: Trial) -> None:
    f, real, link = t.figures(), t.tmp / "real.md", t.tmp / "link.md"
    real.write_text("keep", "utf-8")
    link.symlink_to(real)
    t.protect(real, link)
    t.expect_error(t.jx("draft", f, "-o", link, "--force"), "符号链接")


@scenario("refused (dangling link), nothing created")
def draft_o_dangling_symlink(t: Trial) -> None:
    f, link = t.figures(), t.tmp / "link.md"
    link.symlink_to(t.tmp / "nowhere.md")
    t.protect(link)
    t.expect_error(t.jx("draft", f, "-o", link), "符号链接")
    t.expect(not (t.tmp / "nowhere.md").exists(), "link target created")


@scenario("one line: a folder is not a file")
def draft_o_folder(t: Trial) -> None:
    f = t.figures()
    (t.tmp / "out").mkdir()
    t.expect_error(t.jx("draft", f, "-o", t.tmp / "out"), "文件夹")


@scenario("one line: no write permission, nothing left")
def draft_o_read_only_folder(t: Trial) -> None:
    f, ro = t.figures(), t.tmp / "ro"
    ro.mkdir()
    with read_only(ro) as how:
        t.note(how)
        t.expect_error(t.jx("draft", f, "-o", ro / "out.md"), "权限", "只读")
        t.expect(not list(ro.iterdir()), "something written")


def _full_disk(t: Trial, flag: str, name: str) -> None:
    f, full = t.figures(), t.tmp / "full"
    with tmpfs(full, 64) as mounted:
        if mounted:
            t.note("tmpfs 64 KB")
            old = full / name
            old.write_bytes(b"old draft")
            fill(full)
            t.protect(old)
            p = t.jx("draft", f, flag, old, "--force")
        else:
            t.note("ENOSPC shim")
            full.mkdir(exist_ok=True)
            old = full / name
            old.write_bytes(b"old draft")
            t.protect(old)
            p = t.jx("draft", f, flag, old, "--force", shim="enospc:replace,rename:" + name)
        t.expect_error(p, "磁盘已满")
        t.check_protected()
        t.protected.clear()  # checked here: the tmpfs is gone when the trial is judged
        t.no_debris(full, ".*.tmp")


@scenario("one line: disk full, old file kept, no temp file")
def draft_o_full_disk(t: Trial) -> None:
    _full_disk(t, "-o", "自评.md")


@scenario("one line: disk full, old file kept, no temp file")
def draft_docx_full_disk(t: Trial) -> None:
    _full_disk(t, "--docx", "自评.docx")


@scenario("parents created, draft written")
def draft_o_missing_parent_folders(t: Trial) -> None:
    f = t.figures()
    out = t.tmp / "a" / "b" / "自评.md"
    t.expect_ok(t.jx("draft", f, "-o", out))
    t.expect(out.exists(), "not written")


@scenario("one line: file name too long")
def draft_o_name_too_long(t: Trial) -> None:
    f = t.figures()
    t.expect_error(t.jx("draft", f, "-o", t.tmp / ("长" * 100 + ".md")))


@scenario("refused without --force, file kept")
def draft_init_onto_existing(t: Trial) -> None:
    f = t.figures()
    t.protect(f)
    t.expect_error(t.jx("draft", "--init", "-o", f), "--force")


@scenario("replaced with --force, mode 0600 kept")
def draft_init_force_keeps_mode(t: Trial) -> None:
    f = t.figures()
    os.chmod(f, 0o600)
    t.expect_ok(t.jx("draft", "--init", "-o", f, "--force"))
    t.expect(stat.S_IMODE(f.stat().st_mode) == 0o600, f"mode now {stat.S_IMODE(f.stat().st_mode):o}", "data loss")


@scenario("refused: --from X -o X")
def draft_init_from_onto_itself(t: Trial) -> None:
    f = t.figures()
    t.protect(f)
    t.expect_error(t.jx("draft", "--init", "--from", f, "-o", f, "--force"), "输入")


@scenario("killed before the rename: old draft kept; the next write leaves no temp file")
def draft_killed_while_writing(t: Trial) -> None:
    f, out = t.figures(), t.tmp / "自评.md"
    out.write_text("旧稿", "utf-8")
    t.protect(out)
    p = t.jx("draft", f, "-o", out, "--force", shim="kill:replace:自评.md")
    p.killed_on_purpose = True
    t.expect(p.code == -signal.SIGKILL, f"not killed (exit {p.code})")
    t.check_protected()
    t.protected.clear()
    t.expect_ok(t.jx("draft", f, "-o", out, "--force"))
    t.no_debris(t.tmp, ".自评.md*")


# -- the terminal's own streams


@scenario("stdout on a full device: one line, exit 2")
def stdout_dev_full(t: Trial) -> None:
    with open("/dev/full", "wb") as full:
        p = t.jx("reports", stdout=full.fileno())
    t.expect_error(p)


@scenario("stdout closed early (| head): quiet exit")
def stdout_broken_pipe(t: Trial) -> None:
    r, w = os.pipe()
    os.close(r)
    try:
        p = t.jx("rules", stdout=w)
    finally:
        os.close(w)
    t.expect(p.code in (0, 1, 2, 141, -13), f"exit {p.code}")
    t.expect(len([ln for ln in p.stderr.splitlines() if ln.strip()]) <= 1, "noise on stderr", "unclear")


@scenario("no terminal: help, exit 0")
def no_command_without_terminal(t: Trial) -> None:
    t.expect_ok(t.jx(), "jixiao")


@scenario("app without a terminal: one line, no hang")
def tui_without_terminal(t: Trial) -> None:
    p = t.jx("tui", timeout=40)
    t.expect_error(p, "终端")


@scenario("LC_ALL=C: Chinese output still works")
def c_locale(t: Trial) -> None:
    t.expect_ok(t.jx("rules", extra={"LC_ALL": "C", "LANG": "C"}), "预算执行率")


# -- the index: concurrency, kills, damage


@scenario("both reports in the index and in added.json", slow=True)
def concurrent_index_adds(t: Trial) -> None:
    t.indexed_home()
    a, b = t.report("甲.txt", "甲单位"), t.report("乙.txt", "乙单位")
    ps = [t.spawn("index", a), t.spawn("index", b)]
    for s in ps:
        t.expect_ok(t.collect(s.finish(600)))
    docs = manifest_docs(t.home)
    t.expect({"甲.txt", "乙.txt"} <= docs, f"manifest lacks {({'甲.txt', '乙.txt'} - docs)}", "data loss")
    t.expect(index_valid(t, t.home), "index invalid", "data loss")


@scenario("the app's build and a shell 'index PATH' at once: both kept", slow=True)
def app_build_and_shell_index(t: Trial) -> None:
    t.indexed_home()
    b = t.report("乙.txt", "乙单位")
    mine = {"JIXIAO_CORPUS_PATHS": str(t.report("丙.txt", "丙单位", folder=t.tmp / "mine"))}  # new: the app updates
    flag = t.tmp / "go"
    script = textwrap.dedent(f"""
        import pathlib, sys, time
        from assistant.api import Session
        from assistant.config import load_settings
        s = Session(load_settings())
        docs = s.corpus.documents
        status = s.index_status()
        print("ready", status, flush=True)
        while not pathlib.Path({str(flag)!r}).exists():
            time.sleep(0.05)
        if status:  # what the app does on start
            s.search_index.provisional(docs)
            s.refresh_index()
        print("done", flush=True)
    """)
    app = t.spawn(argv=[PY, "-c", script], extra=mine)
    app.wait_for("ready", 120)
    shell = t.spawn("index", b, extra=mine)
    shell.wait_for(EMBEDDING, 300)  # it holds the lock and is embedding
    flag.touch()
    t.expect_ok(t.collect(shell.finish(600)))
    t.expect_ok(t.collect(app.finish(600)), "done")
    docs = manifest_docs(t.home)
    t.expect({"乙.txt", "丙.txt"} <= docs, f"index lacks {({'乙.txt', '丙.txt'} - docs)} (work lost)", "data loss")


@scenario("three 'index --rebuild' at once: all succeed, queued (≈3× one)")
def concurrent_rebuilds(t: Trial) -> None:
    t.indexed_home()
    one = t.jx("index", "--rebuild")
    t.expect_ok(one)
    start = time.monotonic()
    ps = [t.spawn("index", "--rebuild") for _ in range(3)]
    for s in ps:
        t.expect_ok(t.collect(s.finish(300)))
    wall = time.monotonic() - start
    t.note(f"one {one.seconds:.1f} s, three at once {wall:.1f} s")
    t.expect(index_valid(t, t.home), "index invalid", "data loss")
    t.expect(wall < 6 * one.seconds + 10, "much slower than queueing")


@scenario("kill -9 while embedding: old index intact, next run fine", slow=True)
def kill9_while_embedding(t: Trial) -> None:
    t.indexed_home()
    t.protect(t.home / "index")
    s = t.spawn("index", FOREIGN / "02_jiangsu_procuratorate_2019_dept_budget.txt")
    seen = s.wait_for(EMBEDDING, 300)
    time.sleep(1)
    s.signal(signal.SIGKILL)
    t.collect(s.finish(30, killed_on_purpose=True))
    t.expect(seen, "no progress line before the kill")
    t.expect_ok(t.jx("search", "预算执行率", "-k", "1"))
    t.no_debris(t.home)


@scenario("killed just before the swap: temp index removed by the next run")
def kill9_before_index_swap(t: Trial) -> None:
    t.indexed_home()
    t.protect(t.home / "index")
    p = t.jx("index", "--rebuild", shim="kill:rename:index.old")
    p.killed_on_purpose = True
    t.expect(p.code == -signal.SIGKILL, f"not killed (exit {p.code})")
    t.expect_ok(t.jx("search", "预算执行率", "-k", "1"))
    t.no_debris(t.home)


@scenario("killed between the two renames: the old index is put back")
def kill9_between_index_renames(t: Trial) -> None:
    t.indexed_home()
    t.protect(t.home / "index")
    p = t.jx("index", "--rebuild", shim="kill:rename:.index.tmp-")
    p.killed_on_purpose = True
    t.expect(p.code == -signal.SIGKILL, f"not killed (exit {p.code})")
    t.expect(not (t.home / "index").exists(), "shim did not fire between the renames")
    t.expect_ok(t.jx("search", "预算执行率", "-k", "1"))
    t.no_debris(t.home)
    t.expect(not (t.home / "index.old").exists(), "index.old left")


@scenario("killed while writing added.json: list kept, no temp file after the next run")
def kill9_writing_added_list(t: Trial) -> None:
    t.indexed_home()
    (t.home / "added.json").write_text(json.dumps([str(FOREIGN / "04_jiangsu_cppcc_office_2019_budget_tables.txt")]),
                                       "utf-8")
    t.protect(t.home / "added.json")
    a = t.report("甲.txt")
    p = t.jx("index", a, shim="kill:replace:added.json")
    p.killed_on_purpose = True
    t.check_protected()
    t.protected.clear()
    t.expect_ok(t.jx("index"))  # the next run that touches the index tidies the home
    t.no_debris(t.home, ".added.json*")


@scenario("killed while writing the cache: no temp file after the next run")
def kill9_writing_cache(t: Trial) -> None:
    p = t.jx("reports", shim="kill:replace:.pkl")
    p.killed_on_purpose = True
    t.expect(p.code == -signal.SIGKILL, f"not killed (exit {p.code})")
    t.expect_ok(t.jx("reports"))
    t.no_debris(t.home / "cache")


@scenario("kill -9 at random moments, then one run: index valid, no debris")
def kill9_random_moments(t: Trial) -> None:
    t.indexed_home()
    for delay in (0.3, 0.8, 1.3, 1.8, 2.4, 3.0):
        s = t.spawn("index", "--rebuild")
        time.sleep(delay)
        s.signal(signal.SIGKILL)
        t.collect(s.finish(30, killed_on_purpose=True))
    t.expect_ok(t.jx("index"))
    t.expect(index_valid(t, t.home), "index invalid", "data loss")
    t.no_debris(t.home)


def _interrupt(t: Trial, sig: int) -> None:
    t.indexed_home()
    t.protect(t.home / "index")
    s = t.spawn("index", FOREIGN / "02_jiangsu_procuratorate_2019_dept_budget.txt")
    seen = s.wait_for(EMBEDDING, 300)
    time.sleep(1)
    sent = time.monotonic()
    s.signal(sig)
    p = t.collect(s.finish(120))
    t.note(f"stopped {time.monotonic() - sent:.1f} s after the signal")
    t.expect(seen, "no progress line")
    want = 130 if sig == signal.SIGINT else 143
    if p.code == 0:  # the signal was ignored and the build completed: nothing lost, but not stopped
        t.protected.clear()
        t.flag("wrong", "not stopped: ran to completion")
    t.expect(p.code in (want, -sig, 0), f"exit {p.code}")
    lines = p.error_lines()
    t.expect(len(lines) <= 1, f"{len(lines)} lines after the signal", "unclear")
    t.no_debris(t.home)


@scenario("Ctrl-C while embedding: exit 130, one line, old index intact", slow=True)
def sigint_during_index(t: Trial) -> None:
    _interrupt(t, signal.SIGINT)


@scenario("SIGTERM while embedding: old index intact, no debris", slow=True)
def sigterm_during_index(t: Trial) -> None:
    _interrupt(t, signal.SIGTERM)


@scenario("disk full while writing the index: one line, old index kept, temp removed")
def index_full_disk(t: Trial) -> None:
    base = t.bases.get("bundled")
    with tmpfs(t.home, 3 * 1024) as mounted:
        if mounted:
            t.note("tmpfs 3 MB")
            shutil.copytree(base / "index", t.home / "index")
            t.protect(t.home / "index")
            p = t.jx("index", "--rebuild")
        else:
            t.note("ENOSPC shim")
            t.indexed_home()
            t.protect(t.home / "index")
            p = t.jx("index", "--rebuild", shim="enospc:rename:index.old")
        t.expect_error(p, "磁盘已满")
        t.check_protected()
        t.protected.clear()  # checked here: the tmpfs is gone when the trial is judged
        t.no_debris(t.home)
        extra = [p.name for p in t.home.rglob("*") if p.is_file() and "cache" not in p.parts
                 and p.parent.name != "index" and p.name != "index.lock"]
        t.expect(not extra, f"left behind: {extra[:3]}")


@scenario("first index on a full disk: one line, no temp left")
def first_index_full_disk(t: Trial) -> None:
    with tmpfs(t.home, 1024) as mounted:
        if not mounted:
            t.note("skipped (needs root for a tmpfs)")
            return
        t.note("tmpfs 1 MB")
        t.expect_error(t.jx("index"), "磁盘已满")
        t.no_debris(t.home)


@scenario("4 KB overwritten in dense.faiss: detected, never wrong results")
def dense_faiss_overwritten(t: Trial) -> None:
    t.indexed_home()
    faiss = t.home / "index" / "dense.faiss"
    data = bytearray(faiss.read_bytes())
    data[100:4196] = bytes((b ^ 0x5A) for b in data[100:4196])
    faiss.write_bytes(bytes(data))
    p = t.jx("search", "预算执行率", "-k", "3", "--json")
    if p.code == 0:  # allowed only if it rebuilt the index first
        scores = [h["score"] for h in json.loads(p.stdout or "[]")]
        t.expect(all(abs(s) < 10 for s in scores), f"scores {scores[:2]}", "data loss")
        t.expect(index_valid(t, t.home), "damaged index kept")
    else:
        t.expect_error(p, "损坏")


@scenario("dense.faiss truncated: detected")
def dense_faiss_truncated(t: Trial) -> None:
    t.indexed_home()
    faiss = t.home / "index" / "dense.faiss"
    faiss.write_bytes(faiss.read_bytes()[:5000])
    p = t.jx("search", "预算执行率", "-k", "3")
    if p.code != 0:
        t.expect_error(p, "损坏")


@scenario("corrupt manifest.json: search says so in one line; index rebuilds")
def corrupt_manifest(t: Trial) -> None:
    t.indexed_home()
    (t.home / "index" / "manifest.json").write_text("{not json", "utf-8")
    p = t.jx("search", "预算执行率", "-k", "1")
    if p.code != 0:
        t.expect_error(p, "损坏")
    t.expect_ok(t.jx("index"))
    t.expect(index_valid(t, t.home), "not rebuilt")


@scenario("passages.jsonl truncated mid-line: detected, index rebuilds")
def truncated_passages(t: Trial) -> None:
    t.indexed_home()
    pj = t.home / "index" / "passages.jsonl"
    pj.write_bytes(pj.read_bytes()[: pj.stat().st_size // 2])
    p = t.jx("search", "预算执行率", "-k", "1")
    if p.code != 0:
        t.expect_error(p, "损坏")
    t.expect_ok(t.jx("index"))
    t.expect(index_valid(t, t.home), "not rebuilt")


@scenario("manifest missing: treated as no index, built again")
def manifest_missing(t: Trial) -> None:
    t.indexed_home()
    (t.home / "index" / "manifest.json").unlink()
    t.expect_ok(t.jx("search", "预算执行率", "-k", "1"))


@scenario("garbage in every cache file: ignored, rebuilt")
def corrupt_cache(t: Trial) -> None:
    t.indexed_home()
    for p in (t.home / "cache").glob("*.pkl"):
        p.write_bytes(b"garbage" * 10)
    t.expect_ok(t.jx("search", "预算执行率", "-k", "1"))
    t.expect_ok(t.jx("reports"))


@scenario("corrupt added.json: warned, not silently forgotten or overwritten")
def corrupt_added_list(t: Trial) -> None:
    t.indexed_home()
    (t.home / "added.json").write_text('["/some/report.txt", ', "utf-8")
    t.protect(t.home / "added.json")
    p = t.jx("reports")
    t.expect_ok(p)
    t.expect("added.json" in p.stderr, "no warning about added.json")
    a = t.report("甲.txt")
    p = t.jx("index", a)
    if p.code != 0:
        t.expect_error(p, "added.json")


@scenario("corrupt conversation.json: 'ask --continue' still answers")
def corrupt_conversation(t: Trial) -> None:
    t.indexed_home()
    (t.home / "conversation.json").write_text("{{{", "utf-8")
    t.expect_ok(t.jx("ask", "--continue", "龙岗专项资金的预算执行率扣了多少"), codes=(0, 1))


@scenario("home/index is a file: built beside it, or one line")
def index_dir_is_a_file(t: Trial) -> None:
    t.home.mkdir()
    (t.home / "index").write_text("x", "utf-8")
    p = t.jx("index")
    if p.code != 0:
        t.expect_error(p, "index")
    else:
        t.expect(index_valid(t, t.home), "no index")


# -- the home folder


@scenario("JIXIAO_HOME is a file: index refused before work")
def home_is_a_file_index(t: Trial) -> None:
    t.home.write_text("x", "utf-8")
    t.protect(t.home)
    t.expect_error(t.jx("index"), "文件夹")


@scenario("JIXIAO_HOME is a file: search says so in one line")
def home_is_a_file_search(t: Trial) -> None:
    t.home.write_text("x", "utf-8")
    t.protect(t.home)
    t.expect_error(t.jx("search", "预算执行率"), "文件夹")


@scenario("JIXIAO_HOME is a file: reports still listed")
def home_is_a_file_reports(t: Trial) -> None:
    t.home.write_text("x", "utf-8")
    t.protect(t.home)
    t.expect_ok(t.jx("reports"))


@scenario("read-only home: index PATH refused at once (no embedding)")
def home_read_only_index(t: Trial) -> None:
    t.indexed_home()
    a = t.report("甲.txt")
    with read_only(t.home) as how:
        t.note(how)
        p = t.jx("index", a)
        t.expect_error(p, "不可写", "权限", "只读")
        t.expect(p.seconds < 30, f"took {p.seconds:.0f} s")


@scenario("read-only home: search and ask still work")
def home_read_only_search(t: Trial) -> None:
    t.indexed_home()
    with read_only(t.home) as how:
        t.note(how)
        t.expect_ok(t.jx("search", "预算执行率", "-k", "1"))
        t.expect_ok(t.jx("ask", "龙岗专项资金的预算执行率扣了多少"), codes=(0, 1))


@scenario("--home a/b/c/d that does not exist: created")
def home_nested_missing(t: Trial) -> None:
    home = t.tmp / "a" / "b" / "c" / "d"
    t.expect_ok(t.jx("--home", home, "index"))
    t.expect(index_valid(t, home), "no index")


# -- settings


@scenario("invalid TOML: one line naming the file and line, exit 2")
def config_invalid_toml(t: Trial) -> None:
    t.home.mkdir()
    (t.home / "config.toml").write_text("max_file_mb = = 3\n", "utf-8")
    t.expect_error(t.jx("reports"), "config.toml")


@scenario("unknown setting: one line, exit 2")
def config_unknown_key(t: Trial) -> None:
    t.home.mkdir()
    (t.home / "config.toml").write_text('corpus_path = ["x"]\n', "utf-8")
    t.expect_error(t.jx("reports"), "corpus_path")


@scenario("wrong type: one line, exit 2")
def config_wrong_type(t: Trial) -> None:
    t.home.mkdir()
    (t.home / "config.toml").write_text('max_file_mb = "big"\n', "utf-8")
    t.expect_error(t.jx("reports"), "max_file_mb")


@scenario("max_file_mb = -1 in config.toml: refused, index kept")
def config_max_file_mb_negative(t: Trial) -> None:
    t.indexed_home()
    (t.home / "config.toml").write_text("max_file_mb = -1\n", "utf-8")
    t.protect(t.home / "index")
    t.expect_error(t.jx("index"), "max_file_mb")


@scenario("JIXIAO_MAX_FILE_MB=0: refused, index kept")
def env_max_file_mb_zero(t: Trial) -> None:
    t.indexed_home()
    t.protect(t.home / "index")
    t.expect_error(t.jx("index", extra={"JIXIAO_MAX_FILE_MB": "0"}), "JIXIAO_MAX_FILE_MB")


@scenario("JIXIAO_MAX_FILE_MB=abc: refused")
def env_max_file_mb_text(t: Trial) -> None:
    t.expect_error(t.jx("reports", extra={"JIXIAO_MAX_FILE_MB": "abc"}), "JIXIAO_MAX_FILE_MB")


@scenario("config.toml not UTF-8: one line")
def config_not_utf8(t: Trial) -> None:
    t.home.mkdir()
    (t.home / "config.toml").write_bytes('# 设置\nmax_file_mb = 3\n'.encode("gbk"))
    t.expect_error(t.jx("reports"), "config.toml")


@scenario("config.toml is a folder: one line")
def config_is_a_folder(t: Trial) -> None:
    (t.home / "config.toml").mkdir(parents=True)
    t.expect_error(t.jx("reports"), "config.toml")


@scenario("config.toml is a FIFO: refused, no hang")
def config_is_a_fifo(t: Trial) -> None:
    t.home.mkdir()
    os.mkfifo(t.home / "config.toml")
    t.expect_error(t.jx("reports", timeout=30), "config.toml")


@scenario("corpus_paths a string in config.toml: read or one line")
def config_corpus_paths_string(t: Trial) -> None:
    t.home.mkdir()
    a = t.report("甲.txt")
    (t.home / "config.toml").write_text(f'corpus_paths = "{a}"\n', "utf-8")
    p = t.jx("--no-bundled", "reports", "--json")
    if p.code == 0:
        t.expect("甲.txt" in p.stdout, "report not read")
    else:
        t.expect_error(p, "corpus_paths")


@scenario("JIXIAO_CORPUS_PATHS=/a/report.txt: read")
def env_corpus_paths_one(t: Trial) -> None:
    a = t.report("甲.txt")
    t.expect_ok(t.jx("--no-bundled", "reports", "--json", extra={"JIXIAO_CORPUS_PATHS": str(a)}), "甲.txt")


@scenario("JIXIAO_CORPUS_PATHS=a:b: both read")
def env_corpus_paths_two(t: Trial) -> None:
    a, b = t.report("甲.txt"), t.report("乙.txt", "乙单位")
    t.expect_ok(t.jx("--no-bundled", "reports", "--json", extra={"JIXIAO_CORPUS_PATHS": f"{a}:{b}"}), "甲.txt", "乙.txt")


@scenario("JIXIAO_CORPUS_PATHS as a JSON list: read, or one line")
def env_corpus_paths_json(t: Trial) -> None:
    a = t.report("甲.txt")
    p = t.jx("--no-bundled", "reports", "--json", extra={"JIXIAO_CORPUS_PATHS": json.dumps([str(a)])})
    if p.code == 0:
        t.expect("甲.txt" in p.stdout, "report not read")
    else:
        t.expect_error(p, "JIXIAO_CORPUS_PATHS")


@scenario("JIXIAO_CORPUS_PATHS to a missing path: one line naming it")
def env_corpus_paths_missing(t: Trial) -> None:
    t.expect_error(t.jx("reports", extra={"JIXIAO_CORPUS_PATHS": str(t.tmp / "nope")}), "nope")


@scenario("--corpus to a missing path: one line naming it")
def corpus_option_missing(t: Trial) -> None:
    t.expect_error(t.jx("--corpus", t.tmp / "nope.txt", "reports"), "nope.txt")


@scenario("JIXIAO_INCLUDE_BUNDLED=maybe: one line")
def env_include_bundled_bad(t: Trial) -> None:
    t.expect_error(t.jx("reports", extra={"JIXIAO_INCLUDE_BUNDLED": "maybe"}), "JIXIAO_INCLUDE_BUNDLED")


@scenario("JIXIAO_EMBEDDER=/no/model: one line before work")
def env_embedder_missing(t: Trial) -> None:
    t.expect_error(t.jx("index", extra={"JIXIAO_EMBEDDER": str(t.tmp / "nomodel")}), "nomodel")


# -- report files


@scenario("FIFO as --corpus: refused at once")
def fifo_as_corpus(t: Trial) -> None:
    fifo = t.tmp / "report.txt"
    os.mkfifo(fifo)
    t.expect_error(t.jx("--corpus", fifo, "reports", timeout=30), "不是普通文件")


@scenario("FIFO inside a report folder: skipped with a warning")
def fifo_in_corpus_folder(t: Trial) -> None:
    folder = t.tmp / "reports"
    t.report("甲.txt", folder=folder)
    os.mkfifo(folder / "pipe.txt")
    p = t.jx("--no-bundled", "--corpus", folder, "reports", timeout=30)
    t.expect_ok(p, "甲单位")
    t.expect("pipe.txt" in p.stderr, "no warning")


@scenario("/dev/zero as --corpus: refused at once")
def dev_zero_as_corpus(t: Trial) -> None:
    t.expect_error(t.jx("--corpus", "/dev/zero", "reports", timeout=30), "不是普通文件")


@scenario("index /dev/zero: refused at once")
def dev_zero_index(t: Trial) -> None:
    t.expect_error(t.jx("index", "/dev/zero", timeout=30), "不是普通文件")


@scenario("FIFO as a figures file: refused, no hang")
def fifo_as_figures(t: Trial) -> None:
    fifo = t.tmp / "figures.yaml"
    os.mkfifo(fifo)
    t.expect_error(t.jx("score", fifo, timeout=30), "figures.yaml")


@scenario("/dev/zero as a figures file: refused, no hang")
def dev_zero_as_figures(t: Trial) -> None:
    t.expect_error(t.jx("score", "/dev/zero", timeout=30), "/dev/zero")


@scenario("/dev/zero as --templates: one line")
def dev_zero_as_templates(t: Trial) -> None:
    f = t.figures()
    t.expect_error(t.jx("draft", f, "--templates", "/dev/zero", timeout=30), "/dev/zero")


@scenario("5 MB one-line report: progress lines on a non-tty stderr, Ctrl-C stops it cleanly", slow=True)
def report_5mb_one_line(t: Trial) -> None:
    t.indexed_home()
    text = "".join(p.read_text("utf-8").replace("\n", "") for p in sorted(BUNDLED.glob("*.txt")))
    data = (text * (5 * 1024 * 1024 // len(text.encode()) + 1)).encode()[: 5 * 1024 * 1024]
    big = t.tmp / "big.txt"
    big.write_bytes(data.decode("utf-8", "ignore").encode())
    t.protect(t.home / "index")
    s = t.spawn("index", big)
    if not s.wait_for("嵌入段落", 240):
        t.collect(s.finish(1))
        t.flag("hang", "no progress line within 240 s")
        return
    first = time.monotonic() - s.start
    deadline = time.monotonic() + 90
    counts: list[tuple[float, int, int]] = []
    while time.monotonic() < deadline and s.popen.poll() is None:
        counts = [(0.0, int(m.group(1)), int(m.group(2))) for m in re.finditer(r"嵌入段落 (\d+)/(\d+)", s.err_text())]
        if len(counts) >= 3:
            break
        time.sleep(1)
    lines = len(re.findall(r"嵌入段落 \d+/\d+", s.err_text()))
    done, total = (counts[-1][1], counts[-1][2]) if counts else (0, 0)
    elapsed = time.monotonic() - s.start
    rate = re.findall(r"([\d.]+) 段/秒", s.err_text())
    if s.popen.poll() is None:
        sent = time.monotonic()
        s.signal(signal.SIGINT)
        p = t.collect(s.finish(120))
        t.expect(p.code == 130, f"Ctrl-C gave exit {p.code}")
        stop = f"; Ctrl-C → exit {p.code} in {time.monotonic() - sent:.0f} s"
    else:
        p = t.collect(s.finish(1))
        stop = f"; finished, exit {p.code}"
    t.note(f"5.0 MB: first progress at {first:.0f} s, {lines} lines, {done}/{total} in {elapsed:.0f} s "
           f"({rate[-1] if rate else '?'} 段/秒){stop}")
    t.expect(lines >= 2, "fewer than two progress lines")


@scenario("over max_file_mb: skipped with a warning naming the limit")
def report_over_size_limit(t: Trial) -> None:
    big = t.tmp / "big.txt"
    big.write_text(report_text("甲单位") * 30000, "utf-8")
    p = t.jx("--no-bundled", "--corpus", big, "reports", extra={"JIXIAO_MAX_FILE_MB": "1"})
    t.expect_ok(p)
    t.expect("big.txt" in p.stderr and "MB" in p.stderr, "no warning")


@scenario("UTF-16 with BOM (Notepad 'Unicode'): read")
def utf16_bom(t: Trial) -> None:
    path = t.tmp / "notepad.txt"
    path.write_bytes(report_text("甲单位").encode("utf-16"))
    t.expect_ok(t.jx("--no-bundled", "--corpus", path, "reports"), "甲单位")


@scenario("UTF-16-LE without BOM: read")
def utf16_le_no_bom(t: Trial) -> None:
    path = t.tmp / "le.txt"
    path.write_bytes(report_text("甲单位").encode("utf-16-le"))
    t.expect_ok(t.jx("--no-bundled", "--corpus", path, "reports"), "甲单位")


@scenario("UTF-16-BE with BOM: read")
def utf16_be_bom(t: Trial) -> None:
    path = t.tmp / "be.txt"
    path.write_bytes(b"\xfe\xff" + report_text("甲单位").encode("utf-16-be"))
    t.expect_ok(t.jx("--no-bundled", "--corpus", path, "reports"), "甲单位")


@scenario("GB18030 report: read")
def gb18030_report(t: Trial) -> None:
    path = t.tmp / "gbk.txt"
    path.write_bytes(report_text("甲单位").encode("gb18030"))
    t.expect_ok(t.jx("--no-bundled", "--corpus", path, "reports"), "甲单位")


def _skipped(t: Trial, name: str, data: bytes, *needles: str) -> None:
    folder = t.tmp / "reports"
    t.report("甲.txt", folder=folder)
    (folder / name).write_bytes(data)
    p = t.jx("--no-bundled", "--corpus", folder, "reports")
    t.expect_ok(p, "甲单位")
    t.expect(name in p.stderr, f"no warning for {name}")
    for n in needles:
        t.expect(n in p.stderr, f"warning lacks {n}")


@scenario("empty file: skipped with a Chinese warning")
def empty_file(t: Trial) -> None:
    _skipped(t, "empty.txt", b"")


@scenario("whitespace-only report: skipped with a warning")
def whitespace_file(t: Trial) -> None:
    _skipped(t, "blank.txt", b"  \n\n\t \r\n")


@scenario("binary file named .txt: skipped with a warning")
def binary_file(t: Trial) -> None:
    _skipped(t, "scan.txt", bytes(range(256)) * 64)


@scenario("a PDF renamed to .txt: skipped with a warning")
def pdf_renamed(t: Trial) -> None:
    _skipped(t, "report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02endstream\n")


@scenario("English text file: skipped with a warning")
def no_chinese_file(t: Trial) -> None:
    _skipped(t, "readme.txt", b"This is not a report.\n" * 20)


@scenario("folder named like a report: skipped with a warning")
def folder_named_like_report(t: Trial) -> None:
    folder = t.tmp / "reports"
    t.report("甲.txt", folder=folder)
    (folder / "old.txt").mkdir()
    p = t.jx("--no-bundled", "--corpus", folder, "reports")
    t.expect_ok(p, "甲单位")
    t.expect("old.txt" in p.stderr, "no warning")


@scenario("unreadable report (chmod 000): skipped with a warning")
def unreadable_file(t: Trial) -> None:
    folder = t.tmp / "reports"
    t.report("甲.txt", folder=folder)
    locked = t.report("locked.txt", "乙单位", folder=folder)
    os.chmod(locked, 0)
    prefix: tuple[str, ...] = ()
    if IS_ROOT:  # root reads anything: run as nobody
        if not shutil.which("setpriv"):
            t.note("skipped (root, no setpriv)")
            return
        prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--")
        for p in (t.tmp, folder):
            os.chmod(p, 0o777)
        t.note("as nobody (root reads anything)")
    p = t.jx("--no-bundled", "--corpus", folder, "reports", prefix=prefix)
    t.expect_ok(p, "甲单位")
    t.expect("locked.txt" in p.stderr, "no warning")


@scenario("very long file name (250 bytes): read")
def long_file_name(t: Trial) -> None:
    name = "很" * 81 + ".txt"
    t.report(name)
    t.expect_ok(t.jx("--no-bundled", "--corpus", t.tmp / name, "reports", "--json"), "甲单位")


@scenario("non-UTF-8 file name: listed, no crash")
def non_utf8_file_name(t: Trial) -> None:
    folder = t.tmp / "reports"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/\xb1\xa8\xb8\xe6.txt"  # 报告 in GBK
    with open(raw, "wb") as f:
        f.write(report_text("甲单位").encode())
    t.expect_ok(t.jx("--no-bundled", "--corpus", folder, "reports"), "甲单位")
    t.expect_ok(t.jx("--no-bundled", "--corpus", folder, "reports", "--json"), "甲单位")


@scenario("index prints a warning for each skipped file")
def index_warns_skipped(t: Trial) -> None:
    t.indexed_home()
    folder = t.tmp / "reports"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 64)
    p = t.jx("index", extra={"JIXIAO_CORPUS_PATHS": str(folder)})
    t.expect_ok(p)
    t.expect("empty.txt" in p.stderr and "scan.txt" in p.stderr, "skipped files not named")


@scenario("index of a missing path: one line, exit 2")
def index_missing_path(t: Trial) -> None:
    t.expect_error(t.jx("index", t.tmp / "nope.txt"), "不存在")


@scenario("index of a folder: one line saying what to do")
def index_folder_path(t: Trial) -> None:
    t.expect_error(t.jx("index", t.tmp), "文件夹")


@scenario("index of a binary file: one line, not remembered")
def index_binary_path(t: Trial) -> None:
    b = t.tmp / "scan.txt"
    b.write_bytes(bytes(range(256)) * 64)
    t.expect_error(t.jx("index", b), "scan.txt")
    t.expect(not (t.home / "added.json").exists() or "scan" not in (t.home / "added.json").read_text("utf-8"),
             "bad file remembered")


@scenario("same file name in two folders: both kept, said so")
def same_name_two_folders(t: Trial) -> None:
    for folder, unit in (("a", "甲单位"), ("b", "乙单位")):
        t.report("report.txt", unit, folder=t.tmp / folder)
    p = t.jx("--no-bundled", "--corpus", t.tmp / "a", "--corpus", t.tmp / "b", "reports", "--json")
    t.expect_ok(p, "甲单位", "乙单位")
    t.expect("同名" in p.stderr, "not said")


@scenario("a user's copy of a bundled report: the user's is read, said so")
def bundled_shadowed(t: Trial) -> None:
    bundled = BUNDLED / "002_7caf6f40ccb13888.txt"
    mine = t.tmp / "mine" / bundled.name
    mine.parent.mkdir()
    mine.write_text(bundled.read_text("utf-8").replace("94.94", "95.94", 1), "utf-8")
    p = t.jx("--corpus", mine.parent, "reports", "--json")
    t.expect_ok(p, "95.94")
    t.expect("内置" in p.stderr, "not said")


# -- queries


@scenario("search -k 0: refused")
def search_k_zero(t: Trial) -> None:
    t.indexed_home()
    t.expect_error(t.jx("search", "-k", "0", "预算"), "正整数")


@scenario("search -k -3: refused")
def search_k_negative(t: Trial) -> None:
    t.indexed_home()
    t.expect_error(t.jx("search", "-k", "-3", "预算"), "正整数")


@scenario("search -k 1000000: all hits, no crash")
def search_k_huge(t: Trial) -> None:
    t.indexed_home()
    t.expect_ok(t.jx("search", "-k", "1000000", "预算执行率", "--json"))


@scenario("40,000-character question: capped at once, said so")
def question_40000(t: Trial) -> None:
    t.indexed_home()
    p = t.jx("ask", "预算执行率" * 8000, timeout=60)
    t.expect(p.code in (1, 2), f"exit {p.code}")
    t.expect("过长" in p.stdout + p.stderr, "length not mentioned")
    t.expect(p.seconds < 30, f"took {p.seconds:.0f} s")


@scenario("40,000-character search: refused at once")
def search_40000(t: Trial) -> None:
    t.indexed_home()
    p = t.jx("search", "预算执行率" * 8000, timeout=60)
    t.expect_error(p, "过长")


@scenario("empty question: answered or one line")
def question_empty(t: Trial) -> None:
    t.indexed_home()
    p = t.jx("ask", "")
    if p.code == 2:
        t.expect_error(p)
    else:
        t.expect(p.code in (0, 1), f"exit {p.code}")


@scenario("unknown report in sections: one line in Chinese")
def sections_unknown_doc(t: Trial) -> None:
    t.expect_error(t.jx("sections", "nope"), "nope")


@scenario("unknown report in indicators --doc: one line")
def indicators_unknown_doc(t: Trial) -> None:
    t.expect_error(t.jx("indicators", "--doc", "nope"), "nope")


@scenario("ambiguous report prefix: one line listing matches")
def sections_ambiguous_doc(t: Trial) -> None:
    t.expect_error(t.jx("sections", "00"), "000")


@scenario("unknown command: one line, exit 2")
def unknown_command(t: Trial) -> None:
    t.expect_error(t.jx("frobnicate"))


# -- figures files


def _figures_error(t: Trial, edit: Callable[[str], str], *needles: str, command: str = "score") -> None:
    f = t.figures(edit=edit)
    t.protect(f)
    t.expect_error(t.jx(command, f), "figures.yaml", *needles)
    p = t.procs[-1]
    if p.code == 2 and needles and not re.search(r"第 \d+ 行", p.stderr):
        t.flag("wrong", "no line number")


@scenario("a tab in the YAML: file, line, exit 2")
def figures_tab(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("  initial:", "\tinitial:", 1), "行")


@scenario("duplicate key: file, line and field, exit 2")
def figures_duplicate_key(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("satisfaction: 95", "satisfaction: 95\nsatisfaction: 85", 1), "satisfaction")


@scenario("wrong type: file, line and field, exit 2")
def figures_wrong_type(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("approved: 46", "approved: 四十六", 1), "staff.approved")


@scenario("unknown field: file, line and field, exit 2")
def figures_unknown_field(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("satisfaction: 95", "satisfaction: 95\nsatisfation: 95", 1), "satisfation")


@scenario("percent out of range: file, line and field, exit 2")
def figures_percent_out_of_range(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("satisfaction: 95", "satisfaction: 120", 1), "satisfaction")


@scenario("missing required field: file, line and field, exit 2")
def figures_missing_field(t: Trial) -> None:
    _figures_error(t, lambda s: re.sub(r"\n  actual: 23,063.68 万元[^\n]*", "", s, count=1), "budget.actual")


@scenario("YAML syntax error: file and line, exit 2")
def figures_syntax_error(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("quarterly_progress: [24.48", "quarterly_progress: [[24.48", 1), "行")


@scenario("a list, not a mapping: one line")
def figures_not_a_mapping(t: Trial) -> None:
    f = t.figures(edit=lambda s: "- a\n- b\n")
    t.expect_error(t.jx("score", f), "figures.yaml")


@scenario("empty figures file: one line")
def figures_empty(t: Trial) -> None:
    f = t.figures(edit=lambda s: "")
    t.expect_error(t.jx("score", f), "figures.yaml")


@scenario("figures file not UTF-8: one line")
def figures_not_utf8(t: Trial) -> None:
    f = t.tmp / "figures.yaml"
    f.write_bytes(EX2024.read_text("utf-8").encode("gbk", "replace"))
    t.expect_error(t.jx("score", f), "figures.yaml")


@scenario("figures file missing: one line")
def figures_missing(t: Trial) -> None:
    t.expect_error(t.jx("score", t.tmp / "nope.yaml"), "nope.yaml")


@scenario("budget.actual 1.0e+308 in draft: one line")
def figures_huge_amount(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("actual: 23,063.68 万元", "actual: 1.0e+308", 1), "budget.actual", command="draft")


@scenario("budget.actual .nan: one line")
def figures_nan_amount(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("actual: 23,063.68 万元", "actual: .nan", 1), "budget.actual", command="draft")


@scenario("year 99999: one line")
def figures_year_out_of_range(t: Trial) -> None:
    _figures_error(t, lambda s: s.replace("year: 2024", "year: 99999", 1), "year")


@scenario("YAML alias bomb in problems: one line within seconds")
def figures_alias_bomb(t: Trial) -> None:
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]\n" for i in range(1, 9))
    f = t.figures(edit=lambda s: bomb + s.replace("problems:", "problems: *a8\nold_problems:", 1))
    p = t.jx("score", f, timeout=60)
    t.expect_error(p, "figures.yaml")


@scenario("previous: a file that does not exist: one line")
def figures_previous_missing(t: Trial) -> None:
    f = t.figures(edit=lambda s: s.replace("year: 2024", "year: 2024\nprevious: nope_2023.yaml", 1))
    t.expect_error(t.jx("draft", f), "nope_2023.yaml")


# -- rules apply


@scenario("rules apply value=nan: one line")
def rules_apply_nan(t: Trial) -> None:
    t.expect_error(t.jx("rules", "apply", "编外人员控制率", "value=nan"), "value")


@scenario("rules apply value=inf: one line")
def rules_apply_inf(t: Trial) -> None:
    t.expect_error(t.jx("rules", "apply", "编外人员控制率", "value=inf"), "value")


@scenario("rules apply value=1e999999: one line")
def rules_apply_huge(t: Trial) -> None:
    t.expect_error(t.jx("rules", "apply", "编外人员控制率", "value=1e999999"), "value")


@scenario("rules apply value=abc: one line")
def rules_apply_text(t: Trial) -> None:
    t.expect_error(t.jx("rules", "apply", "编外人员控制率", "value=abc"), "value")


@scenario("rules apply without value: one line naming the input")
def rules_apply_missing_value(t: Trial) -> None:
    t.expect_error(t.jx("rules", "apply", "编外人员控制率"))


@scenario("rules show of an unknown rule: one line")
def rules_show_unknown(t: Trial) -> None:
    t.expect_error(t.jx("rules", "show", "不存在的指标"), "不存在的指标")


# -- templates


def _templates(t: Trial, body: str, *needles: str) -> None:
    f = t.figures()
    tpl = t.tmp / "tpl"
    (tpl / "draft").mkdir(parents=True)
    (tpl / "draft" / "basic.j2").write_text(body, "utf-8")
    t.expect_error(t.jx("draft", f, "--templates", tpl, timeout=60), *needles)


@scenario("--templates with a syntax error: file and line")
def templates_syntax_error(t: Trial) -> None:
    _templates(t, "{% if %}", "模板语法错误")


@scenario("--templates escaping the sandbox: refused in one line")
def templates_sandbox(t: Trial) -> None:
    _templates(t, "{{ ''.__class__.__mro__[1].__subclasses__() }}", "沙箱")


@scenario("--templates with an undefined name: one line")
def templates_undefined(t: Trial) -> None:
    _templates(t, "{{ no_such_thing }}", "no_such_thing")


@scenario("--templates with endless recursion: one line")
def templates_recursion(t: Trial) -> None:
    _templates(t, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "模板")


@scenario("--templates with a huge loop: one line, no hang")
def templates_huge_loop(t: Trial) -> None:
    _templates(t, "{% for i in range(10**12) %}x{% endfor %}", "模板")


@scenario("--templates folder missing: one line")
def templates_missing(t: Trial) -> None:
    f = t.figures()
    t.expect_error(t.jx("draft", f, "--templates", t.tmp / "nope"), "nope")


# -- the terminal: report text never drives it


def _hostile(t: Trial, *args: str, needles: tuple[str, ...] = (), codes: tuple[int, ...] = (0,)) -> Proc:
    t.indexed_home("hostile")
    p = t.jx("--corpus", t.bases.hostile, *args)
    t.expect_ok(p, *needles, codes=codes)
    return p


@scenario("escape sequences through reports: stripped, markup shown")
def escapes_reports(t: Trial) -> None:
    _hostile(t, "reports", needles=("[/note]",))


@scenario("escape sequences through sections: stripped, markup shown")
def escapes_sections(t: Trial) -> None:
    _hostile(t, "sections", "hostile", needles=("[/note]",))


@scenario("escape sequences through search: stripped")
def escapes_search(t: Trial) -> None:
    _hostile(t, "search", "某局 预算执行率 情况良好", "--doc", "hostile")


@scenario("escape sequences through ask: stripped")
def escapes_ask(t: Trial) -> None:
    _hostile(t, "ask", "某局的预算执行率是多少", codes=(0, 1))


@scenario("escape sequences through check: stripped, markup shown")
def escapes_check(t: Trial) -> None:
    _hostile(t, "check", "hostile", needles=("[/note]",))


@scenario("escape sequences through indicators: stripped")
def escapes_indicators(t: Trial) -> None:
    _hostile(t, "indicators", "--doc", "hostile")


@scenario("escape sequences in the question itself: stripped")
def escapes_in_question(t: Trial) -> None:
    t.indexed_home()
    p = t.jx("ask", "预算\x1b]0;pwned\x07执行率\x1b[31m扣了多少")
    t.expect(p.code in (0, 1), f"exit {p.code}")


@scenario("[see annex] in a title: kept as text")
def markup_title_kept(t: Trial) -> None:
    p = _hostile(t, "reports", "--json")
    t.expect("[see annex]" in p.stdout, "text lost")


@scenario("escape sequences in a file name: stripped from every line")
def escapes_in_file_name(t: Trial) -> None:
    folder = t.tmp / "reports"
    t.report("a\x1b]0;pwned\x07b.txt", folder=folder)
    t.report("c\x1b[31md.txt", folder=folder, text="")
    t.expect_ok(t.jx("--no-bundled", "--corpus", folder, "reports"), "甲单位")


@scenario("escape sequences in a missing path: error line stripped")
def escapes_in_error(t: Trial) -> None:
    t.expect_error(t.jx("sections", "\x1b]0;pwned\x07"))


@scenario("escape sequences in figures (unit): stripped in score and draft")
def escapes_in_figures(t: Trial) -> None:
    f = t.figures(edit=lambda s: re.sub(r"(?m)^unit: 深圳市(.*)$", r'unit: "深圳\\e]0;pwned\\a市\\e[5m\1"', s, count=1))
    t.expect_ok(t.jx("score", f))
    t.expect_ok(t.jx("draft", f))


# ------------------------------------------------------------------ running


def run_scenario(sc: Scenario, bases: Bases, keep: bool) -> tuple[str, str, float]:
    tmp = Path(tempfile.mkdtemp(prefix=f"faults-{sc.name}-"))
    trial = Trial(tmp, bases)
    start = time.monotonic()
    try:
        sc.fn(trial)
        verdict, observed = trial.judge()
    except Exception as exc:  # a bug in the battery itself, not in jixiao
        verdict, observed = "wrong", f"battery error: {type(exc).__name__}: {exc}"
        traceback.print_exc()
    finally:
        for clean in trial.cleanups:
            clean()
        if not keep:
            _rmtree(tmp)
    return verdict, observed, time.monotonic() - start


def _rmtree(path: Path) -> None:
    def unlock(func: Callable[..., object], p: str, _exc: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(p, 0o700)
            os.chmod(os.path.dirname(p), 0o700)
            func(p)
    shutil.rmtree(path, onerror=unlock)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-k", action="append", default=[], help="run only scenarios whose name contains this")
    ap.add_argument("--fast", action="store_true", help="skip the slow scenarios (embedding, signals, 5 MB)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--keep", action="store_true", help="keep each scenario's temp folder")
    ap.add_argument("--width", type=int, default=110, help="width of the observed column")
    args = ap.parse_args(argv)
    chosen = [s for s in SCENARIOS if (not args.k or any(k in s.name for k in args.k)) and not (args.fast and s.slow)]
    if args.list:
        for s in chosen:
            print(f"{s.name:40s} {'(slow) ' if s.slow else ''}{s.expected}")
        return 0
    signal.signal(signal.SIGINT, signal.default_int_handler)  # '&' in a script ignores it, and children inherit that
    base_tmp = Path(tempfile.mkdtemp(prefix="faults-base-"))
    bases = Bases(base_tmp)
    rows, results = [], []
    print(f"{len(chosen)} scenarios ({'root: tmpfs and bind mounts' if IS_ROOT else 'not root: shims and chmod'})",
          file=sys.stderr)
    try:
        for i, sc in enumerate(chosen, 1):
            verdict, observed, seconds = run_scenario(sc, bases, args.keep)
            print(f"[{i}/{len(chosen)}] {sc.name}: {verdict} ({seconds:.0f} s) {observed[:160]}", file=sys.stderr, flush=True)
            rows.append([i, sc.name, sc.expected[:60], observed.replace("\n", " ")[: args.width], verdict, f"{seconds:.0f}"])
            results.append({"scenario": sc.name, "expected": sc.expected, "observed": observed, "verdict": verdict,
                            "seconds": round(seconds, 1)})
    finally:
        _rmtree(base_tmp)
    print_table(["#", "scenario", "expected", "observed", "verdict", "s"], rows)
    counts = {v: sum(1 for r in results if r["verdict"] == v) for v in VERDICTS}
    print("\n" + ", ".join(f"{n} {v}" for v, n in counts.items()) + f"  (of {len(results)})")
    if args.json:
        args.json.write_text(json.dumps({"counts": counts, "results": results}, ensure_ascii=False, indent=1), "utf-8")
    return 0 if all(counts[v] == 0 for v in ("data loss", "traceback", "hang", "raw escape")) else 1


if __name__ == "__main__":
    sys.exit(main())
