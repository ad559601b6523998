"""stack-behind-git: deployed files or commit differ from git."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.stack_behind_git import RULE
from tests.rules.live.livekit import run, snapshot, stack, target, unread, update

DAY = timedelta(days=1)


def test_changed_files_warn_with_failing_deploys() -> None:
    mealie = stack(
        "mealie",
        deployed_hash="b71e0d3",
        changed_files=("compose.yaml",),
    )
    deploys = [
        update("DeployStack", target("stack", "mealie"), 6 * DAY),
        update("DeployStack", target("stack", "mealie"), 4 * DAY, success=False),
    ]
    (finding,) = run(RULE, snapshot(stacks=[mealie], updates=deploys))
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "stack 'mealie' does not run what git holds: compose.yaml changed since "
        "the last deploy (deployed commit b71e0d3, git has 4f2a9c1); its deploys "
        "have failed for 4 days"
    )


def test_commit_only_is_info() -> None:
    (finding,) = run(RULE, snapshot(stacks=[stack("web", deployed_hash="b71e0d3")]))
    assert finding.severity is Severity.INFO
    assert finding.since is None
    assert finding.message == (
        "stack 'web' does not run what git holds: deployed commit b71e0d3, git "
        "has 4f2a9c1 (its own files may be unchanged)"
    )


def test_passing_disabled_and_unread() -> None:
    behind = stack("web", deployed_hash="b71e0d3")
    never = stack("new", deployed_hash="")
    assert run(RULE, snapshot(stacks=[stack("web"), never])) == []
    assert run(RULE, snapshot(stacks=[behind]), disabled=[RULE.code]) == []
    assert run(RULE, snapshot(stacks=[behind], incomplete=unread("ListStacks"))) == []
