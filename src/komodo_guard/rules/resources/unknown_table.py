"""A top-level table or key that is not a Komodo resource type.

Komodo reads only its own top-level arrays (``[[server]]``, ``[[stack]]``,
``[[deployment]]``, ``[[build]]``, ``[[repo]]``, ``[[procedure]]``,
``[[action]]``, ``[[alerter]]``, ``[[builder]]``, ``[[resource_sync]]``,
``[[user_group]]``, ``[[variable]]``, ``[[swarm]]`` from 2.0, each also in its
plural spelling) and drops everything else without an error. A misspelt
table, or a table copied from Core's config file such as
``[[git_provider]]``, silently declares nothing, and whatever names it later
fails in a confusing way.

Failing::

    [[git_provider]]
    name = "github"

    [[stacks_]]
    name = "app"

Passing::

    [[stack]]
    name = "app"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.resources.schema import Issue, Problem, of_problem
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per unknown top-level table, array or key."""
    for issue in of_problem(workspace, Problem.UNKNOWN_TABLE):
        written = _written(issue)
        message = (
            f"{written} is not a Komodo resource type; Komodo drops it without an error"
        )
        hint = "remove it, or rename it to a Komodo table such as [[stack]]"
        if issue.advice and issue.advice.note:
            hint = issue.advice.note
        elif issue.advice and issue.advice.key:
            message += f"; did you mean [[{issue.advice.key}]]?"
            hint = f"rename it to [[{issue.advice.key}]]"
        yield rule.finding(message, location=issue.location, hint=hint)


def _written(issue: Issue) -> str:
    """The table as the file writes it: ``[[x]]``, ``[x]`` or key ``x``."""
    match issue.got:
        case "an array of tables":
            return f"top-level array of tables [[{issue.key}]]"
        case "a table":
            return f"top-level table [{issue.key}]"
    return f"top-level key `{issue.key}`"


RULE = RuleInfo(
    code="KG101",
    name="unknown-table",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
