"""stack-files-unreadable: remote errors of stacks."""

from __future__ import annotations

from komodo_guard.rules.interface import LiveFacts, Location
from komodo_guard.rules.live.stack_files_unreadable import RULE
from tests.conftest import TreeFactory
from tests.rules.live.livekit import messages, run, snapshot, stack, unread, workspace


def test_remote_errors(make_tree: TreeFactory) -> None:
    broken = stack("paperless", remote_errors=("compose.yml", ".env", "compose.yml"))
    tree = workspace(make_tree({"stacks.toml": '\n[[stack]]\nname = "paperless"\n'}))
    (finding,) = run(RULE, LiveFacts(snapshot(stacks=[broken]), tree))
    assert finding.message == (
        "Komodo Core cannot read .env, compose.yml of stack 'paperless' from its "
        "repository; deploys of this stack fail until it can"
    )
    assert finding.location == Location("stacks.toml", 3, 1)


def test_passing_disabled_and_unread() -> None:
    broken = stack("paperless", remote_errors=("compose.yml",))
    assert run(RULE, snapshot(stacks=[stack("paperless")])) == []
    assert run(RULE, snapshot(stacks=[broken]), disabled=[RULE.code]) == []
    cut = snapshot(stacks=[broken], incomplete=unread("ListFullStacks"))
    assert messages(run(RULE, cut)) == []
