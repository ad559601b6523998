"""Hand-built histories for the renderers' tests: no classifier involved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from komodo_guard.history.model import (
    Failure,
    History,
    IncidentKind,
    Outage,
    Series,
)
from komodo_guard.komodo.updates import GIT_WEBHOOK, Log, Target, Update
from komodo_guard.report.interface import LiveSummary

UNTIL = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SINCE = UNTIL - timedelta(days=30)
DAY = 86_400_000
END = int(UNTIL.timestamp() * 1000)
START = int(SINCE.timestamp() * 1000)

MEALIE = Target("Stack", "id-mealie", "mealie")
BACKUP = Target("Deployment", "id-backup", "mongo-backup")
WEIRD = Target("Stack", "id-weird", "a<b>&c")
PULL_BLOCKED = (
    "Git Pull: error: The following untracked working tree files would be "
    "overwritten by merge: compose.yaml"
)


def update(
    target: Target,
    at: int,
    *,
    success: bool,
    operation: str = "DeployStack",
    operator: str = "id-alice",
    username: str = "alice",
    logs: tuple[Log, ...] = (),
) -> Update:
    return Update(
        id=f"u-{target.id}-{at}",
        operation=operation,
        start_ts=at,
        success=success,
        status="Complete",
        username=username,
        operator=operator,
        target=target,
        logs=logs,
    )


def failure(target: Target, at: int, kind: IncidentKind, evidence: str = "") -> Failure:
    return Failure(
        update(target, at, success=False),
        kind,
        evidence=evidence,
        inferred=not evidence,
    )


def mealie_outage() -> Outage:
    """Open for five days: three blocked pulls, the first by the webhook."""
    first = Failure(
        update(MEALIE, END - 5 * DAY, success=False, operator=GIT_WEBHOOK, username=""),
        IncidentKind.GIT_PULL_BLOCKED,
        evidence=PULL_BLOCKED,
    )
    return Outage(
        IncidentKind.GIT_PULL_BLOCKED,
        MEALIE,
        (
            first,
            failure(MEALIE, END - 3 * DAY, IncidentKind.GIT_PULL_BLOCKED),
            failure(MEALIE, END - DAY, IncidentKind.GIT_PULL_BLOCKED, PULL_BLOCKED),
        ),
        recovery=None,
    )


def backup_outages() -> tuple[Outage, Outage]:
    """Fixed once (ended by a deploy at a commit) and back again."""
    recovered = update(
        BACKUP,
        END - 9 * DAY,
        success=True,
        operation="Deploy",
        logs=(Log("Pull", "git pull", "HEAD is now at 0a1b2c3d", "", True),),
    )
    fixed = Outage(
        IncidentKind.DATABASE_AUTH,
        BACKUP,
        (failure(BACKUP, END - 10 * DAY, IncidentKind.DATABASE_AUTH, "auth failed"),),
        recovery=recovered,
    )
    back = Outage(
        IncidentKind.DATABASE_AUTH,
        BACKUP,
        (failure(BACKUP, END - 2 * DAY, IncidentKind.DATABASE_AUTH, "auth failed"),),
        recovery=None,
    )
    return fixed, back


def other_outage() -> Outage:
    return Outage(
        IncidentKind.OTHER,
        WEIRD,
        (failure(WEIRD, END - 20 * DAY, IncidentKind.OTHER, "odd thing `x` | y"),),
        recovery=update(WEIRD, END - 19 * DAY, success=True),
    )


def sample_history() -> History:
    mealie = mealie_outage()
    fixed, back = backup_outages()
    other = other_outage()
    failures = sorted(
        (*mealie.failures, *fixed.failures, *back.failures, *other.failures),
        key=lambda f: f.at,
    )
    return History(
        since=START,
        until=END,
        updates=40,
        failures=tuple(failures),
        series=(
            Series(IncidentKind.GIT_PULL_BLOCKED, MEALIE, (mealie,)),
            Series(IncidentKind.DATABASE_AUTH, BACKUP, (fixed, back)),
            Series(IncidentKind.OTHER, WEIRD, (other,)),
        ),
    )


def empty_history() -> History:
    return History(since=START, until=END, updates=3, failures=(), series=())


def live_summary(**changes: object) -> LiveSummary:
    values: dict[str, object] = {
        "url": "https://core.test",
        "version": "2.3.2",
        "since": SINCE,
        "until": UNTIL,
        "counts": (("stack", 7), ("sync", 1), ("update", 40)),
    }
    values.update(changes)
    return LiveSummary(**values)  # type: ignore[arg-type]
