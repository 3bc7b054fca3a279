"""The model behind the guard on the real pipeline (bundled corpus, real index): conversations, the
command line and the terminal app, with a fake endpoint on 127.0.0.1. The API key must appear in no
log, trace, JSON output or exported conversation."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import yaml
from textual.widgets import Input, Static

from assistant.api import Session
from assistant.cli import main
from assistant.config import load_settings
from assistant.ingest.patterns import canonical_source, squash
from assistant.llm.answers import _names, evidence_of, fact_lines
from assistant.llm.guard import check_answer
from assistant.tui.app import JixiaoApp
from assistant.tui.ask import AskPane

from .conftest import FakeLLM

KEY = "sk-pipeline-0d4c9e1fsecret"
QUESTION = "为什么绩效目标合理性扣了1.5分？"
# faithful to the two citations of the deterministic answer: the 表 3 row and the report's reason
GOOD = ("这个指标满分4分，实际得分2.5分，扣了1.5分[E1]。扣分是因为指标分类不合理：2019 年设置的质量指标为"
        "“资金到位及时率”，而它本应是时效指标[E2]。")


@pytest.fixture
def session(indexed_session: Session, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> Session:
    """The indexed home, with the fake endpoint and a key configured through the environment."""
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", fake_llm.url)
    monkeypatch.setenv("JIXIAO_LLM_API_KEY", KEY)
    return Session(load_settings(home=indexed_session.settings.home))


def assert_verbatim(session: Session, answer) -> None:  # type: ignore[no-untyped-def]
    for c in answer.citations:
        assert squash(c.quote) in canonical_source(Path(session.document(c.doc).path).read_text("utf-8"))


def test_a_good_reply_is_shown_with_its_citations(session: Session, fake_llm: FakeLLM) -> None:
    exact = session.ask(QUESTION)
    fake_llm.reply(GOOD)
    a = session.ask(QUESTION, llm=True)
    assert a.llm_rejected is False, a.llm_note
    assert a.answer.startswith("这个指标满分4分") and "[1]" in a.answer and "[2]" in a.answer
    assert [c.quote for c in a.citations] == [c.quote for c in exact.citations[:2]]
    assert a.exact_answer == exact.answer and a.indicator == exact.indicator
    assert_verbatim(session, a)


@pytest.mark.parametrize("reply", [
    "该指标满分4分，得分2.5分，扣了1.5分，在全区同类指标中排名第7[E1]。",  # an invented number
    "该指标满分4分，得分2分，扣了2分[E1]。",  # changed numbers
    "报告原文说「2019 年设置的质量指标为资金到位率」[E2]。",  # a misquoted sentence
    "该指标扣了1.5分[E1]，详见[E5]。",  # a made-up citation id
])
def test_an_unfaithful_reply_is_rejected_and_the_exact_answer_shown(session: Session, fake_llm: FakeLLM,
                                                                   reply: str) -> None:
    exact = session.ask(QUESTION)
    fake_llm.reply(reply)
    a = session.ask(QUESTION, llm=True)
    assert a.llm_rejected is True and a.llm_note and "未采用" in a.llm_note
    assert a.answer == exact.answer and a.citations == exact.citations


def test_the_guard_passes_every_deterministic_answer_of_the_question_set(indexed_session: Session) -> None:
    """A model that repeats the program's own answer, citing all its evidence, is never rejected: the
    guard rejects what a model changes, not what the program says."""
    questions = yaml.safe_load((Path(__file__).parents[1] / "data" / "questions.yaml").read_text("utf-8"))
    rejected = []
    for q in questions:
        conv = indexed_session.conversation()
        for context in q.get("context", []) or []:
            conv.ask(context)
        a = conv.ask(q["q"])
        if not a.answered:
            continue
        evidence = evidence_of(a)
        echo = a.answer + "".join(f"[{e.id}]" for e in evidence)
        verdict = check_answer(echo, evidence, [a.answer, *fact_lines(a)], _names(a))
        if not verdict.ok:
            rejected.append((q["id"], verdict.problems))
    assert not rejected


def test_timeouts_and_http_errors_fall_back(session: Session, fake_llm: FakeLLM) -> None:
    session.settings.llm_timeout = 0.5
    exact = session.ask(QUESTION)
    fake_llm.reply({"delay": 1.5, "content": GOOD}, {"status": 500})
    for _ in range(2):
        a = session.ask(QUESTION, llm=True)
        assert a.llm_rejected is None and a.answer == exact.answer and "模型未能作答" in (a.llm_note or "")


def test_a_conversation_sends_what_was_said_before(session: Session, fake_llm: FakeLLM) -> None:
    conv = session.conversation()
    fake_llm.reply(GOOD, "报告称其评分标准考核绩效目标是否依据充分、是否符合客观实际[E1]。")
    first = conv.ask(QUESTION, llm=True)
    second = conv.ask("它的评分标准是什么？", llm=True)
    assert first.llm_rejected is False and second.answered
    sent = fake_llm.chats()[1]["body"]["messages"]
    assert sent[1] == {"role": "user", "content": QUESTION}
    assert sent[2]["role"] == "assistant" and sent[2]["content"].startswith("这个指标满分4分")
    assert "[1]" not in sent[2]["content"]


def test_ask_llm_on_the_command_line_never_shows_the_key(session: Session, fake_llm: FakeLLM,
                                                          capsys: pytest.CaptureFixture[str],
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    home = str(session.settings.home)
    fake_llm.reply(GOOD, "该指标扣了3分[E1]。")
    assert main(["--home", home, "ask", "--llm", "--json", QUESTION]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["llm_rejected"] is False and data["answer"].startswith("这个指标满分4分") and data["exact_answer"]
    assert main(["--home", home, "ask", "--llm", QUESTION]) == 0
    plain = capsys.readouterr()
    assert "模型的回答未采用" in squash(plain.out) and "扣1.5分" in squash(plain.out)  # the console wraps lines
    for text in (out.out, out.err, plain.out, plain.err, caplog.text):
        assert KEY not in text
    assert all(r["headers"]["Authorization"] == f"Bearer {KEY}" for r in fake_llm.chats())


async def wait_for(pilot, condition, tries: int = 150) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("condition not met in time")


async def test_the_app_toggles_the_model_and_exports_without_the_key(session: Session, fake_llm: FakeLLM) -> None:
    url = session.settings.llm_base_url
    session.settings.llm_base_url = None
    app = JixiaoApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, app.index_ready.is_set)
        pane = app.query_one(AskPane)
        await pilot.press("ctrl+l")
        assert not pane.llm  # nothing configured: a notice, not a toggle
        session.settings.llm_base_url = url
        await pilot.press("ctrl+l")
        assert pane.llm
        fake_llm.reply(GOOD)
        app.query_one("#ask-input", Input).value = QUESTION
        await pilot.press("enter")
        await wait_for(pilot, lambda: pane.answers)
        assert pane.answers[0].llm_rejected is False and pane.answers[0].answer.startswith("这个指标满分4分")
        assert not app.query(".streaming")  # the unchecked stream gives way to the checked answer
        assert any("已逐一核对" in str(s.render()) for s in app.query(".llm-note").results(Static))
        assert len(app.query(".citation")) == 2
        target = app.action_export()
        assert target is not None
        exported = target.read_text("utf-8")
        assert "这个指标满分4分" in exported and KEY not in exported
    assert fake_llm.chats()[0]["body"]["stream"] is True
