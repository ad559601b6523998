"""A resource file that declares nothing.

An empty (or comment-only) ``.toml`` file under a sync is harmless to Komodo but
almost always a mistake: a file emptied by a bad merge, or resources moved
elsewhere while the sync still points here. With ``delete = true`` or
``managed = true`` on the sync, emptying a file deletes everything it declared.

Failing: a ``stacks.toml`` holding only comments.

Passing: a file with at least one ``[[stack]]`` (or other resource) table.
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
    """One finding per empty resource file."""
    for file in workspace.toml_files:
        if any(problem.kind == "empty" for problem in file.problems):
            yield rule.finding(
                "empty file: it declares no Komodo resources",
                location=Location(file.path, 1, 1),
                hint="delete the file or declare its resources; with delete or "
                "managed syncs an emptied file deletes what it used to declare",
            )


RULE = RuleInfo(
    code="KG003",
    name="empty-file",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
