import json

from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder


def test_posts_escaped_mrkdwn_text(http_server: HttpRecorder, sender: Sender) -> None:
    channel = parse_channel(
        0, {"type": "slack", "url": f"{http_server.url}/services/T1/B2/xyz"}
    )

    outcome = sender.send(channel, make_alert(body="a <b> & c", url=None))

    assert outcome.status is Delivery.DELIVERED
    (request,) = http_server.requests
    assert request.path == "/services/T1/B2/xyz"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "text": "*Stack web is not running what git holds*\na &lt;b&gt; &amp; c"
    }


def test_long_text_is_cut(http_server: HttpRecorder, sender: Sender) -> None:
    channel = parse_channel(0, {"type": "slack", "url": f"{http_server.url}/s"})

    sender.send(channel, make_alert(body="y" * 9000))

    assert len(json.loads(http_server.requests[0].body)["text"]) == 4000
