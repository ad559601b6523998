"""sync-error: failed syncs, with errors scrubbed, and stuck Syncing."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.live.views import Sync
from komodo_guard.rules.interface import RuleOptions, Severity
from komodo_guard.rules.live.sync_error import RULE
from tests.rules.live.livekit import (
    messages,
    pending,
    run,
    snapshot,
    sync,
    target,
    unread,
    update,
)


def failed() -> Sync:
    return sync(
        "homelab",
        "Failed",
        pending=pending(
            pending_error="Failed to clone https://oauth2:ghp_T0KEN@git.example.net/o/r"
            "\nstack backtrace...",
            remote_error_paths=("komodo/apps.toml", "komodo/apps.toml"),
        ),
    )


def test_failed_sync_names_its_errors_without_credentials() -> None:
    (finding,) = run(RULE, snapshot(syncs=[failed()]))
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "resource_sync 'homelab' cannot compute its changes: error: Failed to "
        "clone https://***@git.example.net/o/r; could not read komodo/apps.toml; "
        "nothing it declares is applied until this is fixed"
    )
    assert "ghp_T0KEN" not in finding.message + finding.hint


def test_failed_state_without_details() -> None:
    assert messages(run(RULE, snapshot(syncs=[sync("infra", "Failed")]))) == [
        "resource_sync 'infra' cannot compute its changes: Core lists it as "
        "Failed; nothing it declares is applied until this is fixed"
    ]


def test_deploy_error_on_a_pending_sync() -> None:
    bad = sync("apps", "Pending", pending=pending(pending_deploy_error="cycle"))
    assert "deploy plan error: cycle" in run(RULE, snapshot(syncs=[bad]))[0].message


def stuck(minutes: int) -> LiveSnapshot:
    return snapshot(
        syncs=[sync("homelab", "Syncing")],
        updates=[
            update(
                "RunSync",
                target("resource_sync", "homelab"),
                timedelta(minutes=minutes),
                status="InProgress",
                success=False,
            )
        ],
    )


def test_stuck_syncing() -> None:
    (finding,) = run(RULE, stuck(125))
    assert finding.message.startswith(
        "resource_sync 'homelab' has been syncing for 2 hours 5 minutes; "
    )
    assert run(RULE, stuck(10)) == []
    assert (
        len(run(RULE, stuck(10), options=RuleOptions(extra={"sync_stuck_minutes": 5})))
        == 1
    )


def test_passing_disabled_and_unread() -> None:
    assert run(RULE, snapshot(syncs=[sync("homelab", "Pending")])) == []
    assert run(RULE, snapshot(syncs=[sync("homelab", "Syncing")])) == []
    assert run(RULE, snapshot(syncs=[failed()]), disabled=[RULE.code]) == []
    assert (
        run(RULE, snapshot(syncs=[failed()], incomplete=unread("ListResourceSyncs")))
        == []
    )
