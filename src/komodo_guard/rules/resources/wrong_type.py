"""A value of a TOML type Komodo refuses, or a field given twice.

Komodo deserializes each resource file in one piece, so one value of the
wrong type (a table where a string is expected, ``[[stack.config.pre_deploy]]``
making ``pre_deploy`` an array of tables instead of one table, a number where
``true``/``false`` is expected) makes the whole file fail to parse, and the
sync then refuses to run at all. The same happens when one table gives a
field under two of its spellings (``server`` and ``server_id``): serde reports
a duplicate field.

Every form Komodo accepts passes: a list field given as one comma- or
newline-separated string, an environment given as an array of
``{variable, value}`` tables, ``config_files`` entries as strings, an integer
where a float is expected, ``version = "1.2.3"``, a single ``image_registry``
table, a user group permission given as a bare level string.

Failing::

    [[stack]]
    name = "app"
    [stack.config]
    auto_pull = "yes"
    [[stack.config.pre_deploy]]
    command = "./prepare.sh"

Passing::

    [[stack]]
    name = "app"
    [stack.config]
    auto_pull = true
    [stack.config.pre_deploy]
    command = "./prepare.sh"
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
    """One finding per refused value and per field given twice."""
    for issue in of_problem(workspace, Problem.WRONG_TYPE, Problem.DUPLICATE_KEY):
        if issue.problem is Problem.DUPLICATE_KEY:
            message, hint = _duplicate(issue)
        else:
            message, hint = _wrong_type(issue)
        yield rule.finding(
            message, location=issue.location, resource=issue.resource, hint=hint
        )


def _consequence(issue: Issue) -> str:
    what = f"{issue.kind} {issue.name!r}" if issue.kind and issue.name else "it"
    return f"Komodo fails to deserialize {what}, so the whole file is rejected"


def _wrong_type(issue: Issue) -> tuple[str, str]:
    message = (
        f"{issue.subject} is {issue.got}, but Komodo expects {issue.expected}; "
        f"{_consequence(issue)}"
    )
    if issue.got == "an array of tables" and issue.expected.startswith("a table"):
        header = issue.place.strip("[]") + f".{issue.key}"
        return message, f"write the header with single brackets: [{header}]"
    return message, f"write {issue.expected}"


def _duplicate(issue: Issue) -> tuple[str, str]:
    keep = issue.advice.key if issue.advice else ""
    message = (
        f"{issue.place} sets both {issue.expected}, two spellings of one field "
        f"(serde: duplicate field `{issue.key}`); "
        f"{_consequence(issue)}"
    )
    return message, f"keep `{keep}` and remove `{issue.key}`"


RULE = RuleInfo(
    code="KG103",
    name="wrong-type",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
