"""The API key and secret never reach an error message, even when Core echoes them."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreError
from tests.live.fakecore import URL

# Header-safe credentials: visible ASCII, no surrounding spaces.
credential = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=6, max_size=40
)
statuses = st.sampled_from([200, 400, 401, 403, 404, 500, 502, 503, 504])


def echo(status: int) -> httpx.MockTransport:
    """A Core that echoes the request headers and body in whatever it answers."""

    def handler(request: httpx.Request) -> httpx.Response:
        echoed = f"{dict(request.headers)} {request.content.decode()}"
        if status == 200:
            return httpx.Response(200, content=b"not json " + echoed.encode())
        return httpx.Response(status, json={"error": echoed, "trace": [echoed]})

    return httpx.MockTransport(handler)


def raising(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError(f"refused {dict(request.headers)}", request=request)


def assert_hidden(error: CoreError, *secrets: str) -> None:
    for shown in (str(error), repr(error), error.detail, *map(str, error.args)):
        for secret in secrets:
            assert secret not in shown


@settings(max_examples=60, deadline=None)
@given(
    key=credential,
    secret=credential,
    status=statuses,
    kind=st.sampled_from(["read", "write", "execute"]),
)
def test_echoed_credentials_are_redacted(
    key: str, secret: str, status: int, kind: str
) -> None:
    client = CoreClient(URL, key, secret, retries=0, transport=echo(status))
    with pytest.raises(CoreError) as caught:
        getattr(client, kind)("UpdateVariableValue", {"name": "TOKEN", "value": secret})
    assert_hidden(caught.value, key, secret)


@settings(max_examples=30, deadline=None)
@given(key=credential, secret=credential)
def test_transport_errors_are_redacted(key: str, secret: str) -> None:
    client = CoreClient(
        URL, key, secret, retries=0, transport=httpx.MockTransport(raising)
    )
    with pytest.raises(CoreError) as caught:
        client.read("GetVersion", {"probe": key})
    assert_hidden(caught.value, key, secret)


def test_the_echo_really_carries_the_secret() -> None:
    """Guard against a vacuous property: unredacted, the secret would show."""
    response = echo(500).handle_request(
        httpx.Request("POST", URL, headers={"x-api-secret": "S-visible"}, content=b"{}")
    )
    assert "S-visible" in json.loads(response.content)["error"]
