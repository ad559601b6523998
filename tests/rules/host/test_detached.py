from __future__ import annotations

import pytest

from komodo_guard.rules.host.detached import RULE
from tests.rules.host.hostkit import checkout, codes, host, run


@pytest.mark.parametrize(
    ("fields", "tail"),
    [
        ({"behind": 3}, ", pinned 3 commits behind origin/main"),
        (
            {"ahead": 1},
            ", a commit not on origin/main: it exists only on this host "
            "unless pushed elsewhere",
        ),
        ({}, ", the tip of origin/main"),
        ({"upstream": ""}, "; origin/HEAD names no branch to compare it with"),
    ],
)
def test_failing(fields: dict[str, object], tail: str) -> None:
    found = run(RULE, host([checkout(branch="", **fields)]))

    assert codes(found) == [("/etc/komodo/stacks/app", "KG1205", "warning")]
    assert found[0].message == f"HEAD is detached at 3f1c2a9b{tail}"


def test_passing_on_a_branch() -> None:
    assert run(RULE, host([checkout(behind=5)])) == []


def test_disabled() -> None:
    assert run(RULE, host([checkout(branch="")]), disabled=[RULE.code]) == []
