from __future__ import annotations

from komodo_guard.rules.host.local_edits import RULE
from tests.rules.host.hostkit import checkout, codes, host, run


def test_failing() -> None:
    found = run(RULE, host([checkout(modified=("compose.yaml",))]))

    assert codes(found) == [("/etc/komodo/stacks/app", "KG1203", "warning")]
    assert found[0].message == (
        "1 tracked file changed on the host, which Komodo's next pull "
        "(`git checkout -f`) discards: `compose.yaml`"
    )


def test_passing() -> None:
    assert run(RULE, host([checkout()])) == []


def test_disabled() -> None:
    assert run(RULE, host([checkout(modified=("a",))]), disabled=[RULE.code]) == []
