"""A persistent outbox: every alert is retried until delivered or expired.

The outbox is one SQLite file (WAL journal, ``synchronous=FULL``, created
owner-only) holding one row per (alert key, channel). :meth:`Outbox.enqueue`
adds rows, skipping a pair that is already waiting, so a burst of the same
alert is sent once. :meth:`Outbox.deliver_due` sends what is due; a retryable
failure is tried again after an exponential, jittered, capped delay (see
:mod:`.retry`), a permanent one ends the row as ``failed``, and a row still
undelivered ``max_age`` after it was queued ends as ``expired``. Failed and
expired rows are returned by the call that ended them, logged as errors and
counted in :meth:`Outbox.channel_health` until ``retention`` has passed.

**At least once.** A row is marked ``sending`` (and committed) before the
send and marked with its result after it. If the process dies in between,
the next :class:`Outbox` on the file finds the row still ``sending`` and sends
it again: each crash can cause at most one duplicate of the alerts it
interrupted, and never a loss. Receivers recognise the duplicate by the alert
``key`` (the webhook body's ``key``, the e-mail ``Message-ID``).

**A channel that keeps failing** (``failing_after`` failed attempts in a row,
a permanent failure, or an alert waiting longer than ``failing_age``) is
announced once per episode on every other channel, and its recovery too (see
:mod:`.failing`).

Secrets never reach the file: rows hold the alert (secret-free by contract)
and the channel's name, and errors are the channels' secret-free details.
One process at a time may use a file.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from komodo_guard.notify.failing import ChannelHealth, failing_alert, recovered_alert
from komodo_guard.notify.interface import Channel, Delivery, Outcome, SendFunction
from komodo_guard.notify.message import Alert
from komodo_guard.notify.retry import RetryPolicy

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS delivery (
    id INTEGER PRIMARY KEY,
    alert_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    alert TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at REAL NOT NULL,
    due_at REAL NOT NULL,
    last_attempt_at REAL,
    last_error TEXT,
    finished_at REAL
);
CREATE UNIQUE INDEX IF NOT EXISTS delivery_waiting ON delivery (alert_key, channel)
    WHERE state IN ('pending', 'sending');
CREATE INDEX IF NOT EXISTS delivery_due ON delivery (state, due_at);
CREATE TABLE IF NOT EXISTS channel (
    name TEXT PRIMARY KEY,
    last_success REAL,
    last_failure REAL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_permanent INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    failing_since REAL
);
"""
_WAITING = "('pending', 'sending')"


@dataclass(frozen=True)
class Undelivered:
    """An alert that ended without reaching a channel."""

    alert_key: str
    channel: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class DeliveryReport:
    """What one :meth:`Outbox.deliver_due` call did."""

    delivered: int = 0
    retrying: int = 0
    failed: tuple[Undelivered, ...] = ()
    expired: tuple[Undelivered, ...] = ()
    failing: tuple[str, ...] = ()
    """Channels announced as failing by this call."""
    recovered: tuple[str, ...] = ()
    """Channels announced as delivering again by this call."""


@dataclass
class _Pass:
    delivered: int = 0
    retrying: int = 0
    failed: list[Undelivered] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    id: int
    alert_key: str
    channel: str
    alert: str
    attempts: int


class Outbox:
    """The outbox in the SQLite file ``path`` for the configured ``channels``."""

    def __init__(
        self,
        path: Path,
        channels: Sequence[Channel],
        send: SendFunction,
        *,
        policy: RetryPolicy | None = None,
        unit: Callable[[], float] = random.random,
    ) -> None:
        self._channels = {channel.name: channel for channel in channels}
        self._send = send
        self._policy = policy or RetryPolicy()
        self._unit = unit
        self._db = _open(path)
        self._resume_interrupted()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def enqueue(
        self,
        alert: Alert,
        channels: Iterable[str] | None = None,
        *,
        now: datetime | None = None,
    ) -> int:
        """Queue ``alert`` for ``channels`` (names; all when ``None``), due now.

        Returns how many rows were added: a channel that already has an
        undelivered alert with the same key gets no second one.
        """
        if channels is None:
            names = list(self._channels)
        else:
            names = [channels] if isinstance(channels, str) else list(channels)
        unknown = [name for name in names if name not in self._channels]
        if unknown:
            raise ValueError(f"no channel named {', '.join(map(repr, unknown))}")
        moment = (now or datetime.now(UTC)).timestamp()
        with self._db:
            added = sum(self._insert(alert, name, moment) for name in names)
        logger.debug("queued alert %s on %d channel(s)", alert.key, added)
        return added

    def _insert(self, alert: Alert, channel: str, moment: float) -> int:
        cursor = self._db.execute(
            "INSERT INTO delivery (alert_key, channel, alert, state, queued_at, due_at)"
            " VALUES (?, ?, ?, 'pending', ?, ?)"
            f" ON CONFLICT (alert_key, channel) WHERE state IN {_WAITING} DO NOTHING",
            (alert.key, channel, alert.to_json(), moment, moment),
        )
        return cursor.rowcount

    def deliver_due(self, now: datetime) -> DeliveryReport:
        """Send every due alert (up to ``policy.batch``) and record each result.

        After a retryable failure, the channel's other alerts wait for the
        next call. Expired rows are ended first; afterwards failing and
        recovered channels are announced on the others, and those
        announcements get their first attempt in the same call.
        """
        moment = now.timestamp()
        expired = self._expire(moment)
        paused: set[str] = set()
        first = self._send_due(moment, paused)
        failing, recovered = self._announce(now)
        second = self._send_due(moment, paused) if failing or recovered else _Pass()
        self._prune(moment)
        return DeliveryReport(
            delivered=first.delivered + second.delivered,
            retrying=first.retrying + second.retrying,
            failed=(*first.failed, *second.failed),
            expired=expired,
            failing=failing,
            recovered=recovered,
        )

    def _send_due(self, moment: float, paused: set[str]) -> _Pass:
        """One pass over due rows; a retryable failure adds its channel to
        ``paused`` and the channel's remaining rows wait for the next call."""
        result = _Pass()
        for row in self._due(moment):
            if row.channel in paused:
                continue
            outcome = self._attempt(row, moment)
            if outcome.status is Delivery.DELIVERED:
                result.delivered += 1
            elif outcome.status is Delivery.RETRYABLE:
                result.retrying += 1
                paused.add(row.channel)
            else:
                result.failed.append(_undelivered(row, outcome.detail))
        return result

    def _due(self, moment: float) -> list[_Row]:
        rows = self._db.execute(
            "SELECT id, alert_key, channel, alert, attempts FROM delivery"
            " WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (moment, self._policy.batch),
        ).fetchall()
        return [_Row(*row) for row in rows]

    def _attempt(self, row: _Row, moment: float) -> Outcome:
        """Mark ``row`` sending, send it, record the outcome (see at least once)."""
        with self._db:
            self._db.execute(
                "UPDATE delivery SET state = 'sending', attempts = attempts + 1,"
                " last_attempt_at = ? WHERE id = ?",
                (moment, row.id),
            )
        channel = self._channels.get(row.channel)
        if channel is None:
            detail = f"no channel named {row.channel!r} is configured any more"
            outcome = Outcome(Delivery.RETRYABLE, detail)
        else:
            outcome = self._send(channel, Alert.from_json(row.alert))
        self._record(row, outcome, moment)
        return outcome

    def _record(self, row: _Row, outcome: Outcome, moment: float) -> None:
        attempts = row.attempts + 1
        with self._db:
            if outcome.status is Delivery.DELIVERED:
                self._finish(row.id, "delivered", None, moment)
                self._db.execute(
                    "INSERT INTO channel (name, last_success) VALUES (?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET last_success = excluded."
                    "last_success, consecutive_failures = 0, last_permanent = 0",
                    (row.channel, moment),
                )
                return
            permanent = outcome.status is Delivery.PERMANENT
            if permanent:
                self._finish(row.id, "failed", outcome.detail, moment)
            else:
                unit = self._unit()
                due = moment + self._policy.delay(attempts, unit, outcome.retry_after)
                self._db.execute(
                    "UPDATE delivery SET state = 'pending', due_at = ?, last_error = ?"
                    " WHERE id = ?",
                    (due, outcome.detail, row.id),
                )
            self._db.execute(
                "INSERT INTO channel (name, last_failure, consecutive_failures,"
                " last_permanent, last_error) VALUES (?, ?, 1, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET last_failure = excluded."
                "last_failure, consecutive_failures = consecutive_failures + 1,"
                " last_permanent = excluded.last_permanent,"
                " last_error = excluded.last_error",
                (row.channel, moment, int(permanent), outcome.detail),
            )
        level = logging.ERROR if permanent else logging.WARNING
        logger.log(
            level,
            "alert %s not delivered on %s (attempt %d, %s): %s",
            row.alert_key,
            row.channel,
            attempts,
            outcome.status.value,
            outcome.detail,
        )

    def _finish(
        self, row_id: int, state: str, error: str | None, moment: float
    ) -> None:
        self._db.execute(
            "UPDATE delivery SET state = ?, last_error = coalesce(?, last_error),"
            " finished_at = ? WHERE id = ?",
            (state, error, moment, row_id),
        )

    def _expire(self, moment: float) -> tuple[Undelivered, ...]:
        limit = moment - self._policy.max_age
        with self._db:
            rows = self._db.execute(
                "UPDATE delivery SET state = 'expired', finished_at = ?"
                " WHERE state = 'pending' AND queued_at < ?"
                " RETURNING alert_key, channel, attempts, last_error",
                (moment, limit),
            ).fetchall()
        expired = tuple(Undelivered(*row) for row in rows)
        for item in expired:
            logger.error(
                "alert %s expired undelivered on %s after %d attempt(s): %s",
                item.alert_key,
                item.channel,
                item.attempts,
                item.last_error or "never attempted",
            )
        return expired

    def _announce(self, now: datetime) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Open and close failing episodes; returns (failing, recovered) names."""
        failing, recovered = [], []
        for health in self.channel_health():
            state = self._failing_state(health, now)
            if state is True and health.failing_since is None:
                self._episode(health.channel, now, failing_alert(health, now), now)
                failing.append(health.channel)
            elif state is False and health.failing_since is not None:
                alert = recovered_alert(health.channel, health.failing_since, now)
                self._episode(health.channel, None, alert, now)
                recovered.append(health.channel)
        return tuple(failing), tuple(recovered)

    def _failing_state(self, health: ChannelHealth, now: datetime) -> bool | None:
        """True when failing, False when healthy again, None when neither is sure."""
        row = self._db.execute(
            "SELECT last_permanent FROM channel WHERE name = ?", (health.channel,)
        ).fetchone()
        permanent = bool(row and row[0])
        oldest = health.oldest_undelivered
        too_old = (
            oldest is not None
            and (now - oldest).total_seconds() > self._policy.failing_age
        )
        failures = health.consecutive_failures
        if (
            too_old
            or failures >= self._policy.failing_after
            or (failures > 0 and permanent)
        ):
            return True
        since, success = health.failing_since, health.last_success
        if failures == 0 and since is not None and success is not None:
            return False if success >= since else None
        return None

    def _episode(
        self, channel: str, since: datetime | None, alert: Alert, now: datetime
    ) -> None:
        """Record the episode's start (or end, ``since=None``) and queue
        ``alert`` on every other channel, in one transaction."""
        others = [name for name in self._channels if name != channel]
        with self._db:
            self._db.execute(
                "INSERT INTO channel (name, failing_since) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET failing_since = excluded."
                "failing_since",
                (channel, None if since is None else since.timestamp()),
            )
            for name in others:
                self._insert(alert, name, now.timestamp())
        if others:
            logger.warning("%s; reporting it on %s", alert.title, ", ".join(others))
        else:
            logger.error(
                "%s; no other channel is configured to report it on", alert.title
            )

    def _prune(self, moment: float) -> None:
        with self._db:
            self._db.execute(
                f"DELETE FROM delivery WHERE state NOT IN {_WAITING}"
                " AND finished_at < ?",
                (moment - self._policy.retention,),
            )

    def _resume_interrupted(self) -> None:
        """Rows left ``sending`` by a process that died are sent again."""
        with self._db:
            count = self._db.execute(
                "UPDATE delivery SET state = 'pending',"
                " due_at = min(due_at, coalesce(last_attempt_at, due_at))"
                " WHERE state = 'sending'"
            ).rowcount
        if count:
            logger.warning(
                "%d alert(s) were being sent when komodo-guard stopped; they are "
                "sent again and may arrive twice (receivers can match the key)",
                count,
            )

    def channel_health(self) -> tuple[ChannelHealth, ...]:
        """Health of every configured channel, then of any other in the file."""
        stored = {row[0] for row in self._db.execute("SELECT name FROM channel")}
        queued = {
            row[0] for row in self._db.execute("SELECT DISTINCT channel FROM delivery")
        }
        extra = sorted((stored | queued) - set(self._channels))
        return tuple(self._health(name) for name in [*self._channels, *extra])

    def _health(self, name: str) -> ChannelHealth:
        state = self._db.execute(
            "SELECT last_success, consecutive_failures, failing_since, last_error"
            " FROM channel WHERE name = ?",
            (name,),
        ).fetchone() or (None, 0, None, None)
        counts = self._db.execute(
            "SELECT min(CASE WHEN state IN ('pending', 'sending') THEN queued_at END),"
            " count(CASE WHEN state IN ('pending', 'sending') THEN 1 END),"
            " count(CASE WHEN state = 'failed' THEN 1 END),"
            " count(CASE WHEN state = 'expired' THEN 1 END)"
            " FROM delivery WHERE channel = ?",
            (name,),
        ).fetchone()
        return ChannelHealth(
            channel=name,
            last_success=_moment(state[0]),
            consecutive_failures=state[1],
            oldest_undelivered=_moment(counts[0]),
            undelivered=counts[1],
            failed=counts[2],
            expired=counts[3],
            failing_since=_moment(state[2]),
            last_error=state[3],
        )


def _undelivered(row: _Row, detail: str) -> Undelivered:
    return Undelivered(row.alert_key, row.channel, row.attempts + 1, detail)


def _moment(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _open(path: Path) -> sqlite3.Connection:
    """Connect to ``path``, created owner-only, in WAL mode with the schema."""
    _owner_only(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA busy_timeout = 5000")
    db.executescript(_SCHEMA)
    return db


def _owner_only(path: Path) -> None:
    """Create ``path`` with mode 0600, or tighten an existing file to it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        mode = stat.S_IMODE(os.fstat(descriptor).st_mode)
        if mode & 0o077:
            os.fchmod(descriptor, 0o600)
            logger.info("made %s readable by its owner only (was %o)", path, mode)
    finally:
        os.close(descriptor)
