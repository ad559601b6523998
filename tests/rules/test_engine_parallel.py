"""Rules run in two processes give exactly what one process gives."""

from collections.abc import Iterator

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.registry import ALL_RULES
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.model import Workspace
from tests.conftest import TreeFactory

TREE = {
    "s.toml": '[[stack]]\nname = "a"\n[stack.config]\npolll = 1\nserver = "x"\n'
    '[[stack]]\nname = "a"\n[[alerter]]\nname = "n"\n',
    "e.toml": "# empty\n",
}


def test_two_processes_find_exactly_what_one_finds(make_tree: TreeFactory) -> None:
    workspace = collect(make_tree(TREE), load())
    one = run_rules(workspace, ALL_RULES, RuleOptions())
    two = run_rules(workspace, ALL_RULES, RuleOptions(), processes=2)
    assert two == one
    assert len({f.code for f in one}) > 3


def _exit_in_child(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    raise SystemExit(3)


def test_a_failing_child_has_its_rules_run_here(make_tree: TreeFactory) -> None:
    workspace = collect(make_tree(TREE), load())
    boom = RuleInfo(
        "KG998",
        "exits",
        Severity.ERROR,
        FailureClass.INVALID_CONFIG,
        "Exits.",
        _exit_in_child,
    )
    empty = next(rule for rule in ALL_RULES if rule.code == "KG003")
    # The child gets the second rule; SystemExit kills it, so the parent redoes
    # that rule, where SystemExit then propagates as it would without forking.
    with pytest.raises(SystemExit) as stopped:
        run_rules(workspace, [empty, boom], RuleOptions(), processes=2)
    assert stopped.value.code == 3
