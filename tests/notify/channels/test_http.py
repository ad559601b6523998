"""How the shared HTTP sender classes answers and failures."""

import email.utils

import httpx
import pytest

from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.channels.http import retry_after
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder, Reply


def webhook(url: str) -> dict[str, object]:
    return {"type": "webhook", "url": url, "timeout": 3}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, Delivery.DELIVERED),
        (202, Delivery.DELIVERED),
        (204, Delivery.DELIVERED),
        (301, Delivery.PERMANENT),
        (400, Delivery.PERMANENT),
        (401, Delivery.PERMANENT),
        (404, Delivery.PERMANENT),
        (408, Delivery.RETRYABLE),
        (413, Delivery.PERMANENT),
        (429, Delivery.RETRYABLE),
        (500, Delivery.RETRYABLE),
        (502, Delivery.RETRYABLE),
        (503, Delivery.RETRYABLE),
    ],
)
def test_status_classes(
    http_server: HttpRecorder, sender: Sender, status: int, expected: Delivery
) -> None:
    http_server.reply(Reply(status, {"Location": "/elsewhere"}))

    outcome = sender.send(parse_channel(0, webhook(http_server.url)), make_alert())

    assert outcome.status is expected
    assert len(http_server.requests) == 1


def test_429_carries_retry_after_seconds(
    http_server: HttpRecorder, sender: Sender
) -> None:
    http_server.reply(Reply(429, {"Retry-After": "120"}, b"slow down"))

    outcome = sender.send(parse_channel(0, webhook(http_server.url)), make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert outcome.retry_after == 120.0
    assert outcome.detail == f"HTTP 429 from {http_server.url}: slow down"


def test_retry_after_as_http_date() -> None:
    header = email.utils.formatdate(1_000_090, usegmt=True)

    assert retry_after(header, now=1_000_000) == 90.0
    assert retry_after("soon", now=0) is None
    assert retry_after(None) is None


def test_refused_connection_is_retryable(sender: Sender, free_port: int) -> None:
    url = f"http://127.0.0.1:{free_port}/hook/secret-path"

    outcome = sender.send(parse_channel(0, webhook(url)), make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert outcome.detail == f"cannot reach http://127.0.0.1:{free_port} (ConnectError)"


def test_timeout_is_retryable_and_says_how_long() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with httpx.Client(transport=httpx.MockTransport(hang)) as client:
        sender = Sender({}, client)
        channel = parse_channel(0, webhook("http://127.0.0.1:9/hook"))
        outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert outcome.detail == "no answer from http://127.0.0.1:9 in 3 s"


def test_timeout_of_the_table_reaches_the_request() -> None:
    seen: list[object] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(204)

    with httpx.Client(transport=httpx.MockTransport(record)) as client:
        Sender({}, client).send(
            parse_channel(0, webhook("http://127.0.0.1:9/h")), make_alert()
        )

    assert seen == [{"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}]


def test_echoed_secret_in_an_error_body_is_masked(
    http_server: HttpRecorder, sender: Sender, environ: dict[str, str]
) -> None:
    environ["SIG"] = "signing-key-123"
    http_server.reply(Reply(400, body=b"bad signature with key signing-key-123"))
    table = {**webhook(f"{http_server.url}/h"), "secret": "env:SIG"}

    outcome = sender.send(parse_channel(0, table), make_alert())

    assert (
        outcome.detail == f"HTTP 400 from {http_server.url}: bad signature with key ***"
    )


def test_unusable_url_from_the_environment_is_permanent(
    sender: Sender, environ: dict[str, str]
) -> None:
    environ["HOOK"] = "ftp://files.invalid/x"

    outcome = sender.send(
        parse_channel(0, {"type": "webhook", "url": "env:HOOK"}), make_alert()
    )

    assert outcome.status is Delivery.PERMANENT
    assert "files.invalid" not in outcome.detail


def test_unexpected_channel_error_is_retryable_and_logged_without_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken:
        kind = "broken"
        name = "broken"
        timeout = 1.0

        def send(self, alert: object, context: object) -> object:
            raise RuntimeError("token=leaky-value")

    outcome = Sender({}).send(Broken(), make_alert())  # type: ignore[arg-type]

    assert outcome.status is Delivery.RETRYABLE
    assert outcome.detail == "unexpected error (RuntimeError)"
    assert "leaky-value" not in caplog.text
