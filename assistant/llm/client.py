"""A small client for an OpenAI-compatible chat endpoint (`POST {base}/chat/completions`,
`GET {base}/models`), with streaming. The only network jixiao does, and only when configured.

The API key travels in the Authorization header and nowhere else: it is held as a `SecretStr`, is
not part of any message, error or repr, and no request or response is logged with headers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import SecretStr

from assistant.config import Settings
from assistant.errors import JixiaoError

Delta = Callable[[str], None]


class LLMError(JixiaoError):
    """The model endpoint is not configured, cannot be reached, times out or answers nonsense."""


@dataclass
class Message:
    role: str  # system, user, assistant
    content: str

    def dump(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


class ChatClient:
    def __init__(self, base_url: str, model: str | None = None, api_key: SecretStr | None = None,
                 timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._model = model or None
        self._key = api_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> ChatClient:
        if not settings.llm_base_url:
            raise LLMError("未配置模型服务：请设置环境变量 JIXIAO_LLM_BASE_URL（或 config.toml 中的 llm_base_url），"
                           "例如 http://127.0.0.1:11434/v1")
        return cls(settings.llm_base_url, settings.llm_model, settings.llm_api_key, settings.llm_timeout)

    def __repr__(self) -> str:  # never the key
        return f"ChatClient({self.base_url!r}, model={self._model!r}, key={'set' if self._key else 'none'})"

    # ------------------------------------------------------------------ requests

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self._key is not None and self._key.get_secret_value():
            headers["Authorization"] = f"Bearer {self._key.get_secret_value()}"
        return headers

    def _client(self) -> httpx.Client:
        return httpx.Client(timeout=httpx.Timeout(self.timeout), headers=self._headers(),
                            trust_env=False)  # a proxy from the environment must not see the key

    def _fail(self, exc: Exception) -> LLMError:
        if isinstance(exc, httpx.TimeoutException):
            return LLMError(f"模型服务超时（{self.timeout:g} 秒无回复）：{self.base_url}")
        if isinstance(exc, httpx.HTTPStatusError):
            return LLMError(f"模型服务返回 HTTP {exc.response.status_code}：{self.base_url}")
        if isinstance(exc, httpx.HTTPError):
            return LLMError(f"无法连接模型服务 {self.base_url}（{type(exc).__name__}）")
        return LLMError(f"模型服务的回复无法解析：{type(exc).__name__}")

    def models(self) -> list[str]:
        """The model ids the endpoint lists."""
        try:
            with self._client() as client:
                r = client.get(f"{self.base_url}/models")
                r.raise_for_status()
                data = r.json()
            return [str(m["id"]) for m in data.get("data", [])]
        except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise self._fail(exc) from None

    @property
    def model(self) -> str:
        """The configured model, else the first one the endpoint lists."""
        if self._model is None:
            listed = self.models()
            if not listed:
                raise LLMError(f"模型服务 {self.base_url} 没有列出任何模型：请设置 JIXIAO_LLM_MODEL")
            self._model = listed[0]
        return self._model

    def chat(self, messages: list[Message], on_delta: Delta | None = None, max_tokens: int = 1024,
             temperature: float = 0.2) -> str:
        """The model's reply, whole. With `on_delta` the reply is streamed and each piece is passed to it
        as it arrives (the whole reply is still returned). The timeout bounds the whole call."""
        body: dict[str, Any] = {"model": self.model, "messages": [m.dump() for m in messages],
                                "temperature": temperature, "max_tokens": max_tokens,
                                "stream": on_delta is not None}
        try:
            with self._client() as client:
                if on_delta is None:
                    r = client.post(f"{self.base_url}/chat/completions", json=body)
                    r.raise_for_status()
                    return _content(r.json()["choices"][0]["message"])
                return self._stream(client, body, on_delta)
        except LLMError:
            raise
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise self._fail(exc) from None

    def _stream(self, client: httpx.Client, body: dict[str, Any], on_delta: Delta) -> str:
        deadline = time.monotonic() + self.timeout
        parts: list[str] = []
        with client.stream("POST", f"{self.base_url}/chat/completions", json=body) as r:
            r.raise_for_status()
            if r.headers.get("content-type", "").startswith("application/json"):  # a server that does not stream
                r.read()
                whole = _content(r.json()["choices"][0]["message"])
                on_delta(whole)
                return whole
            for line in r.iter_lines():
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline")
                line = line.strip()
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                event = json.loads(data)
                if not event.get("choices"):
                    continue
                piece = _content(event["choices"][0].get("delta") or {})
                if piece:
                    parts.append(piece)
                    on_delta(piece)
        return "".join(parts)

    def ping(self) -> tuple[list[str], float]:
        """The models listed and the seconds a one-word chat took (for `jixiao doctor`)."""
        try:
            listed = self.models()
        except LLMError:
            if self._model is None:
                raise
            listed = []  # some servers list no models; a configured model can still answer
        if self._model is None and listed:
            self._model = listed[0]
        start = time.perf_counter()
        self.chat([Message("user", "请只回复“好”。")], max_tokens=8, temperature=0)
        return listed, time.perf_counter() - start


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if content is None:
        return ""
    if not isinstance(content, str):
        raise TypeError("content is not text")
    return content
