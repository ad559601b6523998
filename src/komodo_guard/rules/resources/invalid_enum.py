"""An enum value Komodo does not accept, listing the values it does.

Enum values are case-sensitive in Komodo (``schedule_format = "cron"`` fails;
it must be ``Cron``); only the serde aliases Komodo declares are accepted as
other spellings (``requires = "restart"`` and ``"redeploy"`` are fine). The
``type`` of a tagged table must be one of its variants: a builder config
(``Url``, ``Server``, ``Aws``), an alerter endpoint, a deployment image, the
``{type, id}`` targets of alerter resources and user group permissions, and
the resource types that key a user group's ``all`` table. An unknown value
makes the file fail to deserialize, so the sync refuses to run.

Failing::

    [[stack]]
    name = "app"
    [stack.config]
    config_files = [{ path = "Caddyfile", requires = "Reload" }]

Passing::

    [[stack]]
    name = "app"
    [stack.config]
    config_files = [{ path = "Caddyfile", requires = "Restart" }]
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

_SHOWN = 60


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per refused enum value."""
    target = workspace.model.version
    for issue in of_problem(workspace, Problem.INVALID_ENUM):
        message = _what(issue)
        if issue.history is not None:
            message += f" (it {issue.history.describe(target)})"
        message += f"; expected {issue.expected}"
        hint = "use one of the accepted values exactly as written (case matters)"
        if issue.advice and issue.advice.key:
            message += f"; did you mean `{issue.advice.key}`?"
            hint = f"write `{issue.advice.key}`"
        message += (
            " Komodo fails to deserialize the file, so the whole file is rejected"
        )
        yield rule.finding(
            message, location=issue.location, resource=issue.resource, hint=hint
        )


def _value(issue: Issue) -> str:
    text = issue.got
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _what(issue: Issue) -> str:
    if issue.path and issue.path[-1] == issue.got:
        return f"`{_value(issue)}` is not a key Komodo accepts in {issue.place}"
    return f'{issue.subject} is "{_value(issue)}", which Komodo does not accept'


RULE = RuleInfo(
    code="KG104",
    name="invalid-enum",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
