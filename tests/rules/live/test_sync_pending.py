"""sync-pending: pending changes, how long, and what."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from komodo_guard.live.views import Sync
from komodo_guard.rules.interface import LiveFacts, Location, RuleOptions
from komodo_guard.rules.live.common import moment
from komodo_guard.rules.live.sync_pending import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import (
    alert,
    change,
    messages,
    ms,
    pending,
    run,
    snapshot,
    stack,
    sync,
    target,
    unread,
    update,
    workspace,
)

DAY = timedelta(days=1)


def homelab(**fields: Any) -> Sync:
    return sync(
        "homelab",
        "Pending",
        last_sync_hash="b71e0d3",
        pending=pending(
            pending_hash="4f2a9c1",
            resource_updates=(change("stack", "uptime-kuma"),),
            variable_updates=("TZ",),
        ),
        **fields,
    )


def test_pending_for_days_since_the_alert() -> None:
    snap = snapshot(
        syncs=[homelab()],
        stacks=[stack("uptime-kuma")],
        alerts=[
            alert(
                "ResourceSyncPendingUpdates",
                target("resource_sync", "homelab"),
                3 * DAY + timedelta(hours=4),
                level="OK",
            ),
        ],
    )
    (finding,) = run(RULE, snap)
    assert finding.message == (
        "resource_sync 'homelab' has had pending changes for 3 days 4 hours: "
        "1 resource change (update stack uptime-kuma), 1 variable (TZ); "
        "git commit 4f2a9c1 is not applied (Core last applied b71e0d3); "
        "what git declares is not applied yet"
    )
    assert finding.since == moment(ms(3 * DAY + timedelta(hours=4)))
    assert "#419" in finding.hint


def test_age_falls_back_to_last_successful_run() -> None:
    homelab_target = target("resource_sync", "homelab")
    snap = snapshot(
        syncs=[sync("homelab", "Pending")],
        updates=[
            update("RunSync", homelab_target, 4 * DAY),
            update("RunSync", homelab_target, 2 * DAY, success=False),
            update("RunSync", homelab_target, 9 * DAY),
        ],
    )
    (finding,) = run(RULE, snap)
    assert messages([finding]) == [
        "resource_sync 'homelab' has had pending changes for 4 days; "
        "what git declares is not applied yet"
    ]


def test_unknown_age_and_names_limited() -> None:
    changes = tuple(change("stack", f"s{n}", "Create") for n in range(4))
    snap = snapshot(
        syncs=[sync("apps", "Ok", pending=pending(resource_updates=changes))]
    )
    (finding,) = run(RULE, snap, options=RuleOptions(extra={"pending_names": 2}))
    assert finding.since is None
    assert finding.message == (
        "resource_sync 'apps' has had pending changes: 4 resource changes "
        f"(create stack {changes[0].target.id}, create stack "
        f"{changes[1].target.id} and 2 more); what git declares is not applied yet"
    )


def test_located_at_the_declaration(make_tree: TreeFactory) -> None:
    root: Path = make_tree(
        {"komodo/sync.toml": '[[resource_sync]]\nname = "homelab"\n'}
    )
    facts = LiveFacts(snapshot(syncs=[homelab()]), workspace(root))
    (finding,) = run(RULE, facts)
    assert finding.location == Location("komodo/sync.toml", 2, 1)


def test_passing_disabled_and_unread() -> None:
    assert run(RULE, snapshot(syncs=[sync("homelab", "Ok")])) == []
    assert run(RULE, snapshot(syncs=[homelab()]), disabled=[RULE.code]) == []
    assert run(RULE, snapshot(syncs=[homelab()]), disabled=["sync-pending"]) == []
    unreadable = snapshot(syncs=[homelab()], incomplete=unread("ListResourceSyncs"))
    assert run(RULE, unreadable) == []
