from __future__ import annotations

from komodo_guard.rules.host.pull_cannot_run import RULE
from tests.rules.host.hostkit import checkout, codes, host, run


def test_failing_unfinished_rebase() -> None:
    found = run(RULE, host([checkout(in_progress="rebase")]))

    assert codes(found) == [("/etc/komodo/stacks/app", "KG1208", "error")]
    assert found[0].hint.startswith("run `git rebase --abort`")


def test_failing_missing_branch() -> None:
    state = host([checkout(branch="feature", upstream="", upstream_missing=True)])

    found = run(RULE, state)

    assert found[0].message == (
        "branch `feature` is checked out but origin has no such branch (after a "
        "fetch): the next pull fails"
    )


def test_passing() -> None:
    assert run(RULE, host([checkout(behind=1)])) == []


def test_disabled() -> None:
    assert run(RULE, host([checkout(in_progress="merge")]), disabled=[RULE.code]) == []
