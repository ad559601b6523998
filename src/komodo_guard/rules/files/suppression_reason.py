"""A suppression comment that gives no reason.

``# komodo-guard: ignore[KG102]`` with nothing after the brackets suppresses
nothing: every exception to a rule must say why, so the next person knows whether
it still holds. Write the reason after the brackets.

Failing::

    auto_updte = true  # komodo-guard: ignore[KG102]

Passing::

    x_team_note = "a"  # komodo-guard: ignore[KG102] read by our inventory script
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.suppress import suppressions
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per reasonless suppression comment."""
    for comment in suppressions(workspace):
        if not comment.reason:
            codes = ", ".join(sorted(comment.codes)) or "nothing"
            yield rule.finding(
                f"suppression of {codes} gives no reason, so it suppresses nothing",
                location=Location(comment.path, comment.line, 1),
                hint="write why after the brackets: "
                "# komodo-guard: ignore[KG102] read by our own tooling",
            )


RULE = RuleInfo(
    code="KG005",
    name="suppression-without-reason",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
