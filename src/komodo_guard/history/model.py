"""The history's types: failures classified into incident kinds, outages, series.

A *failure* is one failed Update with the incident kind its operation and log
decided, or, when its log was not read, the kind inferred from its operation
or from the classified failures around it (``inferred``); one with nothing to
infer from is ``other`` and ``unread``: its cause is unknown, which is not the
same as a log no pattern matched. An *outage* is a run of failures of one
target that ends with the next success of the same kind of work (or is still
open). A *series* gathers every outage of one incident kind on one target:
how often it happened, how long the worst one lasted, and how many times it
was "fixed" and came back.
All times are Unix milliseconds, as Komodo stores them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from komodo_guard.history.families import family_of
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
    """None of the above, or not known because the log was not read (then the
    failure is marked ``unread``); the history keeps examples of the first so
    new kinds can be added."""


class AmbiguousNameError(LookupError):
    """An incident name that fits outages of more than one kind and target."""

    def __init__(self, name: str, candidates: tuple[Outage, ...]) -> None:
        super().__init__(name)
        self.name = name
        self.candidates = candidates


@dataclass(frozen=True)
class Failure:
    """One failed Update and why.

    ``evidence`` is the log line that decided the kind, redacted and cut to
    one line; empty when the update's logs were not read. Then ``inferred``
    is True and the kind comes from the other failures of its streak, else
    from its operation, else from the nearest classified failure of the same
    target and work; with none of these it is ``other`` and ``unread`` is
    True: nobody knows why it failed.
    """

    update: Update
    kind: IncidentKind
    evidence: str = ""
    inferred: bool = False
    unread: bool = False

    @property
    def at(self) -> int:
        """When the failed update started."""
        return self.update.start_ts


@dataclass(frozen=True)
class Outage:
    """Consecutive failures of one target until the next success.

    ``recovery`` is the successful update that ended it; None while the
    outage is still open at the end of the history. ``sole`` is True when no
    other outage of the history has the same :attr:`stem`; then :attr:`ident`
    is the stem alone.
    """

    kind: IncidentKind
    target: Target
    failures: tuple[Failure, ...]
    recovery: Update | None
    sole: bool = False

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
    def unread(self) -> bool:
        """Why it failed is unknown: no failure's log was read and nothing
        could be inferred."""
        return all(failure.unread for failure in self.failures)

    @property
    def stem(self) -> str:
        """Kind and target, e.g. ``git-pull-blocked-mealie``."""
        name = (self.target.name or self.target.id).lower().replace(" ", "-")
        return f"{self.kind}-{name}"

    @property
    def full_ident(self) -> str:
        """The stem and the start (UTC, to the minute), e.g.
        ``git-pull-blocked-mealie-20261129T0412``: unique in any history."""
        start = datetime.fromtimestamp(self.started / 1000, UTC)
        return f"{self.stem}-{start:%Y%m%dT%H%M}"

    @property
    def ident(self) -> str:
        """The name ``postmortem`` takes: the :attr:`stem` when the outage is
        the history's only one with it (``sole``), which stays valid while
        the outage does; else the :attr:`full_ident`."""
        return self.stem if self.sole else self.full_ident

    def same_series(self, other: Outage) -> bool:
        """Same incident kind on the same target."""
        mine, theirs = self.target, other.target
        return (self.kind, mine.kind, mine.id) == (other.kind, theirs.kind, theirs.id)


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
    :attr:`without_logs` and :attr:`unread` say how many failures were
    classified without their logs, and how many of those stayed unknown.
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

    @property
    def without_logs(self) -> int:
        """Failures classified without their logs (``inferred``)."""
        return sum(1 for failure in self.failures if failure.inferred)

    @property
    def unread(self) -> int:
        """Failures whose kind is unknown: no log read, nothing to infer."""
        return sum(1 for failure in self.failures if failure.unread)

    @property
    def periods(self) -> int:
        """Outages counted once per target and work, however many incident
        kinds one showed (:attr:`outages` counts one per kind)."""
        return len({_period(outage) for outage in self.outages})

    def outage(self, name: str) -> Outage | None:
        """The outage ``name`` stands for, if any: its :attr:`Outage.ident` or
        :attr:`Outage.full_ident`; else the newest outage of the one kind and
        target that ``name`` names (the stem, maybe with part of the start
        time: ``git-pull-blocked-mealie``, ``git-pull-blocked-mealie-20261129``)
        or begins (``database-auth-mongo``).

        Raises :class:`AmbiguousNameError` when ``name`` fits outages of more than
        one kind and target.
        """
        name = name.strip().lower()
        if not name:
            return None
        outages = self.outages
        exact = [o for o in outages if name in (o.ident.lower(), _full(o))]
        if exact:
            return exact[0]
        begun = [o for o in outages if _full(o).startswith(name)]
        whole = [o for o in begun if name == o.stem or name.startswith(o.stem + "-")]
        found = whole or begun
        if not found:
            return None
        newest = max(found, key=lambda outage: outage.started)
        if all(outage.same_series(newest) for outage in found):
            return newest
        raise AmbiguousNameError(name, tuple(sorted(found, key=_newest_first)))

    def examples(self, kind: IncidentKind, limit: int = 5) -> tuple[str, ...]:
        """Distinct evidence lines of ``kind``, newest first (for ``other``)."""
        lines = [f.evidence for f in reversed(self.failures) if f.kind is kind]
        return tuple(dict.fromkeys(line for line in lines if line))[:limit]


def _period(outage: Outage) -> tuple[str, str, str, str]:
    """The streak an outage came from: target, work, and what ended it."""
    target, recovery = outage.target, outage.recovery
    work = family_of(outage.failures[0].update.operation)
    return (target.kind, target.id, work, "" if recovery is None else recovery.id)


def _full(outage: Outage) -> str:
    return outage.full_ident.lower()


def _newest_first(outage: Outage) -> tuple[int, str]:
    return (-outage.started, outage.full_ident)
