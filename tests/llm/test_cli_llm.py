"""The command line with a model endpoint: `doctor`, `ask --llm` without one, `draft --polish`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.api import Session
from assistant.cli import main
from assistant.config import Settings
from assistant.drafting import render_draft
from assistant.figures import load_figures
from assistant.llm.client import ChatClient
from assistant.llm.polish import polish_draft

from .conftest import MODEL, FakeLLM

ROOT = Path(__file__).resolve().parents[2]
EX2024 = ROOT / "examples" / "futian_2024.yaml"
KEY = "sk-cli-5b8e2a41secret"


def paragraph_of(body: dict) -> str:
    """The paragraph a polish request asks about (the text after 「原段落：」)."""
    return body["messages"][-1]["content"].split("原段落：\n", 1)[1].strip()


def test_doctor_without_and_with_an_endpoint(home: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--json"]) == 0  # no model configured is not a fault (no index yet neither)
    checks = {c["check"]: c for c in json.loads(capsys.readouterr().out)}
    assert checks["模型服务"]["ok"] is None and "未配置" in checks["模型服务"]["detail"]
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", fake_llm.url)
    monkeypatch.setenv("JIXIAO_LLM_API_KEY", KEY)
    fake_llm.reply("好")
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "可用" in out and MODEL in out and "已设置" in out and KEY not in out
    assert fake_llm.chats()[0]["headers"]["Authorization"] == f"Bearer {KEY}"
    fake_llm.reply({"status": 502})
    assert main(["doctor"]) == 1
    captured = capsys.readouterr()
    assert "HTTP 502" in captured.out and KEY not in captured.out + captured.err


def test_ask_llm_without_an_endpoint_is_a_one_line_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--llm", "为什么绩效目标合理性扣了1.5分？"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "JIXIAO_LLM_BASE_URL" in err


@pytest.fixture(scope="module")
def draft():  # type: ignore[no-untyped-def]
    session = Session(Settings())
    figures = load_figures(EX2024)
    return render_draft(figures, session.score(figures))


def test_polish_keeps_a_paragraph_only_where_its_numbers_are_the_same(draft, fake_llm: FakeLLM) -> None:
    def responder(body: dict) -> str:
        text = paragraph_of(body)
        if text.startswith("政府采购执行情况"):
            return text.replace("68.11%", "68.1%")  # a changed number
        if text.startswith("财务合规性"):
            return text + "全年未发生违规事项 0 起。"  # an added number
        if text.startswith("编外人员控制率"):
            return "编外人员控制率指标未得分。"  # numbers dropped
        return "<think>润色</think>" + text.replace("指标分值", "指标满分").replace("，得分", "，实际得分")

    fake_llm.responder = responder
    client = ChatClient(fake_llm.url, timeout=5)
    polished, notes = polish_draft(draft, client)
    markdown = polished.markdown
    assert "预算编制合理性指标满分 5 分，实际得分 5 分。" in markdown
    assert "政府采购执行率 68.11%" in markdown and "68.1%" not in markdown
    assert "编外人员控制率指标分值 1 分，得分 0 分。编外人员 40 人" in markdown
    assert "0 起" not in markdown and "<think>" not in markdown
    kept = {n.paragraph for n in notes if not n.polished and n.section == "评价指标分析"}
    assert len(kept) == 3 and sum(n.polished for n in notes) == len(notes) - 3
    reasons = " ".join(p for n in notes for p in n.problems)
    assert "缺少数字" in reasons and "多出数字" in reasons
    # headings and lists are not sent; the ledger of numbers is the draft's own
    sent = [paragraph_of(r["body"]) for r in fake_llm.chats()]
    assert not any(s.startswith(("#", "- ")) for s in sent) and len(sent) == len(notes)
    for before, after in zip(draft.sections, polished.sections, strict=True):
        assert before.numbers == after.numbers
        for placed in after.numbers:
            assert re.sub(r"\s", "", placed.text) in re.sub(r"\s", "", after.markdown)


def test_polish_stops_asking_when_the_endpoint_fails(draft, fake_llm: FakeLLM) -> None:
    calls = []

    def responder(body: dict) -> object:
        calls.append(body)
        return paragraph_of(body) if len(calls) == 1 else {"status": 500}

    fake_llm.responder = responder
    polished, notes = polish_draft(draft, ChatClient(fake_llm.url, model="m", timeout=5))
    assert len(fake_llm.chats()) == 2
    assert notes[0].polished and all(not n.polished and "HTTP 500" in n.problems[0] for n in notes[2:])


def test_draft_polish_on_the_command_line(home: Path, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", fake_llm.url)
    fake_llm.responder = lambda body: paragraph_of(body).replace("我局", "本局")
    assert main(["draft", str(EX2024), "--section", "基本情况", "--polish", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert "本局" in data["sections"][0]["markdown"] or all(n["polished"] for n in data["polish"])
    assert all(n["polished"] for n in data["polish"]) and "润色：" in captured.err
