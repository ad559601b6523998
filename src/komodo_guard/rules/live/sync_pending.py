"""A ResourceSync has pending changes that nobody applied, and for how long.

A sync computes what it would change (FACTS §2.6) but applies nothing until
someone runs it, or a webhook with ``webhook_enabled`` runs it on push. Until
then what git declares is not what Core runs: a stack edit merged days ago
is still not deployed, and the ``ResourceSyncPendingUpdates`` alert (level
OK) is easy to ignore. When Core's pending commit differs from the commit
it last applied, the finding names both (FACTS §10.2 L3: the hash alone is
no proof, since a run without changes does not move ``last_sync_hash``).

How long: since the sync's unresolved ``ResourceSyncPendingUpdates`` alert
was raised; without one, since the last successful ``RunSync`` in the
update log (the changes appeared after it); otherwise unknown. Pending
changes that never clear after a run are a known Komodo problem (issue #419):
refresh the sync (``RefreshResourceSyncPending``) before assuming drift.

Failing: sync ``homelab`` in state ``Pending`` with an update of stack
``uptime-kuma``, its pending alert raised 3 days ago.

Passing: the sync was run (state ``Ok``, nothing pending).

Options (``options.extra``): ``pending_names`` (default 5), how many pending
resource names a finding lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.live.views import Sync, SyncPending
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import (
    about,
    lasting,
    listing,
    located,
    moment,
    option_number,
    plural,
    target_name,
    toml_kind,
)

PENDING_ALERT = "ResourceSyncPendingUpdates"


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per sync with pending changes."""
    snapshot = facts.snapshot
    if snapshot.names("resource_sync") is None:
        return
    limit = option_number(options, "pending_names", 5)
    for sync in snapshot.syncs:
        pending = sync.pending
        if sync.state != "Pending" and not (pending and _has_changes(pending)):
            continue
        since = _since(snapshot, sync)
        yield rule.finding(
            f"resource_sync {sync.name!r} has had pending changes"
            f"{lasting(facts.now, since)}{_what(snapshot, sync, limit)}"
            f"{_commits(sync)}; what git declares is not applied yet",
            resource=about("resource_sync", sync.name),
            location=located(facts, "resource_sync", sync.name),
            hint="review the pending changes in Komodo and run the sync (RunSync), "
            "or enable its webhook so pushes apply themselves; if the same changes "
            "stay pending after a run, refresh it first (Komodo issue #419)",
            since=since,
        )


def _has_changes(pending: SyncPending) -> bool:
    return bool(
        pending.resource_updates
        or pending.variable_updates
        or pending.user_group_updates
        or pending.pending_deploys
    )


def _since(snapshot: LiveSnapshot, sync: Sync) -> datetime | None:
    raised = [
        alert.ts
        for alert in snapshot.open_alerts
        if alert.kind == PENDING_ALERT and alert.target.id == sync.id
    ]
    if raised:
        return moment(min(raised))
    runs = [
        update.start_ts
        for update in snapshot.updates
        if update.operation == "RunSync"
        and update.target.id == sync.id
        and update.complete
        and update.success
    ]
    return moment(max(runs)) if runs else None


def _what(snapshot: LiveSnapshot, sync: Sync, limit: int) -> str:
    pending = sync.pending
    if pending is None or not _has_changes(pending):
        return ""
    parts = []
    if pending.resource_updates:
        names = [
            f"{change.operation.lower() or 'change'} {toml_kind(change.target)} "
            f"{change.name or target_name(snapshot, change.target)}"
            for change in pending.resource_updates
        ]
        parts.append(
            f"{plural(len(names), 'resource change')} ({listing(names, limit)})"
        )
    if pending.variable_updates:
        names = list(pending.variable_updates)
        parts.append(f"{plural(len(names), 'variable')} ({listing(names, limit)})")
    if pending.user_group_updates:
        parts.append(plural(pending.user_group_updates, "user group"))
    if pending.pending_deploys:
        parts.append(plural(pending.pending_deploys, "deploy"))
    return ": " + ", ".join(parts)


def _commits(sync: Sync) -> str:
    pending = sync.pending
    if pending is None or not pending.pending_hash or not sync.last_sync_hash:
        return ""
    if pending.pending_hash == sync.last_sync_hash:
        return ""
    return (
        f"; git commit {pending.pending_hash} is not applied "
        f"(Core last applied {sync.last_sync_hash})"
    )


RULE = LiveRuleInfo(
    code="KG1001",
    name="sync-pending",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
