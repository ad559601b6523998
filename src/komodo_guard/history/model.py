"""The history's types: failures classified into incident kinds, outages, series.

A *failure* is one failed Update with the incident kind its operation and log
decided. An *outage* is a run of failures of one target that ends with the
next success of the same kind of work (or is still open). A *series* gathers
every outage of one incident kind on one target: how often it happened, how
long the worst one lasted, and how many times it was "fixed" and came back.
All times are Unix milliseconds, as Komodo stores them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from komodo_guard.komodo.updates import Target, Update


class IncidentKind(enum.StrEnum):
    """Why an execution failed, as far as its operation and logs tell."""

    GIT_PULL_BLOCKED = "git-pull-blocked"
    """``git pull`` refused: untracked or locally changed files on the host."""
    GIT = "git"
    """Any other git failure: authentication, network, missing branch."""
    DATABASE_AUTH = "database-auth"
    """A database refused its credentials (often changed after initialisation)."""
    REGISTRY_AUTH = "registry-auth"
    """An image registry refused the login."""
    IMAGE_PULL = "image-pull"
    """An image could not be pulled: missing tag, rate limit, network."""
    MISSING_FILES = "missing-files"
    """Compose, env or config files the deploy needs are not there."""
    PRE_DEPLOY = "pre-deploy"
    """The stack's pre_deploy command failed."""
    POST_DEPLOY = "post-deploy"
    """The stack's post_deploy command failed."""
    COMPOSE = "compose"
    """``docker compose`` itself failed: invalid file, port in use, unhealthy."""
    SYNC = "sync"
    """A ResourceSync failed to read, diff or apply its files."""
    PROCEDURE = "procedure"
    """A procedure or action failed (its own stage failures are listed apart)."""
    OTHER = "other"
    """None of the above; the history keeps examples so new kinds can be added."""


@dataclass(frozen=True)
class Failure:
    """One failed Update and why.

    ``evidence`` is the log line that decided the kind, redacted and cut to
    one line; empty when the update's logs were not read (then the kind comes
    from its operation, or from the other failures of its streak, and
    ``inferred`` is True).
    """

    update: Update
    kind: IncidentKind
    evidence: str = ""
    inferred: bool = False

    @property
    def at(self) -> int:
        """When the failed update started."""
        return self.update.start_ts


@dataclass(frozen=True)
class Outage:
    """Consecutive failures of one target until the next success.

    ``recovery`` is the successful update that ended it; None while the
    outage is still open at the end of the history.
    """

    kind: IncidentKind
    target: Target
    failures: tuple[Failure, ...]
    recovery: Update | None

    @property
    def started(self) -> int:
        """The first failure's start."""
        return self.failures[0].at

    @property
    def ended(self) -> int | None:
        """When the recovering update started, or None if still open."""
        return None if self.recovery is None else self.recovery.start_ts

    @property
    def open(self) -> bool:
        """Still failing at the end of the history."""
        return self.recovery is None

    def duration(self, now: int) -> timedelta:
        """From the first failure to the recovery (or to ``now`` if open)."""
        end = self.ended if self.ended is not None else now
        return timedelta(milliseconds=max(end - self.started, 0))

    @property
    def ident(self) -> str:
        """A stable name for ``postmortem``: kind, target and start (UTC),
        e.g. ``git-pull-blocked-mealie-20261129T0412``."""
        start = datetime.fromtimestamp(self.started / 1000, UTC)
        name = (self.target.name or self.target.id).lower().replace(" ", "-")
        return f"{self.kind}-{name}-{start:%Y%m%dT%H%M}"


@dataclass(frozen=True)
class Series:
    """Every outage of one incident kind on one target, oldest first."""

    kind: IncidentKind
    target: Target
    outages: tuple[Outage, ...]

    @property
    def occurrences(self) -> int:
        """Failed updates of this kind on this target."""
        return sum(len(outage.failures) for outage in self.outages)

    @property
    def first_seen(self) -> int:
        """The earliest failure."""
        return self.outages[0].started

    @property
    def last_seen(self) -> int:
        """The latest failure."""
        return self.outages[-1].failures[-1].at

    @property
    def recurrences(self) -> int:
        """Times it was "fixed" (an outage ended by a success) and came back."""
        return sum(1 for outage in self.outages[:-1] if not outage.open)

    def longest(self, now: int) -> Outage:
        """The outage that lasted longest (an open one counts up to ``now``)."""
        return max(self.outages, key=lambda outage: outage.duration(now))


@dataclass(frozen=True)
class History:
    """The classified update log of one window.

    ``since``/``until`` bound the window; ``updates`` counts every update
    read, ``failures`` the classified failures (oldest first), ``series``
    groups them per kind and target, worst first. ``complete`` is False when
    Core's log could not be read whole (the snapshot says which call).
    """

    since: int
    until: int
    updates: int
    failures: tuple[Failure, ...]
    series: tuple[Series, ...]
    complete: bool = True

    @property
    def outages(self) -> tuple[Outage, ...]:
        """Every outage, oldest first."""
        found = [outage for series in self.series for outage in series.outages]
        return tuple(sorted(found, key=lambda outage: outage.started))

    def outage(self, ident: str) -> Outage | None:
        """The outage named ``ident`` (see :attr:`Outage.ident`), if any."""
        return next((o for o in self.outages if o.ident == ident), None)

    def examples(self, kind: IncidentKind, limit: int = 5) -> tuple[str, ...]:
        """Distinct evidence lines of ``kind``, newest first (for ``other``)."""
        lines = [f.evidence for f in reversed(self.failures) if f.kind is kind]
        return tuple(dict.fromkeys(line for line in lines if line))[:limit]
