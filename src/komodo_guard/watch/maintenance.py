"""Maintenance windows: times when alerts are held, then summarised.

A window is either weekly (some weekdays, a local start and end time in a
time zone; an end at or before the start runs past midnight into the next
day) or fixed (an absolute start and end). Both are half-open: the start is
inside, the end is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class WeeklyWindow:
    """Every week on ``weekdays`` (0 is Monday) from ``start`` to ``end``,
    local times in ``zone``."""

    weekdays: frozenset[int]
    start: time
    end: time
    zone: tzinfo

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError("a weekly window needs weekdays between 0 (Monday) and 6")

    def contains(self, at: datetime) -> bool:
        """Whether ``at`` falls inside the window."""
        local = at.astimezone(self.zone)
        clock = local.time().replace(tzinfo=None)
        day = local.weekday()
        if self.start < self.end:
            return day in self.weekdays and self.start <= clock < self.end
        yesterday = (local - timedelta(days=1)).weekday()
        return (day in self.weekdays and clock >= self.start) or (
            yesterday in self.weekdays and clock < self.end
        )


@dataclass(frozen=True)
class FixedWindow:
    """Once, from ``start`` to ``end``."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a fixed window's start and end must carry a time zone")
        if self.end <= self.start:
            raise ValueError("a fixed window must end after it starts")

    def contains(self, at: datetime) -> bool:
        """Whether ``at`` falls inside the window."""
        return self.start <= at < self.end


Window = WeeklyWindow | FixedWindow


def in_maintenance(windows: Iterable[Window], at: datetime) -> bool:
    """Whether any of ``windows`` holds ``at``."""
    return any(window.contains(at) for window in windows)


def weekdays(names: Iterable[str]) -> frozenset[int]:
    """Weekday numbers from names such as ``mon`` or ``Tuesday``."""
    found: set[int] = set()
    for name in names:
        short = name.strip().lower()[:3]
        if short not in WEEKDAYS:
            raise ValueError(f"unknown weekday {name!r}: expected one of {WEEKDAYS}")
        found.add(WEEKDAYS.index(short))
    return frozenset(found)
