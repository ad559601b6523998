"""unmanaged-in-core: Core holds what no file declares."""

from __future__ import annotations

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules.interface import LiveFacts, RuleOptions, Severity
from komodo_guard.rules.live.unmanaged_in_core import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import (
    messages,
    run,
    server,
    snapshot,
    stack,
    unread,
    workspace,
)

TREE: dict[str, str | bytes] = {"komodo/apps.toml": '[[stack]]\nname = "Traefik"\n'}


def core_state() -> LiveSnapshot:
    return snapshot(
        stacks=[stack("traefik"), stack("scratch")],
        servers=[server("hearth"), server("attic")],
    )


def test_unmanaged_stack_and_ui_managed_servers(make_tree: TreeFactory) -> None:
    found = run(RULE, LiveFacts(core_state(), workspace(make_tree(TREE))))
    assert [(f.resource, f.severity) for f in found] == [
        (None, Severity.INFO),
        (found[1].resource, Severity.WARNING),
    ]
    assert str(found[1].resource) == "stack 'scratch'"
    assert messages(found) == [
        "Komodo Core holds 2 servers (attic, hearth) and the tree declares no "
        "[[server]]: they are managed in Komodo's UI, outside GitOps",
        "stack 'scratch' exists in Komodo Core but no file of the tree declares "
        "it: it was created or renamed outside GitOps, and a sync with "
        "`delete = true` in whose scope it falls removes it on its next run",
    ]


def test_known_names_are_expected(make_tree: TreeFactory) -> None:
    options = RuleOptions(
        known_servers=frozenset({"hearth", "attic"}),
        known_names=frozenset({("stack", "scratch")}),
    )
    facts = LiveFacts(core_state(), workspace(make_tree(TREE)))
    assert run(RULE, facts, options=options) == []


def test_passing_unread_disabled_and_without_tree(make_tree: TreeFactory) -> None:
    tree = workspace(make_tree(TREE))
    assert run(RULE, LiveFacts(snapshot(stacks=[stack("traefik")]), tree)) == []
    unreadable = snapshot(stacks=[stack("scratch")], incomplete=unread("ListStacks"))
    assert run(RULE, LiveFacts(unreadable, tree)) == []
    assert run(RULE, LiveFacts(core_state(), tree), disabled=[RULE.code]) == []
    assert run(RULE, core_state()) == []
