from urllib.parse import parse_qs

from komodo_guard.notify.channels import parse_channel, pushover
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder


def test_posts_the_form_to_the_configured_api_url(
    http_server: HttpRecorder, sender: Sender, environ: dict[str, str]
) -> None:
    environ.update(PO_TOKEN="azGDORePK8gMaC0QOYAMyEEuzJnyUi", PO_USER="uQiRzpo4DXgh")
    channel = parse_channel(
        0,
        {
            "type": "pushover",
            "token": "env:PO_TOKEN",
            "user": "env:PO_USER",
            "api_url": f"{http_server.url}/1/messages.json",
        },
    )

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    (request,) = http_server.requests
    assert request.path == "/1/messages.json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.body.decode()) == {
        "token": ["azGDORePK8gMaC0QOYAMyEEuzJnyUi"],
        "user": ["uQiRzpo4DXgh"],
        "title": ["Stack web is not running what git holds"],
        "message": ["stack `web` runs commit abc123; git holds def456."],
        "priority": ["1"],
        "url": ["https://komodo.example.org/stacks/web"],
    }


def test_message_is_cut_to_1024_characters(
    http_server: HttpRecorder, sender: Sender
) -> None:
    channel = parse_channel(
        0,
        {
            "type": "pushover",
            "token": "t",
            "user": "u",
            "api_url": f"{http_server.url}/m",
        },
    )

    sender.send(channel, make_alert(body="z" * 3000))

    assert len(parse_qs(http_server.requests[0].body.decode())["message"][0]) == 1024


def test_api_url_defaults_to_the_public_one_without_sending() -> None:
    channel = parse_channel(0, {"type": "pushover", "token": "t", "user": "u"})

    assert isinstance(channel, pushover.PushoverChannel)
    assert channel.api_url == "https://api.pushover.net/1/messages.json"
