"""Maintenance windows: weekly in a time zone (also past midnight), fixed."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from komodo_guard.watch.maintenance import (
    FixedWindow,
    WeeklyWindow,
    in_maintenance,
    weekdays,
)

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026 in Berlin (UTC+1): the 7th is a Monday."""
    return datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)


def test_weekly_window_in_its_zone() -> None:
    window = WeeklyWindow(weekdays(["sat"]), time(2), time(4), BERLIN)
    assert window.contains(at(12, 2))
    assert window.contains(at(12, 3, 59))
    assert not window.contains(at(12, 4))
    assert not window.contains(at(12, 1, 59))
    assert not window.contains(at(13, 3))
    assert window.contains(datetime(2026, 12, 12, 1, 30, tzinfo=UTC))


def test_weekly_window_past_midnight_belongs_to_its_start_day() -> None:
    window = WeeklyWindow(weekdays(["Friday"]), time(23), time(1), BERLIN)
    assert window.contains(at(11, 23, 30))
    assert window.contains(at(12, 0, 30))
    assert not window.contains(at(12, 1))
    assert not window.contains(at(12, 23, 30))
    assert not window.contains(at(11, 0, 30))


def test_fixed_window_is_half_open() -> None:
    window = FixedWindow(at(7, 10), at(7, 12))
    assert window.contains(at(7, 10))
    assert not window.contains(at(7, 12))
    assert in_maintenance([window], at(7, 11))
    assert not in_maintenance([], at(7, 11))


@pytest.mark.parametrize(
    "build",
    [
        lambda: WeeklyWindow(frozenset(), time(1), time(2), BERLIN),
        lambda: WeeklyWindow(frozenset({7}), time(1), time(2), BERLIN),
        lambda: FixedWindow(at(7, 12), at(7, 10)),
        lambda: FixedWindow(datetime(2026, 1, 1), datetime(2026, 1, 2)),
        lambda: weekdays(["someday"]),
    ],
)
def test_bad_windows_are_refused(build: object) -> None:
    with pytest.raises(ValueError, match=r"window|weekday"):
        build()  # type: ignore[operator]
