from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.message import Severity, Transition
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder


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
