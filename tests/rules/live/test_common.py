"""Durations in words, error scrubbing and failure streaks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from komodo_guard.rules.live.common import (
    duration,
    failing_streak,
    listing,
    scrub,
    streams,
)
from tests.rules.live.livekit import target, update


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(seconds=20), "less than a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=2, minutes=5), "2 hours 5 minutes"),
        (timedelta(days=3, hours=4, minutes=59), "3 days 4 hours"),
        (timedelta(days=5), "5 days"),
        (timedelta(days=1, minutes=30), "1 day"),
        (timedelta(seconds=-5), "less than a minute"),
    ],
)
def test_duration(delta: timedelta, words: str) -> None:
    assert duration(delta) == words


def test_scrub_removes_url_credentials_and_queries() -> None:
    text = (
        "failed to clone https://oauth2:ghp_SECRETTOKEN@github.com/o/r.git "
        "and https://hooks.example.net/x?token=s3cr3t\nsecond line"
    )
    cleaned = scrub(text)
    assert "SECRETTOKEN" not in cleaned
    assert "s3cr3t" not in cleaned
    assert cleaned == (
        "failed to clone https://***@github.com/o/r.git and "
        "https://hooks.example.net/x?…"
    )


def test_scrub_cuts_long_lines() -> None:
    assert len(scrub("x" * 500)) == 200


def test_listing() -> None:
    assert listing(["a", "b"]) == "a, b"
    assert listing([str(n) for n in range(7)], 5) == "0, 1, 2, 3, 4 and 2 more"


def test_streak_ends_at_last_success_and_families_merge() -> None:
    web = target("stack", "web")
    ups = [
        update("DeployStackIfChanged", web, timedelta(days=1), success=False),
        update("DeployStack", web, timedelta(days=2), success=False),
        update("DeployStack", web, timedelta(days=3)),
        update("DeployStack", web, timedelta(days=4), success=False),
    ]
    (stream,) = streams(ups).values()
    assert failing_streak(stream) == ups[:2]
