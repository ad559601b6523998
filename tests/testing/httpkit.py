"""Tiny HTTP helpers for talking to the emulator the way a client would."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

from komodo_guard.testing import CoreEmulator

AUTH = {"x-api-key": "key", "x-api-secret": "secret"}


def post(
    core: CoreEmulator,
    path: str,
    body: bytes | Any,
    headers: dict[str, str] | None = None,
    timeout: float = 3,
) -> tuple[int, bytes]:
    """POST `body` (JSON-encoded unless bytes) to `path`; (status, raw body)."""
    address = urlsplit(core.url)
    connection = http.client.HTTPConnection(
        address.hostname or "", address.port, timeout=timeout
    )
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent = {
        "content-type": "application/json",
        **(AUTH if headers is None else headers),
    }
    try:
        connection.request("POST", path, body=data, headers=sent)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def call(core: CoreEmulator, group: str, kind: str, params: Any = None) -> Any:
    """A successful ``/group/Kind`` call's parsed JSON (asserts status 200)."""
    status, raw = post(core, f"/{group}/{kind}", params or {})
    assert status == 200, raw
    return json.loads(raw)
