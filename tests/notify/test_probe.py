import json

import pytest

from komodo_guard.notify.channels import parse_channels
from komodo_guard.notify.interface import Delivery
from komodo_guard.notify.message import Severity, Transition
from komodo_guard.notify.probe import ProbeResult, probe_alert, send_test
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import NOW
from tests.notify.servers import HttpRecorder


def test_each_channel_gets_one_test_message_and_its_own_result(
    http_server: HttpRecorder, sender: Sender, free_port: int
) -> None:
    channels = parse_channels(
        [
            {"type": "webhook", "name": "good", "url": f"{http_server.url}/in"},
            {"type": "ntfy", "name": "down", "url": f"http://127.0.0.1:{free_port}/t"},
        ]
    )

    results = send_test(channels, NOW, sender.send)

    assert [(r.channel, r.kind, r.outcome.status) for r in results] == [
        ("good", "webhook", Delivery.DELIVERED),
        ("down", "ntfy", Delivery.RETRYABLE),
    ]
    assert isinstance(results[1], ProbeResult)
    sent = json.loads(http_server.requests[0].body)
    assert sent["transition"] == "test"
    assert sent["title"] == "komodo-guard test message"


def test_without_a_send_function_the_environment_is_read(
    http_server: HttpRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_TEST_HOOK", f"{http_server.url}/from-env")
    channels = parse_channels([{"type": "webhook", "url": "env:KG_TEST_HOOK"}])

    (result,) = send_test(channels, NOW)

    assert result.outcome.status is Delivery.DELIVERED
    assert http_server.requests[0].path == "/from-env"


def test_probe_alert_names_the_host() -> None:
    alert = probe_alert(NOW, host="watcher-1")

    assert alert.key == "test:watcher-1:2026-12-01T10:00:00+00:00"
    assert "sent by komodo-guard on watcher-1" in alert.body
    assert (alert.severity, alert.transition) == (Severity.INFO, Transition.TEST)
