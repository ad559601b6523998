"""The values the watch state passes around: cycles, tracked findings, blind
spots and the transitions that become alerts.

Every time is an aware datetime handed in by the caller; nothing here reads
the clock. Nothing here holds a secret: findings never carry secret values and
these types copy only their text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from komodo_guard.rules.interface import ResourceRef, Severity


class Outcome(StrEnum):
    """How far a cycle got."""

    OK = "ok"
    """Core answered every call."""
    DEGRADED = "degraded"
    """Core answered, but some calls could not be read (``KG000`` findings)."""
    FAILED = "failed"
    """Core could not be checked at all."""


class Kind(StrEnum):
    """Why a transition is worth telling a person now."""

    NEW = "new"
    WORSE = "worse"
    RESOLVED = "resolved"
    REMINDER = "reminder"
    FLAPPING = "flapping"
    STABLE = "stable"
    CANNOT_CHECK = "cannot-check"
    CAN_CHECK_AGAIN = "can-check-again"
    MAINTENANCE_SUMMARY = "maintenance-summary"


class Alerted(StrEnum):
    """Whether a blind spot was announced, and how."""

    NO = "no"
    HELD = "held"
    """Announced inside a maintenance summary only."""
    SENT = "sent"


@dataclass(frozen=True)
class Cycle:
    """One round of checks: when it ran, and whether it could reach Core.

    ``checked`` is false when Core was unreachable, refused the API key or
    answered nonsense; ``reason`` then says so in one line, without secret
    values (URL credentials and query strings are removed before it is
    shown or stored, as a second line of defence).
    """

    started: datetime
    ended: datetime
    checked: bool = True
    reason: str = ""

    def __post_init__(self) -> None:
        if self.started.tzinfo is None or self.ended.tzinfo is None:
            raise ValueError("a cycle's start and end must carry a time zone")
        if self.ended < self.started:
            raise ValueError("a cycle cannot end before it starts")
        if not self.checked and not self.reason.strip():
            raise ValueError("a cycle that could not check Core needs a reason")


@dataclass(frozen=True)
class Transition:
    """A change worth an alert: what happened, to what, and when.

    ``identity`` is the finding's (see :mod:`.identity`), ``cannot-check``
    or ``cannot-check:<identity>`` for blind spots, ``maintenance`` for a
    summary. ``first_seen`` is when the matter began; ``at`` when the
    watcher noticed this change.
    """

    kind: Kind
    identity: str
    severity: Severity
    title: str
    body: str
    first_seen: datetime
    at: datetime

    @property
    def key(self) -> str:
        """One key per occurrence of one event, for de-duplicating delivery."""
        return f"{self.kind.value}:{self.identity}:{self.at.isoformat()}"


@dataclass(frozen=True)
class TrackedFinding:
    """What the watcher remembers about one finding, open or resolved.

    ``first_seen`` starts the current episode (it is reset when a resolved
    finding comes back); ``since`` is when the condition began according to
    Core, if the rule could tell. ``missing`` counts the good cycles in a row
    that did not report it; ``flaps`` holds when it opened within the flap
    window; ``changed_at`` is when it last opened or resolved.
    """

    identity: str
    code: str
    name: str
    severity: Severity
    title: str
    message: str
    hint: str
    resource: ResourceRef | None
    path: str
    first_seen: datetime
    last_seen: datetime
    changed_at: datetime
    since: datetime | None = None
    resolved_at: datetime | None = None
    missing: int = 0
    last_notified: datetime | None = None
    notify_count: int = 0
    snoozed_until: datetime | None = None
    flaps: tuple[datetime, ...] = ()
    flapping_since: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Whether the finding is still reported (or not yet resolved)."""
        return self.resolved_at is None

    def began(self) -> datetime:
        """The earliest known start: Core's ``since`` or the first sighting."""
        return min(self.first_seen, self.since) if self.since else self.first_seen

    def snoozed(self, at: datetime) -> bool:
        """Whether a snooze silences this finding at ``at``."""
        return self.snoozed_until is not None and at < self.snoozed_until


@dataclass(frozen=True)
class BlindSpot:
    """Something the watcher could not check, cycle after cycle.

    ``key`` is ``cannot-check`` for Core as a whole, or
    ``cannot-check:<identity>`` for one call named by a ``KG000`` finding.
    ``since`` is the start of the first failed cycle in the current run of
    failures.
    """

    key: str
    subject: str
    reason: str
    since: datetime
    failures: int
    alerted: Alerted = Alerted.NO
    last_notified: datetime | None = None


@dataclass(frozen=True)
class CycleRecord:
    """A past cycle as the state keeps it."""

    started: datetime
    ended: datetime
    outcome: Outcome
    errors: int
    warnings: int
    infos: int
    incomplete: int
    transitions: int
    reason: str
