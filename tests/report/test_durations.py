"""Times and durations as reports write them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from komodo_guard.report.durations import day, human, moment


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=20), "under a minute"),
        (timedelta(minutes=35, seconds=59), "35 min"),
        (timedelta(hours=4), "4 h"),
        (timedelta(hours=4, minutes=12), "4 h 12 min"),
        (timedelta(days=5), "5 d"),
        (timedelta(days=5, hours=3, minutes=59), "5 d 3 h"),
    ],
)
def test_human_durations(span: timedelta, text: str) -> None:
    assert human(span) == text


def test_moments_and_days_are_utc() -> None:
    assert moment(1_796_000_000_000) == "2026-11-30 00:53 UTC"
    assert day(1_796_000_000_000) == "2026-11-30"
