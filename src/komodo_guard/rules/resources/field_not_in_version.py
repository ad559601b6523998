"""A key (or top-level table) that the target Komodo release does not have.

Keys come and go between releases: ``clone_path`` and ``linked_repo`` arrived
in 1.18.2, ``[[swarm]]`` in 2.0.0, ``pre_deploy.shell_mode`` in 2.2.0; the Aws
builder's ``docker_registries`` was renamed to ``image_registries`` in 2.3.0
without an alias. The target release ignores such keys without an error, so
the setting silently does nothing. Set the target with ``--komodo-version``
(or ``komodo_version`` in ``komodo-guard.toml``) to the release you run.

Failing (target 1.17.5)::

    [[stack]]
    name = "app"
    [stack.config]
    clone_path = "apps/app"

Passing (target 1.18.4 or later): the same file.
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
    """One finding per key or table that exists only in other releases."""
    target = workspace.model.version
    for issue in of_problem(workspace, Problem.NOT_IN_VERSION):
        assert issue.history is not None
        history = issue.history
        what = f"[[{issue.key}]]" if not issue.place.startswith("[") else issue.subject
        message = f"{what} {history.describe(target)}; Komodo {target} ignores it"
        if history.renamed_to:
            hint = f"rename it to `{history.renamed_to}`"
        elif history.since is not None:
            hint = f"upgrade Komodo to {history.since} or later, or remove it"
        else:
            hint = "remove it"
        yield rule.finding(
            message, location=issue.location, resource=issue.resource, hint=hint
        )


RULE = RuleInfo(
    code="KG105",
    name="field-not-in-version",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
