"""A ResourceSync cannot read or diff its files, or has been syncing for too long.

Core lists a sync as ``Failed`` when it could not compute its changes: a
file that does not parse, a path that does not exist, a clone that failed
(``pending_error``, ``remote_errors``), or a deploy plan it could not build
(``pending_deploy_error``) (FACTS §2.6, §10.2 L2). Nothing declared in that
sync is applied until it is fixed, and running it fails. A sync whose state
stays ``Syncing`` while its ``RunSync`` has been in progress for a long time
is stuck: an ``after`` cycle among deploying resources loops forever
(FACTS §2.5, L20).

The error text is shown on its first line, with any URL credentials and
query strings removed.

Failing: sync ``homelab`` in state ``Failed`` with ``pending_error``
"Failed to read komodo/stacks.toml"; or state ``Syncing`` with a ``RunSync``
in progress for 2 hours.

Passing: state ``Ok`` or ``Pending``; a ``RunSync`` in progress for a minute.

Options (``options.extra``): ``sync_stuck_minutes`` (default 30).
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.live.views import Sync
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
    scrub,
)


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per failed sync, one per stuck sync."""
    snapshot = facts.snapshot
    if snapshot.names("resource_sync") is None:
        return
    minutes = option_number(options, "sync_stuck_minutes", 30)
    for sync in snapshot.syncs:
        problems = _problems(sync)
        if problems or sync.state == "Failed":
            yield rule.finding(
                f"resource_sync {sync.name!r} cannot compute its changes: "
                f"{'; '.join(problems) or 'Core lists it as Failed'}; "
                "nothing it declares is applied until this is fixed",
                resource=about("resource_sync", sync.name),
                location=located(facts, "resource_sync", sync.name),
                hint="open the sync in Komodo, fix the file or repository it names, "
                "push, then refresh the sync",
            )
        if sync.state == "Syncing":
            yield from _stuck(rule, facts, sync, minutes)


def _problems(sync: Sync) -> list[str]:
    pending = sync.pending
    if pending is None:
        return []
    found = []
    if pending.pending_error:
        found.append(f"error: {scrub(pending.pending_error)}")
    if pending.pending_deploy_error:
        found.append(f"deploy plan error: {scrub(pending.pending_deploy_error)}")
    if pending.remote_error_paths:
        found.append(
            f"could not read {listing(sorted(set(pending.remote_error_paths)))}"
        )
    return found


def _stuck(
    rule: LiveRuleInfo, facts: LiveFacts, sync: Sync, minutes: int
) -> Iterator[Finding]:
    started = _running_since(facts.snapshot, sync)
    if started is None:
        return
    since = moment(started)
    if (facts.now - since).total_seconds() < minutes * 60:
        return
    yield rule.finding(
        f"resource_sync {sync.name!r} has been syncing{lasting(facts.now, since)}; "
        "a run normally takes seconds, so it is probably stuck (an `after` "
        "cycle among deploying resources makes a sync loop forever)",
        resource=about("resource_sync", sync.name),
        location=located(facts, "resource_sync", sync.name),
        hint="check the RunSync update's log in Komodo and the `after` arrays of "
        "the resources it deploys; restarting Core ends the loop",
        since=since,
    )


def _running_since(snapshot: LiveSnapshot, sync: Sync) -> int | None:
    starts = [
        update.start_ts
        for update in snapshot.updates
        if update.operation == "RunSync"
        and update.target.id == sync.id
        and not update.complete
    ]
    return min(starts) if starts else None


RULE = LiveRuleInfo(
    code="KG1002",
    name="sync-error",
    severity=Severity.ERROR,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
