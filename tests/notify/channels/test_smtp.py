from email import message_from_bytes
from email.message import Message

import pytest

from komodo_guard.notify.channels import parse_channel, smtp
from komodo_guard.notify.interface import Delivery, NotifyConfigError
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import SinkFactory, Tls, make_alert
from tests.notify.servers import SinkOptions


def table(port: int, **extra: object) -> dict[str, object]:
    return {
        "type": "email",
        "host": "127.0.0.1",
        "port": port,
        "security": "plain",
        "from": "komodo-guard <kg@example.org>",
        "to": ["ops@example.org", "oncall@example.org"],
        **extra,
    }


def parsed(data: bytes) -> Message:
    return message_from_bytes(data)


def test_plain_delivery_of_subject_body_and_message_id(
    smtp_sink: SinkFactory, sender: Sender
) -> None:
    sink = smtp_sink(SinkOptions())
    channel = parse_channel(0, table(sink.port))

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    (mail,) = sink.messages
    assert mail.sender == "<kg@example.org>"
    assert mail.recipients == ["<ops@example.org>", "<oncall@example.org>"]
    message = parsed(mail.data)
    assert (
        message["Subject"] == "[komodo-guard] Stack web is not running what git holds"
    )
    assert message["From"] == "komodo-guard <kg@example.org>"
    assert message["To"] == "ops@example.org, oncall@example.org"
    assert message["Date"] == "Tue, 01 Dec 2026 10:00:00 +0000"
    assert message["Message-ID"] == smtp.message_id("finding:KG101:stack/web:new")
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert payload.decode().replace("\r\n", "\n") == (
        "stack `web` runs commit abc123; git holds def456.\n"
        "https://komodo.example.org/stacks/web\n\n-- \n"
        "severity: error, transition: new\n"
    )


def test_starttls_and_login(
    smtp_sink: SinkFactory, sender: Sender, environ: dict[str, str], tls: Tls
) -> None:
    sink = smtp_sink(SinkOptions(tls=tls.server, credentials=("kg", "pa55word")))
    environ["SMTP_PASSWORD"] = "pa55word"
    channel = parse_channel(
        0,
        table(
            sink.port,
            security="starttls",
            username="kg",
            password="env:SMTP_PASSWORD",
            ca_file=str(tls.ca_file),
        ),
    )

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    assert sink.commands[:3] == ["EHLO", "STARTTLS", "EHLO"]
    assert sink.logins == [("kg", "pa55word")]
    assert len(sink.messages) == 1


def test_implicit_tls(smtp_sink: SinkFactory, sender: Sender, tls: Tls) -> None:
    sink = smtp_sink(SinkOptions(tls=tls.server, implicit_tls=True))
    channel = parse_channel(
        0, table(sink.port, security="ssl", ca_file=str(tls.ca_file))
    )

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    assert len(sink.messages) == 1


def test_untrusted_certificate_is_permanent(
    smtp_sink: SinkFactory, sender: Sender, tls: Tls
) -> None:
    sink = smtp_sink(SinkOptions(tls=tls.server, implicit_tls=True))
    channel = parse_channel(0, table(sink.port, security="ssl"))

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.PERMANENT
    assert "certificate" in outcome.detail
    assert sink.messages == []


def test_wrong_password_is_permanent_and_not_shown(
    smtp_sink: SinkFactory, sender: Sender, tls: Tls
) -> None:
    sink = smtp_sink(SinkOptions(tls=tls.server, credentials=("kg", "right")))
    channel = parse_channel(
        0,
        table(
            sink.port,
            security="starttls",
            username="kg",
            password="wrong-one",
            ca_file=str(tls.ca_file),
        ),
    )

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.PERMANENT
    assert outcome.detail == f"127.0.0.1:{sink.port} answered 535 authentication failed"
    assert "wrong-one" not in repr(channel)


def test_server_without_starttls_is_permanent(
    smtp_sink: SinkFactory, sender: Sender
) -> None:
    sink = smtp_sink(SinkOptions())
    channel = parse_channel(0, table(sink.port, security="starttls"))

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.PERMANENT
    assert "does not support" in outcome.detail


def test_temporary_recipient_refusal_is_retryable(
    smtp_sink: SinkFactory, sender: Sender
) -> None:
    sink = smtp_sink(SinkOptions(rcpt_reply="450 mailbox busy"))

    outcome = sender.send(parse_channel(0, table(sink.port)), make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert "codes [450, 450]" in outcome.detail


def test_permanent_recipient_refusal_is_permanent(
    smtp_sink: SinkFactory, sender: Sender
) -> None:
    sink = smtp_sink(SinkOptions(rcpt_reply="550 no such user"))

    outcome = sender.send(parse_channel(0, table(sink.port)), make_alert())

    assert outcome.status is Delivery.PERMANENT


def test_refused_connection_is_retryable(sender: Sender, free_port: int) -> None:
    outcome = sender.send(parse_channel(0, table(free_port)), make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert (
        outcome.detail
        == f"cannot talk to 127.0.0.1:{free_port} (ConnectionRefusedError)"
    )


def test_password_over_plain_is_a_configuration_error() -> None:
    with pytest.raises(NotifyConfigError) as caught:
        parse_channel(3, table(25, username="kg", password="hunter2"))

    assert str(caught.value) == (
        "[[notify.channel]] #4 key `password`: would be sent unencrypted: "
        'set security = "starttls" or "ssl"'
    )
    assert caught.value.index == 3
    assert caught.value.key == "password"


@pytest.mark.parametrize(
    ("security", "port"), [("starttls", 587), ("ssl", 465), ("plain", 25)]
)
def test_default_port_follows_security(security: str, port: int) -> None:
    data = table(1, security=security)
    del data["port"]

    channel = parse_channel(0, data)

    assert isinstance(channel, smtp.EmailChannel)
    assert channel.port == port
