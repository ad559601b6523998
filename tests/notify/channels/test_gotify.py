import json

from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.message import Severity
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder


def test_posts_message_with_key_header(
    http_server: HttpRecorder, sender: Sender, environ: dict[str, str]
) -> None:
    environ["GOTIFY"] = "AbCdEf"
    channel = parse_channel(
        0, {"type": "gotify", "url": f"{http_server.url}/", "token": "env:GOTIFY"}
    )

    outcome = sender.send(channel, make_alert(severity=Severity.WARNING))

    assert outcome.status is Delivery.DELIVERED
    (request,) = http_server.requests
    assert request.path == "/message"
    assert request.headers["x-gotify-key"] == "AbCdEf"
    assert json.loads(request.body) == {
        "title": "Stack web is not running what git holds",
        "message": "stack `web` runs commit abc123; git holds def456.",
        "priority": 5,
        "extras": {
            "client::notification": {
                "click": {"url": "https://komodo.example.org/stacks/web"}
            }
        },
    }


def test_without_link_there_are_no_extras(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(
        0, {"type": "gotify", "url": http_server.url, "token": "literal"}
    )

    sender.send(channel, make_alert(url=None))

    body = json.loads(http_server.requests[0].body)
    assert body["priority"] == 8
    assert "extras" not in body
