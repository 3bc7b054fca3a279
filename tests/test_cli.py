"""The console script, its subcommands and configuration."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from assistant.cli import build_parser, main
from assistant.config import load_settings
from assistant.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_package_imports() -> None:
    import assistant
    import index

    assert assistant.__version__
    assert index is not None


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in ("reports", "indicators", "sections", "index", "search", "ask", "rules", "score", "draft", "check"):
        assert name in out


@pytest.mark.parametrize("command", subcommands())
def test_each_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "用法：jixiao " + command in out and "选项" in out and "show this help" not in out


def test_console_script_runs_as_module() -> None:
    out = subprocess.run([sys.executable, "-m", "assistant", "reports", "--json"], capture_output=True,
                         text=True, check=True).stdout
    docs = json.loads(out)
    assert [d["doc"] for d in docs] == sorted(p.name for p in (ROOT / "corpus").glob("*.txt"))


def test_unknown_document_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sections", "999"]) == 2
    err = capsys.readouterr().err
    assert "没有报告 '999'" in err and "Traceback" not in err


def test_home_from_environment(home: Path) -> None:
    assert load_settings().home == home


def test_config_file_and_override(home: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    home.mkdir(parents=True)
    (home / "config.toml").write_text(f'corpus_paths = ["{extra}"]\ninclude_bundled = false\n', "utf-8")
    settings = load_settings()
    assert settings.corpus_paths == [extra] and settings.include_bundled is False
    assert load_settings(include_bundled=True).include_bundled is True


def test_invalid_config_field_names_file_and_field(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text('max_file_mb = "lots"\n', "utf-8")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "config.toml" in str(exc.value) and "max_file_mb" in str(exc.value)


def test_extra_corpus_folder_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = ROOT / "tests/data/foreign/04_jiangsu_cppcc_office_2019_budget_tables.txt"
    (tmp_path / "r.txt").write_bytes(src.read_bytes())
    assert main(["--no-bundled", "--corpus", str(tmp_path), "reports", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert [d["doc"] for d in docs] == ["r.txt"]


def test_bundled_corpus_ships_in_a_non_editable_install(tmp_path: Path) -> None:
    """Build the wheel, unpack it alone, and find the five reports through the installed package."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("jixiao-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "from assistant.config import bundled_corpus_dir as b; print(sorted(p.name for p in b().glob('*.txt')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin"},
                         capture_output=True, text=True, check=True).stdout
    assert str(site) in subprocess.run([sys.executable, "-c", "import corpus; print(corpus.__file__)"], cwd=tmp_path,
                                       env={"PYTHONPATH": str(site)}, capture_output=True, text=True).stdout
    assert out.strip() == str(sorted(p.name for p in (ROOT / "corpus").glob("*.txt")))
