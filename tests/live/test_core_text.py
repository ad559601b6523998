"""What Core says reaches errors and the snapshot redacted, whatever its shape.

Core's error texts quote what failed below it: a database URL with its
password, a line of a config file, a proxy's login page. None of those
credentials may reach a ``CoreError`` (stderr, the reports) or an
``Incomplete`` entry of the snapshot.
"""

from __future__ import annotations

import json
import string
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreError
from komodo_guard.live.snapshot import collect_snapshot
from tests.live.fakecore import KEY, SECRET, URL, FakeCore
from tests.live.test_snapshot import answers

# Passwords as people choose them: no spaces, quotes or separators that end a
# value in any of the shapes below.
PASSWORD = st.text(
    alphabet=string.ascii_letters + string.digits + "-_.+/=!#$%^*~",
    min_size=8,
    max_size=32,
).filter(lambda text: any(char.isalpha() for char in text))


def komodo_error(status: int, error: str, *trace: str) -> httpx.Response:
    return httpx.Response(status, json={"error": error, "trace": list(trace)})


def html(status: int, body: str) -> httpx.Response:
    return httpx.Response(status, html=body)


SHAPES = (
    lambda a, b: komodo_error(
        500,
        f"db error: mongodb://komodo:{a}@mongo:27017 auth failed password={b}",
    ),
    lambda a, b: komodo_error(
        500, "failed to refresh", f"git clone https://oauth2:{a}@git.example/x.git"
    ),
    lambda a, b: komodo_error(
        401, f"invalid api secret (password is {a})", f"token={b}"
    ),
    lambda a, b: html(502, f"<html><title>password={a}</title><p>pw: {b}</p>"),
    lambda a, b: html(200, f"<html><body>password={a} (password was {b})</body>"),
    lambda a, b: httpx.Response(200, text=f"POSTGRES_PASSWORD={a}\nDB_PASS: {b}\n"),
    lambda a, b: httpx.Response(
        418, text=json.dumps({"message": f"secret={a}", "api_key": b})
    ),
)


def client_for(core: FakeCore) -> CoreClient:
    return CoreClient(URL, KEY, SECRET, retries=0, transport=core.transport())


@given(
    first=PASSWORD,
    second=PASSWORD,
    shape=st.sampled_from(SHAPES),
    call=st.sampled_from(["read", "write"]),
)
def test_no_credential_from_core_reaches_an_error(
    first: str, second: str, shape: Any, call: str
) -> None:
    assume(first not in second and second not in first)
    core = FakeCore({"ListStacks": shape(first, second)})
    try:
        getattr(client_for(core), call)("ListStacks", {})
    except CoreError as error:
        shown = f"{error} {error.detail!r} {error.args!r}"
    else:
        raise AssertionError("every shape is an error")
    for password in (first, second, KEY, SECRET):
        assert password not in shown, shown


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(first=PASSWORD, second=PASSWORD, shape=st.sampled_from(SHAPES))
def test_no_credential_from_core_reaches_the_snapshot(
    first: str, second: str, shape: Any
) -> None:
    assume(first not in second and second not in first)
    core = FakeCore(answers(ListStacks=shape(first, second)))
    snapshot = collect_snapshot(client_for(core))
    (entry,) = snapshot.incomplete
    assert entry.call == "ListStacks"
    shown = repr(snapshot.incomplete) + repr(snapshot.unread)
    for password in (first, second):
        assert password not in shown, shown


def test_the_tester_s_answer_is_redacted_and_still_readable() -> None:
    answer = komodo_error(
        500,
        "db error: mongodb://komodo:MONGOPASS-777@mongo:27017 auth failed "
        "password=hunter2",
    )
    core = FakeCore({"ListStacks": answer})
    with pytest.raises(CoreError) as caught:
        client_for(core).read("ListStacks")
    assert str(caught.value) == (
        "ListStacks: Core answered 500: db error: mongodb://***@mongo:27017 "
        "auth failed password=***"
    )
