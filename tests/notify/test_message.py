from datetime import datetime

import pytest

from komodo_guard.notify.message import Alert, Severity, Transition, truncate
from komodo_guard.redact import redact
from tests.notify.conftest import make_alert


def test_json_round_trip() -> None:
    alert = make_alert()

    assert Alert.from_json(alert.to_json()) == alert


def test_strings_become_enums() -> None:
    alert = make_alert(severity="warning", transition="cannot-check")

    assert alert.severity is Severity.WARNING
    assert alert.transition is Transition.CANNOT_CHECK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://user:pa55@host/x", "https://***@host/x"),
        ("see http://host/api?token=abc123&x=1", "see http://host/api?token=***&x=1"),
        ("GET /message?apikey=zz", "GET /message?apikey=***"),
        ("Authorization: Bearer eyJhbGc.def", "Authorization: ***"),
        ("POST https://h/hook?sig=ab12&x=1", "POST https://h/hook?sig=***&x=1"),
        ("stack `web` is down", "stack `web` is down"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_alert_text_is_redacted_on_creation() -> None:
    alert = make_alert(
        title="sync failed: https://bot:hunter2@git.example/repo",
        body="webhook https://ntfy.example/t?auth=secretvalue failed",
        url="https://komodo.example/?token=leak",
    )

    assert "hunter2" not in alert.title
    assert "secretvalue" not in alert.body
    assert alert.url == "https://komodo.example/?token=***"


def test_naive_time_and_empty_key_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        make_alert(created_at=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="non-empty key"):
        make_alert(key="")


def test_truncate() -> None:
    assert truncate("abcdef", 6) == "abcdef"
    assert truncate("abcdefg", 6) == "abcde…"


def test_text_without_link() -> None:
    assert make_alert(url=None).text() == make_alert().body
