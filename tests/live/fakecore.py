"""A scripted fake Komodo Core for MockTransport tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

URL = "http://127.0.0.1:9120"
KEY = "K-test-key"
SECRET = "S-test-secret"

Answer = httpx.Response | Callable[[dict[str, Any]], httpx.Response] | Any


class FakeCore:
    """A MockTransport handler answering by request type, logging every call.

    ``answers[type]`` is a JSON value (200), an ``httpx.Response``, a callable
    taking the params, or a list of those consumed one per call when wrapped in
    :class:`Sequence`.
    """

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        kind, params = body["type"], body["params"]
        self.calls.append((request.url.path, kind, params))
        self.headers.append(request.headers)
        answer = self.answers.get(kind)
        if isinstance(answer, Sequence):
            answer = answer.next()
        if callable(answer):
            answer = answer(params)
        if isinstance(answer, httpx.Response):
            return answer
        if answer is None and kind not in self.answers:
            return httpx.Response(404, json={"error": f"no {kind}", "trace": []})
        return httpx.Response(200, json=answer)

    def count(self, kind: str) -> int:
        """How many times ``kind`` was called."""
        return sum(1 for _, called, _ in self.calls if called == kind)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


class Sequence:
    """Answers given one per call, the last one repeated."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)

    def next(self) -> Answer:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
