"""No secret reaches a log line, an outcome, an exception or the outbox file.

Every channel type runs with its secrets in ``env:`` variables against
loopback servers that fail and echo what they received, so each secret passes
through every path that could leak it. The receiving servers see the secrets
that must go on the wire (that is what sending means); nothing else does.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from komodo_guard.notify.channels import parse_channels
from komodo_guard.notify.interface import Channel, NotifyConfigError
from komodo_guard.notify.outbox import Outbox
from komodo_guard.notify.probe import send_test
from komodo_guard.notify.retry import RetryPolicy
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import NOW, SinkFactory, Tls, make_alert
from tests.notify.servers import HttpRecorder, Reply, SinkOptions

SECRETS = {
    "DISCORD_URL_TOKEN": "dscrd-Tok3n-9f8e7d",
    "SLACK_URL_TOKEN": "slck-Tok3n-1a2b3c",
    "NTFY_TOKEN": "tk_ntfy-5e6f7a",
    "GOTIFY_TOKEN": "gtfy-Ap9Tok3n",
    "PUSHOVER_TOKEN": "pshvr-AppTok3n-77",
    "PUSHOVER_USER": "pshvr-UserK3y-88",
    "HOOK_SECRET": "hmac-S1gning-K3y-99",
    "HOOK_PATH_TOKEN": "hook-PathTok3n-00",
    "SMTP_PASSWORD": "smtp-Pa55w0rd-11",
}


def tables(http: str, smtp_port: int, ca_file: Path) -> list[dict[str, object]]:
    return [
        {"type": "discord", "url": "env:DISCORD_URL"},
        {"type": "slack", "url": "env:SLACK_URL"},
        {"type": "ntfy", "url": f"{http}/topic", "token": "env:NTFY_TOKEN"},
        {"type": "gotify", "url": http, "token": "env:GOTIFY_TOKEN"},
        {
            "type": "pushover",
            "token": "env:PUSHOVER_TOKEN",
            "user": "env:PUSHOVER_USER",
            "api_url": f"{http}/1/messages.json",
        },
        {"type": "webhook", "url": "env:HOOK_URL", "secret": "env:HOOK_SECRET"},
        {
            "type": "email",
            "host": "127.0.0.1",
            "port": smtp_port,
            "username": "kg",
            "password": "env:SMTP_PASSWORD",
            "from": "kg@example.org",
            "to": ["ops@example.org"],
            "ca_file": str(ca_file),
        },
    ]


@pytest.fixture
def world(
    http_server: HttpRecorder,
    smtp_sink: SinkFactory,
    tls: Tls,
    environ: dict[str, str],
) -> list[Channel]:
    environ.update(SECRETS)
    environ["DISCORD_URL"] = (
        f"{http_server.url}/api/webhooks/1/{SECRETS['DISCORD_URL_TOKEN']}"
    )
    environ["SLACK_URL"] = (
        f"{http_server.url}/services/T/B/{SECRETS['SLACK_URL_TOKEN']}"
    )
    environ["HOOK_URL"] = f"{http_server.url}/in?token={SECRETS['HOOK_PATH_TOKEN']}"
    sink = smtp_sink(SinkOptions(tls=tls.server, credentials=("kg", "other")))
    return list(parse_channels(tables(http_server.url, sink.port, tls.ca_file)))


def echo_everything(http_server: HttpRecorder, status: int) -> None:
    """Answer each request with an error repeating all that it received."""
    http_server.reply(*[Reply(status, echo=True) for _ in range(30)])


def assert_clean(text: str) -> None:
    leaked = [name for name, value in SECRETS.items() if value in text]
    assert leaked == []


@pytest.mark.parametrize("status", [400, 503])
def test_outbox_run_leaks_no_secret(
    world: list[Channel],
    http_server: HttpRecorder,
    sender: Sender,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    echo_everything(http_server, status)
    db = tmp_path / "outbox.sqlite"
    caplog.set_level(logging.DEBUG)

    with Outbox(db, world, sender.send, policy=RetryPolicy(failing_after=1)) as box:
        box.enqueue(make_alert(), now=NOW)
        report = box.deliver_due(NOW)
        health = box.channel_health()

    assert len(http_server.requests) >= 6
    assert report.failing
    assert_clean(caplog.text)
    assert_clean(repr(report))
    assert_clean(repr(health))
    assert_clean(repr(world))
    for path in tmp_path.iterdir():
        assert_clean(path.read_bytes().decode("latin-1"))


def test_test_messages_leak_no_secret(
    world: list[Channel],
    http_server: HttpRecorder,
    sender: Sender,
    caplog: pytest.LogCaptureFixture,
) -> None:
    echo_everything(http_server, 401)
    caplog.set_level(logging.DEBUG)

    results = send_test(world, NOW, sender.send)

    assert_clean(caplog.text)
    assert_clean(repr(results))


def test_the_servers_did_receive_the_secrets_they_need(
    world: list[Channel], http_server: HttpRecorder, sender: Sender
) -> None:
    send_test(world, NOW, sender.send)

    wire = b"".join(
        request.path.encode() + repr(request.headers).encode() + request.body
        for request in http_server.requests
    ).decode()
    needed = set(SECRETS) - {"HOOK_SECRET", "SMTP_PASSWORD"}
    assert {name for name in needed if SECRETS[name] in wire} == needed


def test_configuration_errors_never_quote_a_secret_value() -> None:
    bad: list[dict[str, object]] = [
        {"type": "gotify", "url": "https://g.example", "token": "lit-Tok3n", "x": 1},
        {"type": "discord", "url": "no-scheme/lit-Tok3n"},
        {"type": "email", "host": "h", "from": "a", "to": "b", "password": "lit-Tok3n"},
        {"type": "webhook", "url": "https://h/in", "secret": 42},
    ]
    for table in bad:
        with pytest.raises(NotifyConfigError) as caught:
            parse_channels([table])
        assert "lit-Tok3n" not in str(caught.value)


def test_missing_variables_are_named_not_valued(
    world: list[Channel], sender: Sender, environ: dict[str, str]
) -> None:
    environ.clear()

    results = send_test(world, NOW, sender.send)

    details = [result.outcome.detail for result in results]
    assert "environment variable DISCORD_URL is not set" in details[0]
    assert "environment variable SMTP_PASSWORD is not set" in details[-1]
