import hashlib
import hmac
import json

from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert
from tests.notify.servers import HttpRecorder


def test_posts_the_alert_as_json(http_server: HttpRecorder, sender: Sender) -> None:
    channel = parse_channel(0, {"type": "webhook", "url": f"{http_server.url}/in"})

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    (request,) = http_server.requests
    assert request.path == "/in"
    assert "x-komodo-guard-signature" not in request.headers
    assert json.loads(request.body) == {
        "key": "finding:KG101:stack/web:new",
        "title": "Stack web is not running what git holds",
        "body": "stack `web` runs commit abc123; git holds def456.",
        "severity": "error",
        "transition": "new",
        "url": "https://komodo.example.org/stacks/web",
        "created_at": "2026-12-01T10:00:00+00:00",
    }


def test_signature_is_hmac_sha256_of_the_exact_body(
    http_server: HttpRecorder, sender: Sender, environ: dict[str, str]
) -> None:
    environ["HOOK_SECRET"] = "s3cr3t-signing-key"
    channel = parse_channel(
        0,
        {
            "type": "webhook",
            "url": f"{http_server.url}/in",
            "secret": "env:HOOK_SECRET",
        },
    )

    sender.send(channel, make_alert())

    request = http_server.requests[0]
    expected = hmac.new(b"s3cr3t-signing-key", request.body, hashlib.sha256)
    assert request.headers["x-komodo-guard-signature"] == (
        f"sha256={expected.hexdigest()}"
    )
