"""The alert every channel sends, and a last-line redaction of credentials.

An :class:`Alert` is built by its caller from a finding or an event and is
already free of secrets: callers refer to keys and variable names only. As a
cheap second line of defence, :func:`redact` masks what plainly looks like a
credential (a password in a URL, a token in a query string, a bearer token)
in the title, body and link when the alert is built.

``key`` names one occurrence of one event, for example
``finding:KG101:stack/web:new:2026-12-01T10:00:00Z``. The outbox keeps at most
one undelivered copy per key and channel, and receivers that see the same key
twice (delivery is at least once) may drop the second copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from komodo_guard.redact import redact


class Severity(StrEnum):
    """How bad what the alert reports is; ``resolved`` when it is over."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    RESOLVED = "resolved"


class Transition(StrEnum):
    """Why the alert is sent now."""

    NEW = "new"
    WORSE = "worse"
    RESOLVED = "resolved"
    REMINDER = "reminder"
    FLAPPING = "flapping"
    STABLE = "stable"
    CANNOT_CHECK = "cannot-check"
    CAN_CHECK_AGAIN = "can-check-again"
    MAINTENANCE_SUMMARY = "maintenance-summary"
    CHANNEL_FAILING = "channel-failing"
    TEST = "test"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Alert:
    """One message for a person, identical on every channel it goes to."""

    key: str
    title: str
    body: str
    severity: Severity
    transition: Transition
    url: str | None = None
    created_at: datetime = field(default_factory=_utc_now)

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("an alert needs a non-empty key")
        if self.created_at.tzinfo is None:
            raise ValueError("an alert's created_at must carry a time zone")
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "transition", Transition(self.transition))
        object.__setattr__(self, "title", redact(self.title))
        object.__setattr__(self, "body", redact(self.body))
        if self.url is not None:
            object.__setattr__(self, "url", redact(self.url))

    def to_dict(self) -> dict[str, Any]:
        """The alert as JSON-ready values; ``created_at`` in ISO 8601, UTC."""
        return {
            "key": self.key,
            "title": self.title,
            "body": self.body,
            "severity": self.severity.value,
            "transition": self.transition.value,
            "url": self.url,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as compact JSON with sorted keys."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Alert:
        """The alert :meth:`to_json` wrote."""
        data = json.loads(text)
        return cls(
            key=data["key"],
            title=data["title"],
            body=data["body"],
            severity=Severity(data["severity"]),
            transition=Transition(data["transition"]),
            url=data["url"],
            created_at=datetime.fromisoformat(data["created_at"]),
        )

    def text(self) -> str:
        """Body and link as plain text, for channels without a title field."""
        return f"{self.body}\n{self.url}" if self.url else self.body


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
