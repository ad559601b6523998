"""Apprise: any URL the optional ``apprise`` library understands.

::

    [[notify.channel]]
    type = "apprise"
    url = "env:APPRISE_URL"     # e.g. tgram://<bot token>/<chat id>

Needs the extra: ``pip install 'komodo-guard[apprise]'``; without it, a table
of this type is a configuration error saying so. The URL holds credentials,
so it is a secret (a value or ``env:``). Apprise reports success or failure
only, so every failure is treated as retryable until the alert expires.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any, ClassVar

from komodo_guard.notify.channels.http import hide
from komodo_guard.notify.interface import (
    DELIVERED,
    ChannelTable,
    Delivery,
    NotifyError,
    Outcome,
    Secret,
    SendContext,
)
from komodo_guard.notify.message import Alert

EXTRA = "komodo-guard[apprise]"
KEYS = ("url",)

_TYPES = {"error": "failure", "warning": "warning", "info": "info"}


@dataclass(frozen=True)
class AppriseChannel:
    """One Apprise URL."""

    kind: ClassVar[str] = "apprise"
    name: str
    url: Secret
    timeout: float

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        try:
            url = self.url.reveal(context.environ)
        except NotifyError as error:
            return Outcome(Delivery.PERMANENT, str(error))
        return notify(with_timeouts(url, self.timeout), alert)


def available() -> bool:
    """Whether the optional ``apprise`` library is installed."""
    return importlib.util.find_spec("apprise") is not None


def parse(table: ChannelTable) -> AppriseChannel:
    if not available():
        raise table.fail(
            "type",
            f"\"apprise\" needs the optional extra: pip install '{EXTRA}'",
        )
    return AppriseChannel(
        name=table.name(AppriseChannel.kind),
        url=table.secret("url"),
        timeout=table.timeout(),
    )


def with_timeouts(url: str, timeout: float) -> str:
    """``url`` with Apprise's connect and read timeouts (``cto``, ``rto``) set
    to ``timeout`` unless the URL sets them itself."""
    added = [f"{name}={timeout:g}" for name in ("cto", "rto") if f"{name}=" not in url]
    if not added:
        return url
    joiner = "&" if "?" in url else "?"
    return url + joiner + "&".join(added)


def notify(url: str, alert: Alert) -> Outcome:
    """Send once through Apprise and class the result."""
    apprise: Any = importlib.import_module("apprise")
    sender = apprise.Apprise()
    if not sender.add(url):
        return Outcome(Delivery.PERMANENT, "Apprise does not understand the URL")
    kind = _TYPES.get(alert.severity.value, "success")
    try:
        sent = sender.notify(title=alert.title, body=alert.text(), notify_type=kind)
    except Exception as error:  # a plugin may raise anything
        reason = hide(type(error).__name__, (url,))
        return Outcome(Delivery.RETRYABLE, f"Apprise failed ({reason})")
    if sent:
        return DELIVERED
    return Outcome(Delivery.RETRYABLE, "Apprise reported that the send failed")
