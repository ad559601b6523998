import pytest

from komodo_guard.config import Config
from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Delivery, NotifyConfigError
from komodo_guard.notify.message import Severity, Transition
from komodo_guard.notify.sender import Sender
from komodo_guard.watch.settings_file import WatchSettingsError, watch_settings
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder, Reply


def test_posts_body_with_title_priority_tags_and_click(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(0, {"type": "ntfy", "url": f"{http_server.url}/komodo"})

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    (request,) = http_server.requests
    assert request.path == "/komodo"
    assert request.body == b"stack `web` runs commit abc123; git holds def456."
    assert request.headers["title"] == "Stack web is not running what git holds"
    assert request.headers["priority"] == "4"
    assert request.headers["tags"] == "rotating_light,new"
    assert request.headers["click"] == "https://komodo.example.org/stacks/web"
    assert "authorization" not in request.headers


def test_token_from_the_environment_is_a_bearer_header(
    http_server: HttpRecorder, sender: Sender, environ: dict[str, str]
) -> None:
    environ["NTFY_TOKEN"] = "tk_abc"
    channel = parse_channel(
        0, {"type": "ntfy", "url": f"{http_server.url}/t", "token": "env:NTFY_TOKEN"}
    )

    sender.send(
        channel,
        make_alert(severity=Severity.RESOLVED, transition=Transition.RESOLVED),
    )

    headers = http_server.requests[0].headers
    assert headers["authorization"] == "Bearer tk_abc"
    assert headers["priority"] == "2"
    assert headers["tags"] == "white_check_mark,resolved"


def test_non_ascii_title_is_rfc2047_encoded(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(0, {"type": "ntfy", "url": f"{http_server.url}/t"})

    sender.send(channel, make_alert(title="Stack «web» läuft nicht"))

    title = http_server.requests[0].headers["title"]
    assert title == "=?UTF-8?B?U3RhY2sgwqt3ZWLCuyBsw6R1ZnQgbmljaHQ=?="


def test_missing_token_variable_is_retried_and_named(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(
        0, {"type": "ntfy", "url": f"{http_server.url}/t", "token": "env:NOPE"}
    )

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert "NOPE is not set" in outcome.detail
    assert http_server.requests == []


def test_non_ascii_link_is_left_out_of_the_headers(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(0, {"type": "ntfy", "url": f"{http_server.url}/t"})

    outcome = sender.send(channel, make_alert(url="https://komodo.example/stäcks"))

    assert outcome.status is Delivery.DELIVERED
    assert "click" not in http_server.requests[0].headers


SECRET_TOPIC = "homelab-alerts-Zr8Kp2Vw"


def test_url_from_the_environment_is_revealed_at_send(
    http_server: HttpRecorder, sender: Sender, environ: dict[str, str]
) -> None:
    channel = parse_channel(0, {"type": "ntfy", "url": "env:NTFY_URL"})
    assert SECRET_TOPIC not in repr(channel)
    environ["NTFY_URL"] = f"{http_server.url}/{SECRET_TOPIC}/"

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    assert http_server.requests[0].path == f"/{SECRET_TOPIC}"


def test_an_unset_url_variable_is_retried_and_named(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(0, {"type": "ntfy", "url": "env:NTFY_URL"})

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert "environment variable NTFY_URL is not set" in outcome.detail
    assert http_server.requests == []


def test_an_unset_url_variable_stops_the_watcher_start() -> None:
    channel = parse_channel(0, {"type": "ntfy", "url": "env:NTFY_URL_UNSET"})
    config = Config(channels=(channel,))
    with pytest.raises(WatchSettingsError) as refused:
        watch_settings(config, {})
    assert str(refused.value) == (
        "[[notify.channel]] 'ntfy': `url` names the environment variable "
        "NTFY_URL_UNSET, which is not set: export it where komodo-guard watch runs"
    )
    ready = {"NTFY_URL_UNSET": "https://n.test/t"}
    assert watch_settings(config, ready).channels == (channel,)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ntfy.example/topic", "must start with http:// or https://"),
        ("env:", "names no valid variable after `env:`"),
        ("env:NOT-A-NAME", "names no valid variable after `env:`"),
    ],
)
def test_a_bad_url_is_refused_at_parse(url: str, problem: str) -> None:
    with pytest.raises(NotifyConfigError) as refused:
        parse_channel(0, {"type": "ntfy", "url": url})
    assert str(refused.value) == f"[[notify.channel]] #1 key `url`: {problem}"


def test_the_topic_is_masked_in_a_refusal(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(
        0, {"type": "ntfy", "url": f"{http_server.url}/{SECRET_TOPIC}"}
    )
    http_server.reply(Reply(403, body=b"forbidden", echo=True))

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.PERMANENT
    assert outcome.detail.startswith(f"HTTP 403 from {http_server.url}")
    assert SECRET_TOPIC not in outcome.detail
