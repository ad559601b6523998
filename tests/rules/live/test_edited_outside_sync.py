"""edited-outside-sync: people changing git-declared configuration in Komodo."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.komodo.updates import RESOURCE_SYNC
from komodo_guard.rules.interface import LiveFacts, Location
from komodo_guard.rules.live.common import moment
from komodo_guard.rules.live.edited_outside_sync import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import (
    messages,
    ms,
    run,
    snapshot,
    stack,
    target,
    unread,
    update,
    workspace,
)

DAY = timedelta(days=1)
TREE: dict[str, str | bytes] = {
    "komodo/sync.toml": (
        '[[resource_sync]]\nname = "homelab"\n[resource_sync.config]\n'
        'resource_path = ["komodo/apps.toml"]\n'
    ),
    "komodo/apps.toml": '[[stack]]\nname = "mealie"\n',
}
MEALIE = target("stack", "mealie")
HOMELAB = target("resource_sync", "homelab")


def test_edits_after_the_last_sync(make_tree: TreeFactory) -> None:
    snap = snapshot(
        stacks=[stack("mealie")],
        updates=[
            update("UpdateStack", MEALIE, 9 * DAY, username="carol"),
            update("RunSync", HOMELAB, 8 * DAY, operator=RESOURCE_SYNC),
            update("UpdateStack", MEALIE, 5 * DAY, username="bob"),
            update("UpdateStack", MEALIE, 2 * DAY + timedelta(hours=3)),
            update("UpdateStack", MEALIE, DAY, operator=RESOURCE_SYNC),
            update("DeployStack", MEALIE, DAY),
            update("UpdateVariableValue", target("System", ""), DAY),
        ],
    )
    (finding,) = run(RULE, LiveFacts(snap, workspace(make_tree(TREE))))
    assert finding.message == (
        "stack 'mealie' was changed in Komodo outside the sync 2 times by alice, "
        "bob (last 2 days 3 hours ago: UpdateStack); the next sync run reverts "
        "this, or the tree is stale"
    )
    assert finding.location == Location("komodo/apps.toml", 2, 1)
    assert finding.since == moment(ms(5 * DAY))


def test_passing_disabled_and_unread(make_tree: TreeFactory) -> None:
    tree = workspace(make_tree(TREE))
    synced = snapshot(
        updates=[
            update("UpdateStack", MEALIE, 3 * DAY),
            update("RunSync", HOMELAB, 2 * DAY),
        ]
    )
    assert run(RULE, LiveFacts(synced, tree)) == []
    undeclared = snapshot(updates=[update("UpdateStack", target("stack", "x"), DAY)])
    assert run(RULE, LiveFacts(undeclared, tree)) == []
    edited = snapshot(updates=[update("UpdateStack", MEALIE, DAY)])
    assert len(run(RULE, LiveFacts(edited, tree))) == 1
    assert run(RULE, LiveFacts(edited, tree), disabled=[RULE.code]) == []
    assert run(RULE, edited) == []
    cut = snapshot(
        updates=[update("UpdateStack", MEALIE, DAY)], incomplete=unread("ListUpdates")
    )
    assert messages(run(RULE, LiveFacts(cut, tree))) == []
