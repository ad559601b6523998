"""The watch state's SQLite schema and the conversion of its rows.

Times are stored as whole microseconds since the Unix epoch (exact, and
ordered in SQL) and read back as UTC datetimes. Each entry of
:data:`MIGRATIONS` brings the file from ``user_version`` N to N+1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from komodo_guard.rules.interface import ResourceRef, Severity
from komodo_guard.watch.model import (
    Alerted,
    BlindSpot,
    CycleRecord,
    Kind,
    Outcome,
    TrackedFinding,
    Transition,
)

_V1 = """
CREATE TABLE findings (
    identity TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    severity INTEGER NOT NULL,
    summary TEXT NOT NULL,
    message TEXT NOT NULL,
    hint TEXT NOT NULL,
    resource_kind TEXT,
    resource_name TEXT,
    path TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    since INTEGER,
    resolved_at INTEGER,
    missing INTEGER NOT NULL,
    last_notified INTEGER,
    notify_count INTEGER NOT NULL,
    snoozed_until INTEGER,
    flaps TEXT NOT NULL,
    flapping_since INTEGER
);
CREATE INDEX findings_resolved ON findings (resolved_at);
CREATE TABLE blind_spots (
    key TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    since INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    alerted TEXT NOT NULL,
    last_notified INTEGER
);
CREATE TABLE held (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    identity TEXT NOT NULL,
    severity INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE cycles (
    seq INTEGER PRIMARY KEY,
    started INTEGER NOT NULL,
    ended INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL,
    incomplete INTEGER NOT NULL,
    transitions INTEGER NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX cycles_ended ON cycles (ended)
"""

_V2 = """
CREATE TABLE outgoing (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    identity TEXT NOT NULL,
    severity INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    at INTEGER NOT NULL
)
"""
"""Version 2: transitions decided but not yet handed to the outbox, written in
the cycle's own transaction so a crash between the two loses no alert."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    tuple(statement.strip() for statement in _V1.split(";")),
    (_V2.strip(),),
)
"""Statements per schema version, oldest first."""

FINDING_COLUMNS = (
    "identity, code, name, severity, summary, message, hint, resource_kind, "
    "resource_name, path, first_seen, last_seen, changed_at, since, resolved_at, "
    "missing, last_notified, notify_count, snoozed_until, flaps, flapping_since"
)
BLIND_COLUMNS = "key, subject, reason, since, failures, alerted, last_notified"
HELD_COLUMNS = "kind, identity, severity, title, body, first_seen, at"
"""The columns of a stored transition (tables ``held`` and ``outgoing``)."""
CYCLE_COLUMNS = (
    "started, ended, outcome, errors, warnings, infos, incomplete, transitions, reason"
)

Row = Sequence[Any]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def insert(table: str, columns: str) -> str:
    """``INSERT OR REPLACE`` of ``columns`` into ``table``, one ``?`` per column."""
    marks = ", ".join("?" * len(columns.split(",")))
    return f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({marks})"


def stamp(moment: datetime) -> int:
    """``moment`` as whole microseconds since the epoch."""
    if moment.tzinfo is None:
        raise ValueError("the watch state stores aware datetimes only")
    return (moment - _EPOCH) // _MICROSECOND


def moment(value: int) -> datetime:
    """A stored stamp as a UTC datetime."""
    return _EPOCH + value * _MICROSECOND


def maybe_stamp(value: datetime | None) -> int | None:
    """:func:`stamp`, keeping ``None``."""
    return None if value is None else stamp(value)


def maybe_moment(value: int | None) -> datetime | None:
    """:func:`moment`, keeping ``None``."""
    return None if value is None else moment(value)


def finding_row(record: TrackedFinding) -> tuple[object, ...]:
    """The values of :data:`FINDING_COLUMNS` for ``record``."""
    resource = record.resource
    return (
        record.identity,
        record.code,
        record.name,
        int(record.severity),
        record.title,
        record.message,
        record.hint,
        resource.kind if resource else None,
        resource.name if resource else None,
        record.path,
        stamp(record.first_seen),
        stamp(record.last_seen),
        stamp(record.changed_at),
        maybe_stamp(record.since),
        maybe_stamp(record.resolved_at),
        record.missing,
        maybe_stamp(record.last_notified),
        record.notify_count,
        maybe_stamp(record.snoozed_until),
        json.dumps([stamp(t) for t in record.flaps]),
        maybe_stamp(record.flapping_since),
    )


def finding_of(row: Row) -> TrackedFinding:
    """The record a :data:`FINDING_COLUMNS` row holds."""
    kind, name = row[7], row[8]
    return TrackedFinding(
        identity=str(row[0]),
        code=str(row[1]),
        name=str(row[2]),
        severity=Severity(int(row[3])),
        title=str(row[4]),
        message=str(row[5]),
        hint=str(row[6]),
        resource=None if kind is None else ResourceRef(str(kind), str(name)),
        path=str(row[9]),
        first_seen=moment(row[10]),
        last_seen=moment(row[11]),
        changed_at=moment(row[12]),
        since=maybe_moment(row[13]),
        resolved_at=maybe_moment(row[14]),
        missing=int(row[15]),
        last_notified=maybe_moment(row[16]),
        notify_count=int(row[17]),
        snoozed_until=maybe_moment(row[18]),
        flaps=tuple(moment(t) for t in json.loads(str(row[19]))),
        flapping_since=maybe_moment(row[20]),
    )


def blind_row(spot: BlindSpot) -> tuple[object, ...]:
    """The values of :data:`BLIND_COLUMNS` for ``spot``."""
    return (
        spot.key,
        spot.subject,
        spot.reason,
        stamp(spot.since),
        spot.failures,
        spot.alerted.value,
        maybe_stamp(spot.last_notified),
    )


def blind_of(row: Row) -> BlindSpot:
    """The blind spot a :data:`BLIND_COLUMNS` row holds."""
    return BlindSpot(
        key=str(row[0]),
        subject=str(row[1]),
        reason=str(row[2]),
        since=moment(row[3]),
        failures=int(row[4]),
        alerted=Alerted(str(row[5])),
        last_notified=maybe_moment(row[6]),
    )


def held_row(transition: Transition) -> tuple[object, ...]:
    """The values of :data:`HELD_COLUMNS` for ``transition``."""
    return (
        transition.kind.value,
        transition.identity,
        int(transition.severity),
        transition.title,
        transition.body,
        stamp(transition.first_seen),
        stamp(transition.at),
    )


def held_of(row: Row) -> Transition:
    """The transition a :data:`HELD_COLUMNS` row holds."""
    return Transition(
        kind=Kind(str(row[0])),
        identity=str(row[1]),
        severity=Severity(int(row[2])),
        title=str(row[3]),
        body=str(row[4]),
        first_seen=moment(row[5]),
        at=moment(row[6]),
    )


def cycle_of(row: Row) -> CycleRecord:
    """The cycle a :data:`CYCLE_COLUMNS` row holds."""
    return CycleRecord(
        started=moment(row[0]),
        ended=moment(row[1]),
        outcome=Outcome(str(row[2])),
        errors=int(row[3]),
        warnings=int(row[4]),
        infos=int(row[5]),
        incomplete=int(row[6]),
        transitions=int(row[7]),
        reason=str(row[8]),
    )
