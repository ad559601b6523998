"""``send_test``: one test message on each channel, straight, without the outbox.

This is what ``komodo-guard notify test`` runs: it proves each configured
channel works end to end now, and says for each one what went wrong if not.
Nothing is queued or retried, so a failure here is seen at once.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from komodo_guard.notify.interface import Channel, Outcome, SendFunction
from komodo_guard.notify.message import Alert, Severity, Transition
from komodo_guard.notify.sender import Sender


@dataclass(frozen=True)
class ProbeResult:
    """How the test message fared on one channel."""

    channel: str
    kind: str
    outcome: Outcome


def probe_alert(now: datetime, host: str | None = None) -> Alert:
    """The test message, naming the host it was sent from."""
    origin = host or socket.gethostname() or "this host"
    return Alert(
        key=f"test:{origin}:{now.isoformat()}",
        title="komodo-guard test message",
        body=(
            f"This is a test message sent by komodo-guard on {origin}. "
            "If you can read it, this channel delivers alerts."
        ),
        severity=Severity.INFO,
        transition=Transition.TEST,
        created_at=now,
    )


def send_test(
    channels: Sequence[Channel], now: datetime, send: SendFunction | None = None
) -> tuple[ProbeResult, ...]:
    """Send the test message once on every channel, in order; never raises.

    ``send`` defaults to a :class:`~.sender.Sender` reading ``os.environ``.
    """
    if send is None:
        with Sender() as sender:
            return send_test(channels, now, sender.send)
    alert = probe_alert(now)
    return tuple(
        ProbeResult(channel.name, channel.kind, send(channel, alert))
        for channel in channels
    )
