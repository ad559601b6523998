"""declared-not-in-core: the tree declares what Core does not hold."""

from __future__ import annotations

from komodo_guard.rules.interface import LiveFacts, Location, Severity
from komodo_guard.rules.live.declared_not_in_core import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import (
    messages,
    run,
    snapshot,
    stack,
    sync,
    unread,
    workspace,
)

TREE: dict[str, str | bytes] = {
    "komodo/sync.toml": (
        '[[resource_sync]]\nname = "homelab"\n[resource_sync.config]\n'
        'repo = "example-org/homelab"\nresource_path = ["komodo/apps.toml"]\n'
    ),
    "komodo/apps.toml": (
        '[[stack]]\nname = "Paperless"\n\n[[stack]]\nname = "traefik"\n\n'
        '[[procedure]]\nname = "nightly"\n'
    ),
}


def test_missing_with_the_sync_never_run(make_tree: TreeFactory) -> None:
    facts = LiveFacts(
        snapshot(
            stacks=[stack("traefik")],
            syncs=[sync("homelab", "Pending")],
        ),
        workspace(make_tree(TREE)),
    )
    found = run(RULE, facts)
    assert [(f.location, f.severity) for f in found] == [
        (Location("komodo/apps.toml", 8, 1), Severity.WARNING),
        (Location("komodo/apps.toml", 2, 1), Severity.ERROR),
    ]
    assert found[1].message == (
        "stack 'paperless' is declared here but does not exist in Komodo Core; "
        "the sync 'homelab' that reads this file has pending changes: the sync "
        "was never run since this was added"
    )


def test_missing_sync_too(make_tree: TreeFactory) -> None:
    facts = LiveFacts(
        snapshot(stacks=[stack("paperless"), stack("traefik")]),
        workspace(make_tree(TREE)),
    )
    assert messages(run(RULE, facts)) == [
        "procedure 'nightly' is declared here but does not exist in Komodo Core; "
        "the sync 'homelab' that reads this file is not in Core either",
    ]  # the sync's own file is not read by it: file-not-synced's business


def test_unsynced_files_and_unread_kinds_are_not_judged(make_tree: TreeFactory) -> None:
    tree = TREE | {"old/stacks.toml": '[[stack]]\nname = "legacy"\n'}
    facts = LiveFacts(
        snapshot(
            stacks=[stack("paperless"), stack("traefik")],
            syncs=[sync("homelab")],
            incomplete=unread("ListProcedures"),
        ),
        workspace(make_tree(tree)),
    )
    assert run(RULE, facts) == []


def test_passing_disabled_and_without_tree(make_tree: TreeFactory) -> None:
    snap = snapshot(stacks=[stack("traefik")], syncs=[sync("homelab")])
    assert run(RULE, snap) == []
    facts = LiveFacts(snap, workspace(make_tree(TREE)))
    assert run(RULE, facts, disabled=[RULE.code]) == []
