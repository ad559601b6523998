"""The SQLite state: persistence across restarts, migration, permissions,
snoozes, pruning, and consistency after ``kill -9`` in the middle of writing."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.watch import (
    Cycle,
    Kind,
    Outcome,
    Policy,
    WatchState,
    WatchStateError,
)
from komodo_guard.watch.maintenance import FixedWindow
from komodo_guard.watch.rows import MIGRATIONS
from tests.watch.helpers import T0, TAKES, Clock, kinds, pending, stack_down, unread

HOUR = timedelta(hours=1)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "watch.sqlite"


@pytest.fixture
def state(path: Path) -> Iterator[WatchState]:
    with WatchState.open(path) as opened:
        yield opened


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_file_and_journal_are_owner_only(path: Path, state: WatchState) -> None:
    state.record([pending()], Cycle(T0, T0 + TAKES))
    assert mode(path) == 0o600
    for suffix in ("-wal", "-shm"):
        journal = path.with_name(path.name + suffix)
        assert journal.exists()
        assert mode(journal) == 0o600


def test_a_readable_file_is_tightened(path: Path) -> None:
    path.touch()
    path.chmod(0o644)
    WatchState.open(path).close()
    assert mode(path) == 0o600


def test_an_empty_file_is_migrated(path: Path) -> None:
    path.write_bytes(b"")
    WatchState.open(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"findings", "cycles", "blind_spots", "held"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    WatchState.open(path).close()


def test_a_newer_schema_is_refused(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(WatchStateError, match="schema version 99, newer"):
        WatchState.open(path)


def test_a_file_that_is_not_a_database_is_refused(path: Path) -> None:
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(
        WatchStateError, match=r"cannot open watch state .*watch\.sqlite"
    ):
        WatchState.open(path)


def test_state_survives_a_restart(path: Path) -> None:
    def reopened() -> Clock:
        return Clock(WatchState.open(path).record, now=clock.now)

    clock = Clock(WatchState.open(path).record)
    assert kinds(clock.cycle(pending(days=2))) == [Kind.NEW]
    clock = reopened()
    assert clock.cycle(pending(days=3)) == []
    assert clock.cycle() == []
    clock = reopened()
    assert kinds(clock.cycle()) == [Kind.RESOLVED]
    clock = reopened()
    assert kinds(clock.cycle(pending())) == [Kind.NEW]


def test_blind_spots_and_held_alerts_survive_a_restart(path: Path) -> None:
    window = FixedWindow(T0, T0 + timedelta(minutes=70))
    policy = Policy(maintenance=(window,))
    clock = Clock(WatchState.open(path, policy).record, every=timedelta(minutes=20))
    assert clock.cycle(stack_down()) == []
    assert clock.down() == []
    with WatchState.open(path, policy) as state:
        assert [spot.failures for spot in state.blind_spots()] == [1]
        clock.record = state.record
        assert clock.down() == []
    with WatchState.open(path, policy) as state:
        clock.record = state.record
        assert clock.down() == []
    with WatchState.open(path, policy) as state:
        clock.record = state.record
        summary, down = clock.down()
    assert summary.title == "Maintenance over: 1 cannot-check, 1 new"
    assert down.kind is Kind.CANNOT_CHECK
    assert down.first_seen == T0 + timedelta(minutes=20)


def test_open_findings_say_since_when(state: WatchState) -> None:
    clock = Clock(state.record, every=HOUR)
    clock.cycle(pending())
    clock.run(5, pending(), stack_down())
    error, warning = state.open_findings()
    assert (error.code, error.severity, error.first_seen) == (
        "KG1009",
        Severity.ERROR,
        T0 + HOUR,
    )
    assert (warning.code, warning.first_seen, warning.last_seen) == (
        "KG1001",
        T0,
        T0 + 5 * HOUR,
    )
    assert warning.title == "KG1001 sync-pending: resource_sync 'homelab'"
    assert state.finding(warning.identity) == warning
    assert state.finding("nothing") is None


def test_snooze_silences_until_it_ends(state: WatchState) -> None:
    clock = Clock(state.record, every=HOUR)
    [new] = clock.cycle(stack_down())
    assert state.snooze(new.identity, clock.now + 10 * HOUR)
    assert not state.snooze("KG1:-:000000000000", clock.now)
    assert clock.run(10, stack_down(severity=Severity.ERROR)) == []
    assert kinds(clock.cycle(stack_down())) == [Kind.REMINDER]
    assert state.snooze(new.identity, clock.now + 10 * HOUR)
    assert state.snooze(new.identity, None)
    assert state.finding(new.identity).snoozed_until is None  # type: ignore[union-attr]


def test_recent_cycles_record_outcomes_and_counts(state: WatchState) -> None:
    clock = Clock(state.record)
    clock.cycle(pending(), stack_down())
    clock.cycle(pending(), unread())
    clock.down("HTTP 401: API key refused")
    latest, degraded, good = state.recent_cycles(5)
    assert (good.outcome, good.errors, good.warnings, good.transitions) == (
        Outcome.OK,
        1,
        1,
        2,
    )
    assert good.started == T0
    assert good.ended == T0 + TAKES
    assert (degraded.outcome, degraded.incomplete, degraded.warnings) == (
        Outcome.DEGRADED,
        1,
        1,
    )
    assert (latest.outcome, latest.reason) == (
        Outcome.FAILED,
        "HTTP 401: API key refused",
    )
    assert len(state.recent_cycles(1)) == 1


def test_prune_forgets_old_cycles_and_resolved_findings(state: WatchState) -> None:
    clock = Clock(state.record, every=HOUR)
    clock.cycle(pending(), stack_down())
    clock.cycle(stack_down())
    clock.cycle(stack_down())
    assert state.prune(T0) == 0
    removed = state.prune(T0 + 3 * HOUR)
    assert removed == 3 + 1
    assert state.recent_cycles(10) == []
    assert [f.code for f in state.open_findings()] == ["KG1009"]


def test_a_resolved_finding_keeps_its_flap_history(path: Path) -> None:
    policy = Policy(resolve_after=1, flap_limit=2)
    seen: list[Kind] = []
    clock = Clock(WatchState.open(path, policy).record)
    for present in (True, False, True, False, True):
        with WatchState.open(path, policy) as state:
            clock.record = state.record
            seen += kinds(clock.cycle(pending()) if present else clock.cycle())
    assert seen == [Kind.NEW, Kind.RESOLVED, Kind.NEW, Kind.RESOLVED, Kind.FLAPPING]


def test_credentials_in_a_reason_reach_neither_alerts_nor_the_file(
    path: Path, state: WatchState
) -> None:
    reason = "GET https://admin:hunter2@core.lan/read?token=s3cr3t failed: refused"
    clock = Clock(state.record)
    out = [t for _ in range(3) for t in clock.down(reason)]
    out += clock.cycle(unread(reason=reason))
    state.close()
    assert kinds(out) == [Kind.CANNOT_CHECK, Kind.CAN_CHECK_AGAIN]
    assert "https://***@core.lan/read?…" in out[0].title
    stored = b"".join(p.read_bytes() for p in path.parent.iterdir())
    for secret in ("hunter2", "s3cr3t"):
        assert all(secret not in t.title + t.body for t in out)
        assert secret.encode() not in stored


_WRITER = textwrap.dedent(
    """
    import os
    import signal
    import sqlite3
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from komodo_guard.rules.interface import FailureClass, Finding, ResourceRef
    from komodo_guard.rules.interface import Severity
    from komodo_guard.watch import Cycle, WatchState

    kill_before, kill_at = sys.argv[2], int(sys.argv[3])
    statements = 0


    def count(statement):
        global statements
        if statement.startswith(kill_before):
            statements += 1
            if statements == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)


    connect = sqlite3.connect


    def traced(*args, **kwargs):
        db = connect(*args, **kwargs)
        db.set_trace_callback(count)
        return db


    sqlite3.connect = traced
    state = WatchState.open(Path(sys.argv[1]))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(1_000_000):
        findings = [
            Finding(
                code="KG1001",
                name="sync-pending",
                severity=Severity.WARNING,
                failure_class=FailureClass.SYNC_DRIFT,
                message=f"resource_sync 's{n}' pending for {index} minutes",
                resource=ResourceRef("resource_sync", f"s{n}"),
            )
            for n in range(60)
            if (index + n) % 3
        ]
        at = start + timedelta(minutes=index)
        state.record(findings, Cycle(at, at + timedelta(seconds=1)))
        print(index, flush=True)
    """
)


def check_consistent(path: Path) -> int:
    """Every stored cycle is whole: the findings of the last one and no later;
    the file opens (finishing an interrupted migration) and takes a new cycle.
    Returns the cycles stored."""
    WatchState.open(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cycles, last = db.execute("SELECT count(*), max(started) FROM cycles").fetchone()
    assert db.execute("SELECT max(last_seen) FROM findings").fetchone()[0] == last
    assert (cycles == 0) == (last is None)
    seen_last = {
        row[0]
        for row in db.execute(
            "SELECT resource_name FROM findings WHERE last_seen = ?", (last,)
        )
    }
    present = {f"s{n}" for n in range(60) if (cycles - 1 + n) % 3}
    assert seen_last == (present if cycles else set())
    db.close()
    with WatchState.open(path) as state:
        ever = {f"s{n}" for i in range(cycles) for n in range(60) if (i + n) % 3}
        assert {f.resource.name for f in state.open_findings() if f.resource} == ever
        at = T0 + 1000 * HOUR
        state.record([], Cycle(at, at + TAKES))
        assert state.recent_cycles(1)[0].started == at
    return int(cycles)


def start_writer(
    path: Path, kill_before: str = "", kill_at: int = 0
) -> subprocess.Popen[str]:
    """A process recording cycles into ``path`` as fast as it can, which
    SIGKILLs itself as SQLite starts the ``kill_at``-th statement beginning
    with ``kill_before``."""
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), kill_before, str(kill_at)],
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    ("statement", "occurrence"),
    [
        ("CREATE TABLE held", 1),
        ("PRAGMA user_version = 1", 1),
        ("SELECT", 9),
        ("INSERT OR REPLACE INTO findings", 1),
        ("INSERT OR REPLACE INTO findings", 333),
        ("DELETE FROM blind_spots", 5),
        ("INSERT OR REPLACE INTO cycles", 7),
        ("COMMIT", 12),
        ("", 2500),
    ],
)
def test_kill_9_at_any_statement_leaves_whole_cycles(
    path: Path, statement: str, occurrence: int
) -> None:
    writer = start_writer(path, statement, occurrence)
    output, _ = writer.communicate()
    assert writer.returncode == -signal.SIGKILL
    check_consistent(path)
    assert (
        len(output.splitlines()) == len(WatchState.open(path).recent_cycles(10**6)) - 1
    )


def test_kill_9_from_outside_while_writing_many_cycles(path: Path) -> None:
    writer = start_writer(path, "never", 1)
    assert writer.stdout is not None
    for _ in range(25):
        assert writer.stdout.readline(), "the writer died before it was killed"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    check_consistent(path)
