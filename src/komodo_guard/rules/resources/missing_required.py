"""A key Komodo requires is missing, so the file fails to deserialize.

Required keys: the ``name`` of every resource, variable and user group; the
``name`` of each procedure stage and the ``execution`` of each of its
executions; ``name`` and ``duration_minutes`` of a maintenance window;
``path`` of each ``additional_env_files`` / ``config_files`` table; both
keys of a tagged table (``{type, params}`` of an alerter endpoint, deployment
image, builder config or execution; ``{type, id}`` of an alerter resource or
a user group permission target). Komodo stops reading the file with
"missing field `id`" and the sync refuses to run; issue 1581 shows a Commit
Sync writing ``resources = [{ type = "Stack" }]``, which then cannot be read
back.

Failing::

    [[alerter]]
    name = "ops"
    [alerter.config]
    resources = [{ type = "Stack" }]

Passing::

    [[alerter]]
    name = "ops"
    [alerter.config]
    resources = [{ type = "Stack", id = "66f0c0ffee0000000000abcd" }]
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
from komodo_guard.rules.resources.schema import Problem, of_problem
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per missing required key."""
    for issue in of_problem(workspace, Problem.MISSING_KEY):
        message = (
            f"{issue.place} has no `{issue.key}`, which Komodo requires; it fails "
            f'with "missing field `{issue.key}`" and rejects the whole file'
        )
        yield rule.finding(
            message,
            location=issue.location,
            resource=issue.resource,
            hint=f"add `{issue.key}` to {issue.place}",
        )


RULE = RuleInfo(
    code="KG106",
    name="missing-required",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
