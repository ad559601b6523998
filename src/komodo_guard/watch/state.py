"""The watcher's memory in one SQLite file beside its configuration.

:meth:`WatchState.record` takes one cycle's findings, decides what changed
(:func:`.policy.decide`) and stores the result, the cycle included, in one
transaction: a process killed at any moment leaves either the cycle before
or the cycle after, never half of one. The file uses the WAL journal with
``synchronous=FULL`` and is created readable by its owner only (SQLite gives
its ``-wal`` and ``-shm`` files the same mode). The schema is versioned by
``PRAGMA user_version`` and migrated on open; a file from a newer
komodo-guard is refused rather than guessed at.

The file holds findings' messages, titles and hints, which never carry a
secret value. One process at a time should write a file: the watcher locks
the file's folder first (:mod:`.lock`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from komodo_guard.rules.interface import Finding, Severity
from komodo_guard.rules.live.common import scrub
from komodo_guard.watch import rows
from komodo_guard.watch.identity import could_not_check, identity
from komodo_guard.watch.model import (
    BlindSpot,
    Cycle,
    CycleRecord,
    Outcome,
    TrackedFinding,
    Transition,
)
from komodo_guard.watch.policy import Decision, Memory, decide
from komodo_guard.watch.settings import Policy

logger = logging.getLogger(__name__)

_CHUNK = 500
"""Identities looked up per query (SQLite allows a few hundred parameters at least)."""


class WatchStateError(Exception):
    """The state file cannot be opened, migrated or written; names the file."""


class WatchState:
    """The watch state in the SQLite file at ``path``; use :meth:`open`.

    ``policy`` decides what becomes an alert and may be replaced between
    cycles (on a configuration reload).
    """

    def __init__(self, path: Path, db: sqlite3.Connection, policy: Policy) -> None:
        self.path = path
        self.policy = policy
        self._db = db

    @classmethod
    def open(cls, path: Path, policy: Policy | None = None) -> WatchState:
        """Open (creating owner-only, migrating as needed) the file at ``path``."""
        try:
            _create_private(path)
            db = sqlite3.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise WatchStateError(f"cannot open watch state {path}: {error}") from error
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=5000")
            _migrate(db, path)
        except (sqlite3.Error, WatchStateError) as error:
            db.close()
            if isinstance(error, WatchStateError):
                raise
            raise WatchStateError(f"cannot open watch state {path}: {error}") from error
        return cls(path, db, policy or Policy())

    def close(self) -> None:
        """Close the file; the state is already on disk."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def record(self, findings: Sequence[Finding], cycle: Cycle) -> list[Transition]:
        """Store one cycle and return the transitions it caused, in order.

        The transitions are also kept in the file, in the same transaction,
        until :meth:`handed_over` says they reached the outbox: a process
        killed in between finds them again with :meth:`outgoing`.
        """
        with self._transaction():
            before = self._memory(findings)
            decision = decide(before, findings, cycle, self.policy)
            self._save(before, decision.memory)
            self._log_cycle(findings, cycle, decision)
            self._db.executemany(
                rows.insert("outgoing", rows.HELD_COLUMNS),
                [rows.held_row(transition) for transition in decision.transitions],
            )
        for transition in decision.transitions:
            logger.debug("%s %s", transition.kind.value, transition.identity)
        return list(decision.transitions)

    def outgoing(self) -> list[Transition]:
        """Transitions recorded but not yet :meth:`handed_over`, oldest first."""
        cursor = self._db.execute(
            f"SELECT {rows.HELD_COLUMNS} FROM outgoing ORDER BY seq"
        )
        return [rows.held_of(row) for row in cursor]

    def handed_over(self, transitions: Iterable[Transition]) -> None:
        """Forget ``transitions`` from :meth:`outgoing`: they are queued now."""
        keys = [(t.kind.value, t.identity, rows.stamp(t.at)) for t in transitions]
        with self._transaction():
            self._db.executemany(
                "DELETE FROM outgoing WHERE kind = ? AND identity = ? AND at = ?",
                keys,
            )

    def snooze(self, key: str, until: datetime | None) -> bool:
        """Silence the finding ``key`` until ``until`` (``None`` ends a snooze);
        false if no such finding is remembered."""
        with self._transaction():
            cursor = self._db.execute(
                "UPDATE findings SET snoozed_until = ? WHERE identity = ?",
                (rows.maybe_stamp(until), key),
            )
        return cursor.rowcount == 1

    def open_findings(self) -> list[TrackedFinding]:
        """Findings not resolved, most severe first, then oldest first."""
        cursor = self._db.execute(
            f"SELECT {rows.FINDING_COLUMNS} FROM findings WHERE resolved_at IS NULL "
            "ORDER BY severity DESC, first_seen, identity"
        )
        return [rows.finding_of(row) for row in cursor]

    def finding(self, key: str) -> TrackedFinding | None:
        """The remembered finding ``key``, open or resolved."""
        row = self._db.execute(
            f"SELECT {rows.FINDING_COLUMNS} FROM findings WHERE identity = ?", (key,)
        ).fetchone()
        return None if row is None else rows.finding_of(row)

    def blind_spots(self) -> list[BlindSpot]:
        """What currently cannot be checked, oldest first."""
        cursor = self._db.execute(
            f"SELECT {rows.BLIND_COLUMNS} FROM blind_spots ORDER BY since, key"
        )
        return [rows.blind_of(row) for row in cursor]

    def recent_cycles(self, count: int) -> list[CycleRecord]:
        """The last ``count`` cycles, newest first."""
        cursor = self._db.execute(
            f"SELECT {rows.CYCLE_COLUMNS} FROM cycles ORDER BY seq DESC LIMIT ?",
            (count,),
        )
        return [rows.cycle_of(row) for row in cursor]

    def prune(self, older_than: datetime) -> int:
        """Forget cycles that ended, and findings resolved, before ``older_than``
        (keeping flapping and still-snoozed ones); return the rows removed."""
        limit = rows.stamp(older_than)
        with self._transaction():
            cycles = self._db.execute("DELETE FROM cycles WHERE ended < ?", (limit,))
            findings = self._db.execute(
                "DELETE FROM findings WHERE resolved_at < ? AND flapping_since IS NULL "
                "AND (snoozed_until IS NULL OR snoozed_until < ?)",
                (limit, limit),
            )
        return cycles.rowcount + findings.rowcount

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise WatchStateError(f"watch state {self.path}: {error}") from error

    def _memory(self, findings: Sequence[Finding]) -> Memory:
        records = {
            record.identity: record
            for record in self._findings_where(
                "resolved_at IS NULL OR flapping_since IS NOT NULL"
            )
        }
        wanted = sorted(
            {identity(f) for f in findings if not could_not_check(f)} - set(records)
        )
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for record in self._findings_where(f"identity IN ({marks})", chunk):
                records[record.identity] = record
        spots = self._db.execute(f"SELECT {rows.BLIND_COLUMNS} FROM blind_spots")
        held = self._db.execute(f"SELECT {rows.HELD_COLUMNS} FROM held ORDER BY seq")
        return Memory(
            findings=records,
            blind_spots={row[0]: rows.blind_of(row) for row in spots},
            held=tuple(rows.held_of(row) for row in held),
        )

    def _findings_where(
        self, condition: str, values: Iterable[object] = ()
    ) -> list[TrackedFinding]:
        cursor = self._db.execute(
            f"SELECT {rows.FINDING_COLUMNS} FROM findings WHERE {condition}",
            tuple(values),
        )
        return [rows.finding_of(row) for row in cursor]

    def _save(self, before: Memory, after: Memory) -> None:
        changed = [
            record
            for key, record in after.findings.items()
            if before.findings.get(key) != record
        ]
        self._db.executemany(
            rows.insert("findings", rows.FINDING_COLUMNS),
            [rows.finding_row(record) for record in changed],
        )
        self._db.execute("DELETE FROM blind_spots")
        self._db.executemany(
            rows.insert("blind_spots", rows.BLIND_COLUMNS),
            [rows.blind_row(spot) for spot in after.blind_spots.values()],
        )
        if after.held != before.held:
            self._db.execute("DELETE FROM held")
            self._db.executemany(
                rows.insert("held", rows.HELD_COLUMNS),
                [rows.held_row(transition) for transition in after.held],
            )

    def _log_cycle(
        self, findings: Sequence[Finding], cycle: Cycle, decision: Decision
    ) -> None:
        incomplete = sum(could_not_check(f) for f in findings)
        ordinary = [f for f in findings if not could_not_check(f)]
        if not cycle.checked:
            outcome = Outcome.FAILED
        elif incomplete:
            outcome = Outcome.DEGRADED
        else:
            outcome = Outcome.OK
        self._db.execute(
            rows.insert("cycles", rows.CYCLE_COLUMNS),
            (
                rows.stamp(cycle.started),
                rows.stamp(cycle.ended),
                outcome.value,
                sum(f.severity is Severity.ERROR for f in ordinary),
                sum(f.severity is Severity.WARNING for f in ordinary),
                sum(f.severity is Severity.INFO for f in ordinary),
                incomplete,
                len(decision.transitions),
                scrub(cycle.reason),
            ),
        )


def _create_private(path: Path) -> None:
    """Create ``path`` owner-only if missing; tighten it if others may read it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        mode = stat.S_IMODE(os.fstat(descriptor).st_mode)
        if mode & 0o077:
            logger.warning("watch state %s was mode %o; making it 0600", path, mode)
            os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to the newest version, each step in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > len(rows.MIGRATIONS):
            raise WatchStateError(
                f"watch state {path} has schema version {version}, newer than this "
                f"komodo-guard knows ({len(rows.MIGRATIONS)}): upgrade komodo-guard "
                "or point it at another state file"
            )
        for number in range(version, len(rows.MIGRATIONS)):
            for statement in rows.MIGRATIONS[number]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number + 1}")
            logger.info("watch state %s migrated to version %d", path, number + 1)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
