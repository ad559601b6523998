"""How reports write times and durations: UTC, to the minute, in plain units."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def moment(at: int) -> str:
    """Unix milliseconds as ``2026-11-29 04:12 UTC``."""
    return datetime.fromtimestamp(at / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def day(at: int) -> str:
    """Unix milliseconds as the UTC date ``2026-11-29``."""
    return datetime.fromtimestamp(at / 1000, UTC).strftime("%Y-%m-%d")


def human(span: timedelta) -> str:
    """``5 d 3 h``, ``4 h 12 min``, ``35 min``, ``under a minute``: the two
    largest units, rounded down."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min" if minutes else "under a minute"
