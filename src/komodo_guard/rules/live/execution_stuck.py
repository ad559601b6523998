"""An execution has been in progress far longer than any run should take.

An Update stays ``InProgress`` (or ``Queued``) while its work runs
(FACTS §3.4). Past a threshold the run hangs (a compose command waiting on
a registry, a procedure stage that never returns) or Core restarted in the
middle and the record will never finish; either way the resource's action
state may stay busy, and a sync cannot update a busy resource (§2.4). A
``RunSync`` of a sync Core lists as ``Syncing`` is left to ``sync-error``.

Failing: ``DeployStack`` of stack ``nextcloud`` in progress for 2 hours.

Passing: every update finished, or started less than the threshold ago.

Options (``options.extra``): ``stuck_minutes`` (default 30).
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.updates import Update
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import (
    label,
    lasting,
    located,
    moment,
    option_number,
)


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per update unfinished for longer than the threshold."""
    snapshot = facts.snapshot
    if snapshot.could_not_read("ListUpdates"):
        return
    limit = option_number(options, "stuck_minutes", 30) * 60
    for update in snapshot.updates:
        if update.complete or _left_to_sync_error(snapshot, update):
            continue
        since = moment(update.start_ts)
        if (facts.now - since).total_seconds() < limit:
            continue
        name, resource = label(snapshot, update.target)
        yield rule.finding(
            f"{name}: {update.operation} has been {update.status or 'running'}"
            f"{lasting(facts.now, since)}; it hangs, or Core restarted during it "
            "and the record will never finish",
            resource=resource,
            location=located(facts, resource.kind, resource.name) if resource else None,
            hint="open the Update in Komodo; if nothing is running any more, "
            "run the work again (a Core restart clears stale action states)",
            since=since,
        )


def _left_to_sync_error(snapshot: LiveSnapshot, update: Update) -> bool:
    return update.operation == "RunSync" and any(
        sync.id == update.target.id and sync.state == "Syncing"
        for sync in snapshot.syncs
    )


RULE = LiveRuleInfo(
    code="KG1011",
    name="execution-stuck",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
