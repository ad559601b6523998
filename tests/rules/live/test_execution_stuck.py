"""execution-stuck: updates in progress for too long."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.rules.interface import RuleOptions
from komodo_guard.rules.live.execution_stuck import RULE
from tests.rules.live.livekit import (
    messages,
    run,
    snapshot,
    sync,
    target,
    unread,
    update,
)


def running(
    minutes: int, operation: str = "DeployStack", kind: str = "stack"
) -> object:
    return update(
        operation,
        target(kind, "nextcloud" if kind == "stack" else "homelab"),
        timedelta(minutes=minutes),
        status="InProgress",
        success=False,
    )


def test_stuck_update() -> None:
    assert messages(run(RULE, snapshot(updates=[running(130)]))) == [
        "stack 'nextcloud': DeployStack has been InProgress for 2 hours 10 "
        "minutes; it hangs, or Core restarted during it and the record will "
        "never finish"
    ]


def test_threshold_option() -> None:
    snap = snapshot(updates=[running(20)])
    assert run(RULE, snap) == []
    assert len(run(RULE, snap, options=RuleOptions(extra={"stuck_minutes": 15}))) == 1


def test_syncing_sync_is_left_to_sync_error() -> None:
    stuck_sync = running(90, "RunSync", "resource_sync")
    assert (
        run(RULE, snapshot(updates=[stuck_sync], syncs=[sync("homelab", "Syncing")]))
        == []
    )
    assert len(run(RULE, snapshot(updates=[stuck_sync], syncs=[sync("homelab")]))) == 1


def test_disabled_and_unread() -> None:
    assert run(RULE, snapshot(updates=[running(130)]), disabled=[RULE.code]) == []
    cut = snapshot(updates=[running(130)], incomplete=unread("ListUpdates"))
    assert run(RULE, cut) == []
