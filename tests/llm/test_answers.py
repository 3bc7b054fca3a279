"""Answers phrased by a model behind the guard, on a deterministic answer built by hand (fast); the
real pipeline end to end is in test_pipeline_llm.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import SecretStr

from assistant.llm.answers import phrase, renumber
from assistant.llm.client import ChatClient
from assistant.qa.model import Answer, Citation, IndicatorFacts

from .conftest import MODEL, FakeLLM

KEY = "sk-answers-77c1d0e9secret"
TITLE = "龙岗区2019年产业发展专项资金绩效评价报告"
DETERMINISTIC = ("龙岗区2019年产业发展专项资金绩效评价报告中，「决策 > 绩效目标 > 绩效目标合理性」指标分值 4 分，"
                 "得分 2.5 分，扣 1.5 分。\n扣分原因（报告原文）：「绩效目标设置不够全面，未设置资金到位及时率等时效指标。」")


def deterministic() -> Answer:
    return Answer(
        question="为什么绩效目标合理性扣了1.5分？", answer=DETERMINISTIC, answered=True, intent="deduction",
        citations=[
            Citation(doc="001", title=TITLE, section="表3 评价指标得分", page=12, quote="绩效目标合理性 4 2.5"),
            Citation(doc="001", title=TITLE, section="四、绩效分析", page=15,
                     quote="绩效目标设置不够全面，未设置资金到位及时率等时效指标。"),
            Citation(doc="001", title=TITLE, section="三、总体情况", page=8, quote="项目整体预算执行率为93.35%。"),
        ],
        indicator=IndicatorFacts(doc="001", levels=["决策", "绩效目标", "绩效目标合理性"], weight=Decimal(4),
                                 score=Decimal("2.5"), deduction=Decimal("1.5"),
                                 reason="绩效目标设置不够全面，未设置资金到位及时率等时效指标。"),
    )


@pytest.fixture
def client(fake_llm: FakeLLM) -> ChatClient:
    return ChatClient(fake_llm.url, api_key=SecretStr(KEY), timeout=1.0)


def test_a_good_reply_is_shown_with_the_citations_it_cites(fake_llm: FakeLLM, client: ChatClient) -> None:
    fake_llm.reply("这个指标满分4分，实际得了2.5分，所以扣了1.5分[E1]。主要原因是报告指出"
                   "「未设置资金到位及时率等时效指标」[E2]。")
    a = phrase(client, deterministic())
    assert a.llm_rejected is False and a.answered
    assert a.answer == ("这个指标满分4分，实际得了2.5分，所以扣了1.5分[1]。主要原因是报告指出"
                        "「未设置资金到位及时率等时效指标」[2]。")
    assert [c.page for c in a.citations] == [12, 15]  # only what it cites, in the order it cites them
    assert a.exact_answer == DETERMINISTIC and MODEL in (a.llm_note or "")
    # the model was sent the question, the deterministic answer, the facts and the evidence with ids
    prompt = fake_llm.chats()[0]["body"]["messages"][-1]["content"]
    for part in ("为什么绩效目标合理性扣了1.5分？", "扣 1.5 分", "[E1]", "[E3]", "项目整体预算执行率为93.35%。", "分值 4 分"):
        assert part in prompt


@pytest.mark.parametrize(("reply", "why"), [
    ("该指标满分4分，得了2.5分，扣了1.5分，在全区排名第6[E1]。", "数字 6"),  # an invented number
    ("该指标满分4分，得了3分，扣了1分[E1]。", "数字 3分"),  # a changed number
    ("项目预算执行率约为93.4%[E3]。", "数字 93.4%"),  # a changed number (rounded)
    ("报告原文是「未设置任何时效指标」[E2]。", "引文"),  # a misquoted sentence
    ("该指标得了2.5分[E1]，扣分原因见[E9]。", "E9"),  # a made-up citation id
])
def test_an_unfaithful_reply_is_rejected_and_the_deterministic_answer_shown(
        fake_llm: FakeLLM, client: ChatClient, reply: str, why: str) -> None:
    fake_llm.reply(reply)
    a = phrase(client, deterministic())
    assert a.llm_rejected is True
    assert a.answer == DETERMINISTIC and len(a.citations) == 3 and a.exact_answer is None
    assert a.llm_note and "未采用" in a.llm_note and why in a.llm_note
    assert any(t.startswith("llm: rejected") for t in a.trace)


@pytest.mark.parametrize("reply", [{"status": 500}, {"status": 503}, {"delay": 2.5, "content": "扣了1.5分[E1]"},
                                   {"raw": b"{\"choices\": []}"}])
def test_errors_and_timeouts_fall_back_cleanly(fake_llm: FakeLLM, client: ChatClient, reply: object) -> None:
    fake_llm.reply(reply)
    a = phrase(client, deterministic())
    assert a.llm_rejected is None and a.answer == DETERMINISTIC and len(a.citations) == 3
    assert a.llm_note and "模型未能作答" in a.llm_note and "\n" not in a.llm_note
    assert any(t.startswith("llm: failed") for t in a.trace)


def test_names_from_the_facts_may_be_quoted(fake_llm: FakeLLM, client: ChatClient) -> None:
    fake_llm.reply("「决策 > 绩效目标 > 绩效目标合理性」扣了1.5分[E1]。", "「绩效目标合理性」扣了1.5分[E1]。",
                   "「绩效目标明确性」扣了1.5分[E1]。",
                   "原因：「绩效目标设置不够全面，未设置资金到位及时率等时效指标。」[E1]",  # as the answer quotes it
                   "原因：「绩效目标设置不够全面」[E1]")  # part of it: only from the evidence it cites
    assert [phrase(client, deterministic()).llm_rejected for _ in range(5)] == [False, False, True, False, True]


def test_streamed_pieces_and_the_conversation_so_far(fake_llm: FakeLLM, client: ChatClient) -> None:
    fake_llm.reply("扣了1.5分[E1]，原因是未设置资金到位及时率等时效指标[E2]。")
    pieces: list[str] = []
    history = [("龙岗专项资金总分多少？", "总分 85.5 分[1]。")]
    a = phrase(client, deterministic(), history, on_delta=pieces.append)
    assert a.llm_rejected is False and "".join(pieces).startswith("扣了1.5分[E1]")
    sent = fake_llm.chats()[0]["body"]["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[1]["content"] == "龙岗专项资金总分多少？" and sent[2]["content"] == "总分 85.5 分。"
    # a number from an earlier answer is not evidence for this one
    fake_llm.reply("总分85.5分，其中该指标扣了1.5分[E1]。")
    assert phrase(client, deterministic(), history).llm_rejected is True


def test_a_declined_question_is_not_sent_to_the_model(fake_llm: FakeLLM, client: ChatClient) -> None:
    declined = Answer(question="南山区2022年得分？", answer="语料中没有南山区的报告。", answered=False, intent="none")
    a = phrase(client, declined)
    assert a.llm_rejected is None and not fake_llm.chats() and a.answer == "语料中没有南山区的报告。"


def test_the_key_is_in_no_answer_trace_or_note(fake_llm: FakeLLM, client: ChatClient,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    fake_llm.reply("扣了1.5分[E1]。", {"status": 401}, "扣了9分[E1]。")
    answers = [phrase(client, deterministic()) for _ in range(3)]
    assert [a.llm_rejected for a in answers] == [False, None, True]
    assert all(r["headers"]["Authorization"] == f"Bearer {KEY}" for r in fake_llm.chats())
    for a in answers:
        assert KEY not in a.model_dump_json()
    assert KEY not in caplog.text


def test_renumber() -> None:
    assert renumber("甲[E3]，乙【E1, E3】，丙见E1。", ["E3", "E1"]) == "甲[1]，乙[2][1]，丙见[2]。"
