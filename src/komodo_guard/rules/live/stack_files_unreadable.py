"""Core cannot read some of a stack's files from its repository.

Before each deploy, and on every poll, Core reads the stack's compose files,
tracked env files and config files from git into its repo cache (FACTS §6.3).
A path it cannot read is a "remote error" (FACTS §10.2 L6): the path is
wrong, the file is not pushed, or it is absolute and so read from the Core
container's own filesystem. Deploys of such a stack fail, and
``DeployStackIfChanged`` cannot tell what changed.

Failing: stack ``paperless`` whose ``file_paths`` names ``compose.yml`` while
the repository holds ``compose.yaml``.

Passing: every tracked path exists in the repository at the stack's branch.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import about, listing, located


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per stack with remote errors."""
    snapshot = facts.snapshot
    if snapshot.names("stack") is None or snapshot.could_not_read("ListFullStacks"):
        return
    for stack in snapshot.stacks:
        if not stack.remote_errors:
            continue
        paths = sorted(set(stack.remote_errors))
        yield rule.finding(
            f"Komodo Core cannot read {listing(paths)} of stack {stack.name!r} "
            "from its repository; deploys of this stack fail until it can",
            resource=about("stack", stack.name),
            location=located(facts, "stack", stack.name),
            hint="check file_paths, run_directory, additional_env_files and "
            "config_files against the repository at the stack's branch, push "
            "the missing files, then refresh the stack",
        )


RULE = LiveRuleInfo(
    code="KG1007",
    name="stack-files-unreadable",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
