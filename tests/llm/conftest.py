"""A fake OpenAI-compatible endpoint on 127.0.0.1 that replays canned replies, for the model tests.

Each canned reply is a string (the assistant's content), or a dict: {"status": 500} for an HTTP
error, {"delay": seconds, "content": …} for a slow reply, {"raw": bytes} for a broken body; with
no canned reply left, `responder(body)` (if set) makes one from the request. Every request is
recorded (path, headers, JSON body) so tests can see what the model was sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

MODEL = "fake-qwen"


@dataclass
class FakeLLM:
    url: str = ""
    replies: list[Any] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    models: list[str] | None = field(default_factory=lambda: [MODEL])  # None: GET /models is a 404
    responder: Callable[[dict[str, Any]], Any] | None = None

    def reply(self, *replies: Any) -> FakeLLM:
        self.replies.extend(replies)
        return self

    def chats(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith("/chat/completions")]


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": None})
            if self.path.endswith("/models") and fake.models is not None:
                self._send(200, json.dumps({"object": "list", "data": [{"id": m, "object": "model"}
                                                                       for m in fake.models]}).encode())
            else:
                self._send(404, b'{"error": "not found"}')

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if fake.replies:
                spec = fake.replies.pop(0)
            else:
                spec = fake.responder(body) if fake.responder else "（没有更多预设回复）"
            if isinstance(spec, str):
                spec = {"content": spec}
            if spec.get("delay"):
                time.sleep(spec["delay"])
            if spec.get("status"):
                self._send(spec["status"], b'{"error": {"message": "boom"}}')
                return
            if "raw" in spec:
                self._send(200, spec["raw"])
                return
            content = spec["content"]
            if body.get("stream") and not spec.get("no_stream"):
                chunks = [content[i:i + 7] for i in range(0, len(content), 7)]
                events = [{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
                events += [{"choices": [{"index": 0, "delta": {"content": c}}]} for c in chunks]
                events += [{"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
                data = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events)
                data += "data: [DONE]\n\n"
                self._send(200, data.encode(), "text/event-stream")
                return
            self._send(200, json.dumps({"id": "x", "object": "chat.completion", "model": body.get("model"),
                                        "choices": [{"index": 0, "finish_reason": "stop",
                                                     "message": {"role": "assistant", "content": content}}]},
                                       ensure_ascii=False).encode())

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client gone after its timeout
        pass


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    server = _Server(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
