"""CoreClient against a scripted MockTransport: auth, retries, errors, paging."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live import client as client_module
from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import (
    CoreAuthError,
    CoreResponseError,
    CoreUnreachable,
    CoreVersionError,
)
from tests.live.fakecore import KEY, SECRET, URL, FakeCore, Sequence
from tests.live.loopback import misbehaving


def make(core: FakeCore, **options: Any) -> CoreClient:
    return CoreClient(URL, KEY, SECRET, transport=core.transport(), **options)


def error(status: int, text: str = "boom") -> httpx.Response:
    return httpx.Response(status, json={"error": text, "trace": ["inner cause"]})


def test_read_posts_type_and_params_with_key_headers() -> None:
    core = FakeCore({"GetStack": {"name": "web"}})
    assert make(core).read("GetStack", {"stack": "web"}) == {"name": "web"}
    assert core.calls == [("/read", "GetStack", {"stack": "web"})]
    assert core.headers[0]["x-api-key"] == KEY
    assert core.headers[0]["x-api-secret"] == SECRET


def test_write_and_execute_post_to_their_paths() -> None:
    core = FakeCore({"RefreshStackCache": {}, "RunSync": {"id": "u1"}})
    client = make(core)
    client.write("RefreshStackCache", {"stack": "web"})
    client.execute("RunSync", {"sync": "infra"})
    assert [path for path, _, _ in core.calls] == ["/write", "/execute"]


@pytest.mark.parametrize("status", [401, 403])
def test_refused_key_is_an_auth_error_naming_the_variables(status: int) -> None:
    core = FakeCore({"ListStacks": error(status, "invalid api secret")})
    with pytest.raises(CoreAuthError) as caught:
        make(core).read("ListStacks", {})
    message = str(caught.value)
    assert message.startswith(f"ListStacks: Core refused the API key ({status})")
    assert "invalid api secret" in message
    assert "KOMODO_API_KEY" in message
    assert caught.value.status == status
    assert core.count("ListStacks") == 1


def test_unavailable_read_is_retried_then_succeeds() -> None:
    core = FakeCore({"ListStacks": Sequence(error(503), error(502), [])})
    assert make(core).read("ListStacks", {}) == []
    assert core.count("ListStacks") == 3


def test_read_gives_up_after_its_retries_with_komodos_text() -> None:
    core = FakeCore({"ListStacks": error(503, "database is down")})
    with pytest.raises(CoreUnreachable) as caught:
        make(core, retries=2).read("ListStacks", {})
    assert str(caught.value) == (
        "ListStacks: Core answered 503: database is down | inner cause; "
        "3 attempts over 0.0 s"
    )
    assert core.count("ListStacks") == 3


@pytest.mark.parametrize("send", ["write", "execute"])
def test_write_and_execute_are_never_retried(send: str) -> None:
    core = FakeCore({"RunSync": Sequence(error(503), {"id": "u1"})})
    with pytest.raises(CoreUnreachable):
        getattr(make(core), send)("RunSync", {"sync": "infra"})
    assert core.count("RunSync") == 1


def test_server_error_500_is_not_retried() -> None:
    core = FakeCore({"GetStack": error(500, "no stack named web")})
    with pytest.raises(CoreResponseError, match="Core answered 500: no stack"):
        make(core).read("GetStack", {"stack": "web"})
    assert core.count("GetStack") == 1


def test_timeout_is_retried_and_then_reported_with_the_timeout() -> None:
    attempts = []

    def hang(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ReadTimeout("timed out", request=request)

    client = CoreClient(
        URL, KEY, SECRET, timeout=2.5, retries=1, transport=httpx.MockTransport(hang)
    )
    with pytest.raises(CoreUnreachable) as caught:
        client.read("ListStacks", {})
    assert re.fullmatch(
        r"ListStacks: no answer within 2.5 s; 2 attempts over \d+\.\d s",
        str(caught.value),
    )
    assert len(attempts) == 2


def test_a_single_attempt_does_not_count_attempts() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = CoreClient(
        URL, KEY, SECRET, timeout=1, retries=0, transport=httpx.MockTransport(hang)
    )
    with pytest.raises(CoreUnreachable) as caught:
        client.read("ListStacks", {})
    assert str(caught.value) == "ListStacks: no answer within 1 s"


def test_a_dripping_answer_ends_at_the_timeout() -> None:
    """Headers, then a byte every 50 ms of a 100 kB body: each read is quick,
    so only the overall deadline ends each attempt."""
    with misbehaving("drip") as server:
        client = CoreClient(server.url, KEY, SECRET, timeout=0.3, retries=1)
        began = time.monotonic()
        with pytest.raises(CoreUnreachable) as caught:
            client.read("ListStacks", {})
        elapsed = time.monotonic() - began
    assert elapsed < 2.5
    assert server.connections == 2
    assert re.fullmatch(
        r"ListStacks: answer not complete within 0.3 s "
        r"\(\d+ of 100,000 bytes received\); 2 attempts over 0\.\d s",
        str(caught.value),
    ), str(caught.value)


def test_connection_refused_is_unreachable_and_chained() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = CoreClient(
        URL, KEY, SECRET, retries=0, transport=httpx.MockTransport(refuse)
    )
    with pytest.raises(CoreUnreachable, match="cannot reach") as caught:
        client.read("GetVersion", {})
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_malformed_json_is_a_response_error() -> None:
    core = FakeCore({"ListStacks": httpx.Response(200, content=b"{'name': 'web'}")})
    with pytest.raises(CoreResponseError) as caught:
        make(core).read("ListStacks", {})
    assert str(caught.value) == (
        "ListStacks: answer is not JSON (15 bytes, status 200): {'name': 'web'}"
    )
    assert core.count("ListStacks") == 1


LOGIN = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in - Authelia</title></head>"
    b"<body><form>...</form></body></html>"
)


@pytest.mark.parametrize(
    ("answer", "looks"),
    [
        (
            httpx.Response(200, content=LOGIN),
            "but an HTML page titled 'Sign in - Authelia' (104 bytes, status 200)",
        ),
        (
            httpx.Response(200, html="<p>Welcome to nginx!</p>"),
            "but an HTML page (24 bytes, status 200)",
        ),
        (httpx.Response(200, content=b""), "but empty (status 200)"),
        (httpx.Response(200, content=b" \n"), "but empty (status 200)"),
    ],
)
def test_a_page_that_is_not_core_says_what_it_looked_like(
    answer: httpx.Response, looks: str
) -> None:
    core = FakeCore({"ListStacks": answer})
    with pytest.raises(CoreResponseError) as caught:
        make(core).read("ListStacks", {})
    assert str(caught.value) == (
        f"ListStacks: answer is not JSON {looks}; the URL may point at a reverse "
        "proxy or a login page rather than Komodo Core's API"
    )


def test_an_html_error_page_is_named_by_its_title() -> None:
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body>"
    core = FakeCore({"ListStacks": httpx.Response(502, content=page)})
    with pytest.raises(CoreUnreachable) as caught:
        make(core, retries=0).read("ListStacks", {})
    assert str(caught.value) == (
        "ListStacks: Core answered 502: an HTML page titled '502 Bad Gateway'"
    )


def test_a_refused_write_says_which_permission_is_missing() -> None:
    refused = error(403, "user does not have Write permissions")
    core = FakeCore({"RefreshStackCache": refused})
    with pytest.raises(CoreAuthError) as caught:
        make(core).write("RefreshStackCache", {"stack": "web"})
    assert str(caught.value) == (
        "RefreshStackCache: Core refused (403): user does not have Write "
        "permissions | inner cause; the API key needs write permission for "
        "RefreshStackCache"
    )


def test_truncated_body_is_a_response_error() -> None:
    core = FakeCore({"ListStacks": httpx.Response(200, content=b'[{"name": "we')})
    with pytest.raises(CoreResponseError, match="not JSON"):
        make(core).read("ListStacks", {})


def test_dropped_connection_mid_body_is_retried_for_reads() -> None:
    calls = []

    def drop(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        return httpx.Response(200, json=[])

    client = CoreClient(URL, KEY, SECRET, transport=httpx.MockTransport(drop))
    assert client.read("ListStacks", {}) == []
    assert len(calls) == 2


def test_non_json_error_body_is_quoted_trimmed() -> None:
    core = FakeCore({"ListStacks": httpx.Response(418, text="x" * 1000)})
    with pytest.raises(CoreResponseError) as caught:
        make(core).read("ListStacks", {})
    assert len(str(caught.value)) < 340
    assert str(caught.value).endswith("…")


def test_list_all_sends_limit_zero_once() -> None:
    core = FakeCore({"ListStacks": [{"name": f"s{n}"} for n in range(120)]})
    items = make(core).list_all("ListStacks", {"query": {}})
    assert len(items) == 120
    assert core.calls == [("/read", "ListStacks", {"query": {}, "limit": 0})]


def test_list_all_pages_when_core_ignores_limit() -> None:
    stacks = [{"name": f"s{n}"} for n in range(120)]

    def paged(params: dict[str, Any]) -> list[dict[str, str]]:
        page = params.get("page", 0)
        return stacks[page * 50 : page * 50 + 50]

    core = FakeCore({"ListStacks": paged})
    assert make(core).list_all("ListStacks") == stacks
    assert core.count("ListStacks") == 3


def test_list_all_stops_when_core_ignores_page_too() -> None:
    fifty = [{"name": f"s{n}"} for n in range(50)]
    core = FakeCore({"ListStacks": fifty})
    assert make(core).list_all("ListStacks") == fifty
    assert core.count("ListStacks") == 2


def test_list_all_with_exactly_one_default_page_asks_once_more() -> None:
    fifty = [{"name": f"s{n}"} for n in range(50)]

    def honoured(params: dict[str, Any]) -> list[dict[str, str]]:
        return fifty if params["limit"] == 0 or params.get("page") == 0 else []

    core = FakeCore({"ListStacks": honoured})
    assert make(core).list_all("ListStacks") == fifty
    assert [params for _, _, params in core.calls] == [
        {"limit": 0},
        {"limit": 50, "page": 1},
    ]


def test_list_all_rejects_a_non_array() -> None:
    core = FakeCore({"ListStacks": {"stacks": []}})
    with pytest.raises(CoreResponseError) as caught:
        make(core).list_all("ListStacks")
    assert str(caught.value) == (
        "ListStacks: expected an array of objects, got an object"
    )


@pytest.mark.parametrize(
    ("items", "wrong"),
    [
        (["a", 1, None], "item 1 is a string"),
        ([{"name": "web"}, 1], "item 2 is a number"),
        ([{"name": "web"}, {"name": "db"}, None], "item 3 is null"),
        ([[]], "item 1 is an array"),
        ([True], "item 1 is a boolean"),
    ],
)
def test_list_all_rejects_items_that_are_not_objects(
    items: list[Any], wrong: str
) -> None:
    core = FakeCore({"ListStacks": items})
    with pytest.raises(CoreResponseError) as caught:
        make(core).list_all("ListStacks")
    assert str(caught.value) == f"ListStacks: expected an array of objects, {wrong}"


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ([], "an array"),
        ("up", "a string"),
        (httpx.Response(200, content=b"null"), "null"),
    ],
)
def test_get_rejects_an_answer_that_is_not_an_object(answer: Any, kind: str) -> None:
    core = FakeCore({"GetCoreInfo": Sequence(answer)})
    with pytest.raises(CoreResponseError) as caught:
        make(core).get("GetCoreInfo")
    assert str(caught.value) == f"GetCoreInfo: expected an object, got {kind}"
    assert make(FakeCore({"GetCoreInfo": {"title": "x"}})).get("GetCoreInfo") == {
        "title": "x"
    }


def test_pages_follows_next_page() -> None:
    def updates(params: dict[str, Any]) -> dict[str, Any]:
        page = params["page"]
        return {
            "updates": [{"id": f"{page}-{n}"} for n in range(100 if page < 2 else 7)],
            "next_page": page + 1 if page < 2 else None,
        }

    core = FakeCore({"ListUpdates": updates})
    result = make(core).pages("ListUpdates", {"query": {"success": False}}, "updates")
    assert len(result.items) == 207
    assert not result.truncated
    assert [params["page"] for _, _, params in core.calls] == [0, 1, 2]
    assert all(params["query"] == {"success": False} for _, _, params in core.calls)


def test_pages_stops_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module, "MAX_PAGES", 3)

    def endless(params: dict[str, Any]) -> dict[str, Any]:
        return {"alerts": [{"_id": {"$oid": "a"}}], "next_page": params["page"] + 1}

    core = FakeCore({"ListAlerts": endless})
    result = make(core).pages("ListAlerts", {}, "alerts")
    assert result.truncated
    assert len(result.items) == 3
    assert core.count("ListAlerts") == 3


def test_pages_rejects_a_next_page_that_does_not_advance() -> None:
    core = FakeCore({"ListUpdates": {"updates": [], "next_page": 0}})
    with pytest.raises(CoreResponseError, match="does not follow page 0"):
        make(core).pages("ListUpdates", {}, "updates")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([], "expected an object holding the `updates` array, got an array"),
        ({}, "answer has no `updates` array"),
        ({"updates": "none"}, "answer has no `updates` array"),
        (
            {"updates": [{"id": "u1"}, "u2"], "next_page": None},
            "expected an array of objects in `updates`, item 2 is a string",
        ),
    ],
)
def test_a_page_without_its_array_of_objects_is_an_error(
    answer: Any, message: str
) -> None:
    core = FakeCore({"ListUpdates": Sequence(answer)})
    with pytest.raises(CoreResponseError) as caught:
        make(core).pages("ListUpdates", {}, "updates")
    assert str(caught.value) == f"ListUpdates: {message}"


@pytest.mark.parametrize(
    ("reported", "model"),
    [("2.3.2", "2.3.2"), ("v2.3.0", "2.3.2"), ("1.19.1", "1.19.5"), ("2.9.0", "2.3.2")],
)
def test_model_version_maps_to_the_closest_supported(reported: str, model: str) -> None:
    core = FakeCore({"GetVersion": {"version": reported}})
    client = make(core)
    assert client.version() == reported
    assert client.model_version() == KomodoVersion.parse(model)


@pytest.mark.parametrize("answer", [{"version": "nightly"}, {"version": "1.0.0"}])
def test_unsupported_version_is_a_version_error(answer: dict[str, str]) -> None:
    core = FakeCore({"GetVersion": answer})
    with pytest.raises(CoreVersionError, match="GetVersion: "):
        make(core).model_version()


def test_a_version_that_is_no_version_is_quoted_redacted() -> None:
    core = FakeCore({"GetVersion": {"version": "password=hunter2-db"}})
    with pytest.raises(CoreVersionError) as caught:
        make(core).model_version()
    assert "hunter2-db" not in str(caught.value)
    assert str(caught.value).startswith("GetVersion: 'password=***' is not a")


def test_version_without_a_version_string_is_a_response_error() -> None:
    core = FakeCore({"GetVersion": {"release": "2.3.2"}})
    with pytest.raises(CoreResponseError, match="no `version` string"):
        make(core).version()


def test_from_env_reads_both_variables() -> None:
    core = FakeCore({"GetVersion": {"version": "2.3.2"}})
    env = {"KOMODO_API_KEY": "k1", "KOMODO_API_SECRET": "s1"}
    client = CoreClient.from_env(URL, environ=env, transport=core.transport())
    client.version()
    assert core.headers[0]["x-api-key"] == "k1"
    assert core.headers[0]["x-api-secret"] == "s1"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"KOMODO_API_KEY": "k1"}, "KOMODO_API_SECRET not set"),
        ({"KOMODO_API_SECRET": "s1"}, "KOMODO_API_KEY not set"),
        ({}, "KOMODO_API_KEY and KOMODO_API_SECRET not set"),
    ],
)
def test_from_env_names_the_missing_variable(env: dict[str, str], missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        CoreClient.from_env(URL, environ=env)


def test_from_env_defaults_to_the_process_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMODO_API_KEY", "k2")
    monkeypatch.delenv("KOMODO_API_SECRET", raising=False)
    with pytest.raises(ValueError, match="KOMODO_API_SECRET not set"):
        CoreClient.from_env(URL)


def test_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="must start with http"):
        CoreClient("127.0.0.1:9120", KEY, SECRET)


def test_url_must_not_carry_credentials() -> None:
    with pytest.raises(ValueError, match="must not hold a user") as caught:
        CoreClient("http://admin:pw-in-url@127.0.0.1:9120", KEY, SECRET)
    assert "pw-in-url" not in str(caught.value)


def test_context_manager_closes_the_pool() -> None:
    core = FakeCore({"GetVersion": {"version": "2.3.2"}})
    with make(core) as client:
        client.version()
    with pytest.raises(RuntimeError):
        client.version()


def test_a_short_key_is_masked_as_a_word_not_inside_words() -> None:
    from komodo_guard.live.client import CoreClient

    client = CoreClient("http://127.0.0.1:9", "a", "b", timeout=0.1, retries=0)
    try:
        masked = client._masked("cannot reach a b; key=a")
    finally:
        client.close()
    assert "cannot reach" in masked
    assert " a " not in f" {masked} "
    assert "key=a" not in masked
