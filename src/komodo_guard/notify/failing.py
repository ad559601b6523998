"""The alerts that say a channel keeps failing, and that it delivers again.

Both are built from a :class:`ChannelHealth` and go to every other channel.
Their keys carry the moment the failing episode began, so each episode is
announced once and its end once, and a later episode is a new alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from komodo_guard.notify.message import Alert, Severity, Transition


@dataclass(frozen=True)
class ChannelHealth:
    """Delivery state of one channel, as :meth:`Outbox.channel_health` gives it."""

    channel: str
    last_success: datetime | None
    consecutive_failures: int
    oldest_undelivered: datetime | None
    undelivered: int
    failed: int
    """Alerts this channel refused for good (kept until ``retention``)."""
    expired: int
    """Alerts that expired undelivered on this channel (kept until ``retention``)."""
    failing_since: datetime | None
    last_error: str | None


def failing_alert(health: ChannelHealth, since: datetime) -> Alert:
    """The alert that opens a failing episode of ``health.channel``."""
    name = health.channel
    waiting = f"Alerts waiting: {health.undelivered}"
    if health.oldest_undelivered is not None:
        waiting += f", the oldest since {_when(health.oldest_undelivered)}"
    last = _when(health.last_success) if health.last_success else "never"
    lines = [
        f"komodo-guard cannot deliver alerts on the channel {name!r}.",
        f"Failed attempts in a row: {health.consecutive_failures}.",
        f"{waiting}.",
        f"Last error: {health.last_error or 'none recorded'}.",
        f"Last delivery: {last}.",
        "Waiting alerts are retried until they expire; check the channel's "
        "configuration and the service behind it.",
    ]
    return Alert(
        key=f"channel-failing:{name}:{since.isoformat()}",
        title=f"Notification channel {name} is failing",
        body="\n".join(lines),
        severity=Severity.ERROR,
        transition=Transition.CHANNEL_FAILING,
        created_at=since,
    )


def recovered_alert(name: str, since: datetime, now: datetime) -> Alert:
    """The alert that closes the failing episode of ``name`` begun at ``since``."""
    return Alert(
        key=f"channel-failing:{name}:{since.isoformat()}:resolved",
        title=f"Notification channel {name} delivers again",
        body=(
            f"The channel {name!r} delivered again at {_when(now)} after failing "
            f"since {_when(since)}; its waiting alerts are being sent."
        ),
        severity=Severity.RESOLVED,
        transition=Transition.RESOLVED,
        created_at=now,
    )


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
