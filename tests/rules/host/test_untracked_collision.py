from __future__ import annotations

from komodo_guard.rules.host.untracked_collision import RULE
from komodo_guard.rules.interface import ResourceRef
from tests.rules.host.hostkit import checkout, codes, host, run
from tests.rules.live.livekit import snapshot, stack


def test_failing_lists_every_path() -> None:
    state = host([checkout(behind=2, untracked_collisions=(".env", "conf"))])

    found = run(RULE, state)

    assert codes(found) == [("/etc/komodo/stacks/app", "KG1201", "error")]
    assert found[0].message == (
        "the next pull of origin/main fails: it adds 2 paths that already exist "
        "untracked in the checkout: `.env`, `conf`"
    )
    assert found[0].resource == ResourceRef("stack", "app")
    assert "reclone = true" in found[0].hint


def test_passing_without_collisions() -> None:
    assert run(RULE, host([checkout(behind=3, ignored_collisions=("x.log",))])) == []


def test_disabled() -> None:
    state = host([checkout(untracked_collisions=("a",))])

    assert run(RULE, state, disabled=[RULE.code]) == []


def test_no_resource_when_core_has_no_such_stack() -> None:
    state = host([checkout("gone", untracked_collisions=("a",))])

    found = run(RULE, state, snapshot=snapshot(stacks=[stack("app")]))

    assert found[0].resource is None
