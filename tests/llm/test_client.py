"""The chat client against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from assistant.config import load_settings
from assistant.errors import ConfigError
from assistant.llm.client import ChatClient, LLMError, Message

from .conftest import MODEL, FakeLLM

KEY = "sk-test-3f9a1c77e0secret"


def test_a_reply_whole_and_streamed_with_the_key_in_the_header_only(fake_llm: FakeLLM) -> None:
    client = ChatClient(fake_llm.url, api_key=SecretStr(KEY), timeout=5)
    fake_llm.reply("扣了1.5分[E1]。", "预算执行率为93.35%[E2]，符合要求。")
    assert client.chat([Message("user", "你好")]) == "扣了1.5分[E1]。"
    pieces: list[str] = []
    assert client.chat([Message("user", "再说一次")], on_delta=pieces.append) == "预算执行率为93.35%[E2]，符合要求。"
    assert len(pieces) > 1 and "".join(pieces) == "预算执行率为93.35%[E2]，符合要求。"
    first, second = fake_llm.chats()
    assert first["body"]["model"] == MODEL  # no model configured: the first one the endpoint lists
    assert first["body"]["stream"] is False and second["body"]["stream"] is True
    assert first["headers"]["Authorization"] == f"Bearer {KEY}"
    assert KEY not in str(first["body"]) and KEY not in repr(client)


def test_a_server_that_does_not_stream_and_lists_no_models(fake_llm: FakeLLM) -> None:
    fake_llm.models = None
    fake_llm.reply({"content": "好", "no_stream": True}, "好")
    pieces: list[str] = []
    client = ChatClient(fake_llm.url, model="m", timeout=5)
    assert client.chat([Message("user", "x")], on_delta=pieces.append) == "好" and pieces == ["好"]
    assert client.ping()[0] == []  # a configured model still answers
    with pytest.raises(LLMError, match="HTTP 404"):
        ChatClient(fake_llm.url, timeout=5).chat([Message("user", "x")])  # no model named, none listed


def test_no_key_no_authorization_header(fake_llm: FakeLLM) -> None:
    ChatClient(fake_llm.url, model="m", timeout=5).chat([Message("user", "x")])
    assert "Authorization" not in fake_llm.chats()[0]["headers"]
    assert fake_llm.chats()[0]["body"]["model"] == "m"


@pytest.mark.parametrize(("reply", "message"), [
    ({"status": 500}, "HTTP 500"),
    ({"status": 401}, "HTTP 401"),
    ({"delay": 1.5, "content": "迟到的回答"}, "超时"),
    ({"raw": b"not json"}, "无法解析"),
])
def test_failures_are_one_line_errors(fake_llm: FakeLLM, reply: object, message: str) -> None:
    fake_llm.reply(reply)
    client = ChatClient(fake_llm.url, model="m", api_key=SecretStr(KEY), timeout=0.5)
    with pytest.raises(LLMError) as exc:
        client.chat([Message("user", "x")])
    assert message in str(exc.value) and "\n" not in str(exc.value) and KEY not in str(exc.value)


def test_a_slow_stream_is_cut_at_the_timeout(fake_llm: FakeLLM) -> None:
    fake_llm.reply({"delay": 1.5, "content": "迟到的回答"})
    with pytest.raises(LLMError, match="超时"):
        ChatClient(fake_llm.url, model="m", timeout=0.5).chat([Message("user", "x")], on_delta=lambda s: None)


def test_nothing_listening() -> None:
    with pytest.raises(LLMError, match="无法连接"):
        ChatClient("http://127.0.0.1:9/v1", model="m", timeout=2).chat([Message("user", "x")])


def test_settings_off_by_default_key_from_the_environment_only(home, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.llm_base_url is None and settings.llm_api_key is None
    with pytest.raises(LLMError, match="JIXIAO_LLM_BASE_URL"):
        ChatClient.from_settings(settings)
    monkeypatch.setenv("JIXIAO_LLM_BASE_URL", "http://127.0.0.1:11434/v1/")
    monkeypatch.setenv("JIXIAO_LLM_API_KEY", KEY)
    monkeypatch.setenv("JIXIAO_LLM_TIMEOUT", "7.5")
    settings = load_settings()
    assert settings.llm_base_url == "http://127.0.0.1:11434/v1" and settings.llm_timeout == 7.5
    assert settings.llm_api_key is not None and settings.llm_api_key.get_secret_value() == KEY
    assert KEY not in repr(settings) and KEY not in settings.model_dump_json()
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'llm_api_key = "{KEY}"\n', "utf-8")
    with pytest.raises(ConfigError, match="JIXIAO_LLM_API_KEY") as exc:
        load_settings()
    assert KEY not in str(exc.value)
    monkeypatch.delenv("JIXIAO_LLM_BASE_URL")
    (home / "config.toml").write_text('llm_base_url = "localhost:11434"\n', "utf-8")
    with pytest.raises(ConfigError, match="llm_base_url"):
        load_settings()
