"""Merge-conflict markers committed into a resource file.

``<<<<<<<``, ``=======`` and ``>>>>>>>`` lines left by an unfinished merge make the
file invalid TOML, so the sync reading it stops. This rule reports each marker line
instead of a confusing parse error.

Failing::

    <<<<<<< HEAD
    server = "a"
    =======
    server = "b"
    >>>>>>> feature

Passing::

    server = "b"
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
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per committed marker line."""
    for file in workspace.toml_files:
        for problem in file.problems:
            if problem.kind == "conflict":
                yield rule.finding(
                    problem.message,
                    location=Location(file.path, problem.line, problem.column),
                    hint="finish the merge (git mergetool) and commit the result",
                )


RULE = RuleInfo(
    code="KG002",
    name="merge-conflict",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
