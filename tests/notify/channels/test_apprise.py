"""Apprise is optional: without it a table is a clear error; with it, URLs work."""

import sys
import types
from typing import Any, ClassVar

import pytest

from komodo_guard.notify.channels import apprise, parse_channel
from komodo_guard.notify.interface import Delivery, NotifyConfigError
from komodo_guard.notify.sender import Sender
from tests.notify.conftest import make_alert


def test_without_the_extra_the_table_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(apprise, "available", lambda: False)

    with pytest.raises(NotifyConfigError) as caught:
        parse_channel(1, {"type": "apprise", "url": "tgram://bot/chat"})

    assert str(caught.value) == (
        '[[notify.channel]] #2 key `type`: "apprise" needs the optional extra: '
        "pip install 'komodo-guard[apprise]'"
    )
    assert "bot" not in str(caught.value)


class FakeApprise:
    """Stands in for ``apprise.Apprise``: records what the channel hands it."""

    calls: ClassVar[list[dict[str, Any]]] = []
    urls: ClassVar[list[str]] = []
    result: ClassVar[bool] = True

    def add(self, url: str) -> bool:
        FakeApprise.urls.append(url)
        return url.startswith("tgram://")

    def notify(self, **kwargs: Any) -> bool:
        FakeApprise.calls.append(kwargs)
        return FakeApprise.result


@pytest.fixture
def fake_apprise(monkeypatch: pytest.MonkeyPatch) -> type[FakeApprise]:
    module = types.ModuleType("apprise")
    module.Apprise = FakeApprise  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "apprise", module)
    monkeypatch.setattr(apprise, "available", lambda: True)
    FakeApprise.calls, FakeApprise.urls, FakeApprise.result = [], [], True
    return FakeApprise


def test_sends_title_body_and_type_with_timeouts(
    fake_apprise: type[FakeApprise], environ: dict[str, str], sender: Sender
) -> None:
    environ["APPRISE_URL"] = "tgram://123:abc/456"
    channel = parse_channel(
        0, {"type": "apprise", "url": "env:APPRISE_URL", "timeout": 7}
    )

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.DELIVERED
    assert fake_apprise.urls == ["tgram://123:abc/456?cto=7&rto=7"]
    assert fake_apprise.calls == [
        {
            "title": "Stack web is not running what git holds",
            "body": "stack `web` runs commit abc123; git holds def456.\n"
            "https://komodo.example.org/stacks/web",
            "notify_type": "failure",
        }
    ]


def test_failed_notify_is_retryable(
    fake_apprise: type[FakeApprise], sender: Sender
) -> None:
    fake_apprise.result = False
    channel = parse_channel(0, {"type": "apprise", "url": "tgram://1/2?rto=3"})

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.RETRYABLE
    assert fake_apprise.urls == ["tgram://1/2?rto=3&cto=10"]


def test_url_apprise_does_not_know_is_permanent(
    fake_apprise: type[FakeApprise], sender: Sender
) -> None:
    channel = parse_channel(0, {"type": "apprise", "url": "nope://x"})

    outcome = sender.send(channel, make_alert())

    assert outcome.status is Delivery.PERMANENT
    assert fake_apprise.calls == []
