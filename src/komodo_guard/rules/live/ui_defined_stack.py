"""A stack's compose file is written in Komodo's UI instead of git.

A stack with ``file_contents`` keeps its compose file in Core's database
(FACTS §10.2 L9). Git has no history of it, a review sees nothing, and
``DeployStackIfChanged`` (webhooks, ``BatchDeployStackIfChanged`` in
procedures) never redeploys it after an edit: with no remote contents Core
always decides "no changes" (FACTS §6.4, Komodo issue #944).

Failing: stack ``scratch`` created in the UI with its compose file pasted in.

Passing: the compose file lives in a repository (``repo`` or
``linked_repo``) or on the host (``files_on_host``).
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
from komodo_guard.rules.live.common import about, located


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per UI-defined stack."""
    if facts.snapshot.names("stack") is None:
        return
    for stack in facts.snapshot.stacks:
        if stack.file_contents:
            yield rule.finding(
                f"stack {stack.name!r} keeps its compose file in Komodo's "
                "database (file_contents): git has no history of it and "
                "DeployStackIfChanged never redeploys it after an edit",
                resource=about("stack", stack.name),
                location=located(facts, "stack", stack.name),
                hint="move the compose file into the repository and set the "
                "stack's repo (or linked_repo) and file_paths",
            )


RULE = LiveRuleInfo(
    code="KG1009",
    name="ui-defined-stack",
    severity=Severity.INFO,
    failure_class=FailureClass.UNMANAGED,
    doc=__doc__ or "",
    checker=check,
)
