"""execution-failed: the latest run of some work failed."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.history.build import history_of
from komodo_guard.history.model import History
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules.interface import LiveFacts, Location
from komodo_guard.rules.live.common import moment
from komodo_guard.rules.live.execution_failed import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import (
    failed_log,
    messages,
    ms,
    run,
    snapshot,
    target,
    unread,
    update,
    workspace,
)

DAY = timedelta(days=1)
MEALIE = target("stack", "mealie")


def outage() -> LiveSnapshot:
    return snapshot(
        updates=[
            update("DeployStack", MEALIE, 6 * DAY),
            update("DeployStack", MEALIE, 5 * DAY, success=False),
            update("DeployStack", MEALIE, 3 * DAY, success=False),
            update(
                "DeployStackIfChanged",
                MEALIE,
                DAY,
                success=False,
                logs=[failed_log("Git Pull", "error: untracked working tree files")],
            ),
        ]
    )


def test_failing_streak(make_tree: TreeFactory) -> None:
    tree = workspace(make_tree({"apps.toml": '[[stack]]\nname = "mealie"\n'}))
    (finding,) = run(RULE, LiveFacts(outage(), tree))
    assert finding.message == (
        "stack 'mealie': DeployStack has failed 3 times in a row for 5 days "
        "(last 1 day ago, at stage `Git Pull`)"
    )
    assert finding.since == moment(ms(5 * DAY))
    assert finding.location == Location("apps.toml", 2, 1)
    assert "untracked" not in finding.message


def test_single_failure_without_success_and_system_target() -> None:
    snap = snapshot(
        updates=[
            update(
                "Deploy", target("deployment", "mongo-backup"), 2 * DAY, success=False
            ),
            update("BackupCoreDatabase", target("System", ""), DAY, success=False),
        ]
    )
    assert messages(run(RULE, snap)) == [
        "Komodo Core: its latest BackupCoreDatabase failed 1 day ago; no successful "
        "BackupCoreDatabase in the update log read",
        "deployment 'mongo-backup': its latest Deploy failed 2 days ago; no "
        "successful Deploy in the update log read",
    ]


def test_left_alone() -> None:
    snap = snapshot(
        updates=[
            update("DeployStack", MEALIE, 2 * DAY, success=False),
            update("DeployStack", MEALIE, DAY),
            update("RunProcedure", target("procedure", "p"), DAY, success=False),
            update("UpdateStack", MEALIE, DAY, success=False),
            update(
                "DeployStack",
                target("stack", "x"),
                DAY,
                success=False,
                status="InProgress",
            ),
        ]
    )
    assert run(RULE, snap) == []


def test_disabled_and_unread() -> None:
    assert run(RULE, outage(), disabled=[RULE.code]) == []
    cut = snapshot(updates=outage().updates, incomplete=unread("ListUpdates"))
    assert run(RULE, cut) == []


def read_history(snap: LiveSnapshot) -> History:
    """The history the CLI builds from the same snapshot."""
    return history_of(snap.updates, since=ms(30 * DAY), until=ms(timedelta()))


def test_an_open_outage_of_the_history_is_left_to_outage_open(
    make_tree: TreeFactory,
) -> None:
    tree = workspace(make_tree({"apps.toml": '[[stack]]\nname = "mealie"\n'}))
    snap = snapshot(
        updates=[
            *outage().updates,
            update(
                "Deploy", target("deployment", "mongo-backup"), 2 * DAY, success=False
            ),
        ]
    )
    told = read_history(snap)
    assert {o.target.name for o in told.outages if o.open} == {"mealie", "mongo-backup"}
    assert run(RULE, LiveFacts(snap, tree, told)) == []
    # Without the history, or with a history that holds no such outage,
    # the failures are reported as before.
    assert len(run(RULE, LiveFacts(snap, tree))) == 2
    empty = history_of((), since=ms(30 * DAY), until=ms(timedelta()))
    assert len(run(RULE, LiveFacts(snap, tree, empty))) == 2


def test_a_failure_the_history_does_not_hold_open_is_still_reported() -> None:
    # PullStack succeeded after the deploy failed: the history counts the
    # stack's deploy work as recovered, but DeployStack itself still fails.
    snap = snapshot(
        updates=[
            update("DeployStack", MEALIE, 2 * DAY, success=False),
            update("PullStack", MEALIE, DAY),
        ]
    )
    told = read_history(snap)
    assert not any(outage.open for outage in told.outages)
    (finding,) = run(RULE, LiveFacts(snap, history=told))
    assert finding.message.startswith("stack 'mealie': its latest DeployStack failed")
