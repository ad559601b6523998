"""Komodo's own database has not been backed up recently.

Since 1.19, Core backs up its database with ``BackupCoreDatabase``
(``km database backup``), usually from a scheduled procedure that Komodo
creates on first start. Everything Core knows (resources made in the UI,
Variables and secrets, users, the update history) lives only in that
database, so a backup that stopped running is found out on the day it is
needed. Each run leaves an Update, also when a procedure's stage starts it,
so the update log shows the last good one: older than the limit, or none
in the window read, is a warning. Core releases before 1.19 have no such
call and are not judged; nor is a window shorter than the limit.

Failing: the last successful ``BackupCoreDatabase`` was 9 days ago, and the
two runs since failed.

Passing: one succeeded last night.

Options (``options.extra``): ``backup_days`` (default 7).
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import ago, moment, option_number, plural

BACKUP = "BackupCoreDatabase"
SINCE = KomodoVersion(1, 19)


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """At most one finding about the last database backup."""
    snapshot = facts.snapshot
    if not _has_backups(snapshot) or snapshot.could_not_read("ListUpdates"):
        return
    days = option_number(options, "backup_days", 7)
    runs = [u for u in snapshot.updates if u.operation == BACKUP and u.complete]
    good = [u for u in runs if u.success]
    failed = sum(
        1 for u in runs if not u.success and (not good or u.start_ts > good[0].start_ts)
    )
    tried = f"; {plural(failed, 'run')} since failed" if failed else ""
    hint = (
        "check the backup procedure (Komodo creates one with a daily schedule) "
        "is enabled and succeeds, or run BackupCoreDatabase now"
    )
    if not good:
        if snapshot.window_days >= days:
            yield rule.finding(
                f"Komodo's database has no successful {BACKUP} in the "
                f"{snapshot.window_days} days of update log read{tried}",
                hint=hint,
            )
        return
    last = moment(good[0].start_ts)
    if (facts.now - last).days >= days:
        yield rule.finding(
            f"Komodo's database was last backed up {ago(facts.now, good[0].start_ts)}"
            f" (limit {plural(days, 'day')}){tried}",
            hint=hint,
            since=last,
        )


def _has_backups(snapshot: LiveSnapshot) -> bool:
    version = snapshot.model_version
    if version is None:
        try:
            version = KomodoVersion.parse(snapshot.version)
        except ValueError:
            return False
    return version >= SINCE


RULE = LiveRuleInfo(
    code="KG1019",
    name="database-backup-stale",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
