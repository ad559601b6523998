"""database-backup-stale: Komodo's own database backups."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.komodo.updates import PROCEDURE, Update
from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.rules.interface import RuleOptions
from komodo_guard.rules.live.common import moment
from komodo_guard.rules.live.database_backup_stale import RULE
from tests.rules.live.livekit import messages, ms, run, snapshot, target, unread, update

DAY = timedelta(days=1)
SYSTEM = target("System", "")


def backups(*days: int, failed: tuple[int, ...] = ()) -> list[Update]:
    good = [
        update("BackupCoreDatabase", SYSTEM, d * DAY, operator=PROCEDURE) for d in days
    ]
    bad = [update("BackupCoreDatabase", SYSTEM, d * DAY, success=False) for d in failed]
    return good + bad


def test_last_backup_too_old() -> None:
    (finding,) = run(RULE, snapshot(updates=backups(9, 12, failed=(2, 1, 10))))
    assert finding.message == (
        "Komodo's database was last backed up 9 days ago (limit 7 days); 2 runs "
        "since failed"
    )
    assert finding.since == moment(ms(9 * DAY))


def test_no_backup_in_the_window() -> None:
    assert messages(run(RULE, snapshot())) == [
        "Komodo's database has no successful BackupCoreDatabase in the 30 days "
        "of update log read"
    ]
    assert run(RULE, snapshot(window_days=3)) == []


def test_limit_option() -> None:
    snap = snapshot(updates=backups(3))
    assert run(RULE, snap) == []
    assert len(run(RULE, snap, options=RuleOptions(extra={"backup_days": 2}))) == 1


def test_old_core_unread_and_disabled() -> None:
    old = snapshot(version="1.18.4", model_version=KomodoVersion(1, 18, 4))
    assert run(RULE, old) == []
    assert run(RULE, snapshot(version="", model_version=None)) == []
    assert run(RULE, snapshot(incomplete=unread("ListUpdates"))) == []
    assert run(RULE, snapshot(), disabled=[RULE.code]) == []
