import json

from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder, Reply


def test_posts_content_with_title_body_and_link(
    http_server: HttpRecorder, sender: Sender, environ: dict[str, str]
) -> None:
    environ["HOOK"] = f"{http_server.url}/api/webhooks/123/tok-en"
    channel = parse_channel(0, {"type": "discord", "url": "env:HOOK"})
    http_server.reply(Reply(204))

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    (request,) = http_server.requests
    assert request.path == "/api/webhooks/123/tok-en"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "content": "**Stack web is not running what git holds**\n"
        "stack `web` runs commit abc123; git holds def456.\n"
        "https://komodo.example.org/stacks/web",
        "allowed_mentions": {"parse": []},
    }


def test_username_is_sent_when_configured(
    http_server: HttpRecorder, sender: Sender
) -> None:
    table = {"type": "discord", "url": f"{http_server.url}/h", "username": "kg"}

    sender.send(parse_channel(0, table), make_alert(url=None))

    assert json.loads(http_server.requests[0].body)["username"] == "kg"


def test_content_is_cut_to_discords_limit(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(0, {"type": "discord", "url": f"{http_server.url}/h"})

    sender.send(channel, make_alert(body="x" * 5000))

    content = json.loads(http_server.requests[0].body)["content"]
    assert len(content) == 2000
    assert content.endswith("…")


def test_rejected_webhook_is_permanent_and_hides_the_url(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(
        0, {"type": "discord", "url": f"{http_server.url}/api/webhooks/1/sekrit"}
    )
    http_server.reply(Reply(401, body=b'{"message": "Invalid Webhook Token"}'))

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.PERMANENT
    assert outcome.detail == (
        f'HTTP 401 from {http_server.url}: {{"message": "Invalid Webhook Token"}}'
    )
    assert "sekrit" not in repr(channel)
