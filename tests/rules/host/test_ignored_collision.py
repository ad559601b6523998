from __future__ import annotations

from komodo_guard.rules.host.ignored_collision import RULE
from tests.rules.host.hostkit import checkout, codes, host, run


def test_failing() -> None:
    state = host([checkout(behind=1, ignored_collisions=("build.log", "data/db.json"))])

    found = run(RULE, state)

    assert codes(found) == [("/etc/komodo/stacks/app", "KG1202", "warning")]
    assert found[0].message == (
        "the next pull of origin/main overwrites 2 ignored files present in the "
        "checkout: `build.log`, `data/db.json`"
    )


def test_passing() -> None:
    assert run(RULE, host([checkout(untracked_collisions=("x",))])) == []


def test_disabled() -> None:
    state = host([checkout(ignored_collisions=("a",))])

    assert run(RULE, state, disabled=[RULE.code]) == []
