from __future__ import annotations

from komodo_guard.rules.host.diverged import RULE
from tests.rules.host.hostkit import checkout, codes, host, run


def test_failing_with_conflicts_is_an_error() -> None:
    state = host([checkout(ahead=1, behind=2, rebase_conflicts=("compose.yaml",))])

    found = run(RULE, state)

    assert codes(found) == [("/etc/komodo/stacks/app", "KG1204", "error")]
    assert found[0].message == (
        "1 local commit not on origin/main, which origin/main (2 commits ahead) "
        "conflicts with: the next pull's rebase stops in `compose.yaml`"
    )
    assert "git reset --hard origin/main" in found[0].hint


def test_failing_without_conflicts_is_a_warning() -> None:
    found = run(RULE, host([checkout(ahead=2, behind=1), checkout("b", ahead=1)]))

    assert codes(found) == [
        ("/etc/komodo/stacks/app", "KG1204", "warning"),
        ("/etc/komodo/stacks/b", "KG1204", "warning"),
    ]
    assert found[1].message == (
        "1 local commit not on origin/main: the stack runs code that is in no "
        "repository"
    )


def test_passing_behind_or_detached() -> None:
    state = host([checkout(behind=4), checkout("d", branch="", ahead=1)])

    assert run(RULE, state) == []


def test_disabled() -> None:
    assert run(RULE, host([checkout(ahead=1)]), disabled=[RULE.code]) == []
