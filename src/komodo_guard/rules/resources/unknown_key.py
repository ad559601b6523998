"""A key Komodo does not know at that place, at any depth of a resource.

Komodo ignores unknown keys everywhere (there is no ``deny_unknown_fields`` in
its code base), so a typo, a key from another tool, or a key written at the
wrong level silently falls back to the default. Typical cases: ``auto_update``
written above ``[stack.config]``, ``file_paths`` written after a
``[stack.config.pre_deploy]`` header (the header swallows every key below it),
``compose_file`` instead of ``file_paths``. The finding suggests the key that
was probably meant. Keys that only exist in another Komodo release are
reported by KG105 instead; the inside of an execution's ``params`` by the
execution rules.

Failing::

    [[stack]]
    name = "app"
    auto_update = true
    [stack.config]
    compose_file = "compose.yaml"

Passing::

    [[stack]]
    name = "app"
    [stack.config]
    auto_update = true
    file_paths = ["compose.yaml"]
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
    """One finding per unknown key, with the key that was probably meant and,
    when it is safe (see :mod:`.edits`), the edit ``lint --fix`` applies."""
    for issue in of_problem(workspace, Problem.UNKNOWN_KEY):
        message, hint = _phrase(issue)
        yield rule.finding(
            message,
            location=issue.location,
            resource=issue.resource,
            hint=hint,
            edit=issue.edit,
        )


def _phrase(issue: Issue) -> tuple[str, str]:
    """The message and hint for one unknown key."""
    key, advice = issue.key, issue.advice
    if advice is None or not advice.key:
        return (
            f"unknown key `{key}` in {issue.place}; Komodo ignores it",
            "remove it, or check its spelling against the Komodo docs",
        )
    if advice.header_line:
        line = advice.header_line
        return (
            f"`{key}` belongs to {advice.place} but the {issue.place} header on "
            f"line {line} swallowed it; Komodo ignores it there",
            f"move `{key}` above line {line}",
        )
    if advice.key == key:
        note = advice.note or f"in {issue.place} Komodo ignores it"
        return (
            f"`{key}` belongs in {advice.place}; {note}",
            f"move `{key}` into {advice.place}",
        )
    where = f" in {advice.place}" if advice.place else ""
    return (
        f"unknown key `{key}` in {issue.place} (Komodo ignores it); did you mean "
        f"`{advice.key}`{where}?",
        f"rename `{key}` to `{advice.key}`"
        + (f" and move it into {advice.place}" if where else ""),
    )


RULE = RuleInfo(
    code="KG102",
    name="unknown-key",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
