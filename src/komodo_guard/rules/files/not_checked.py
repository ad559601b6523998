"""Parts of the tree komodo-guard did not read.

A symbolic link that leads outside the tree is never followed (nothing outside the
tree is ever read), and a folder or file the current user cannot read is skipped.
Komodo, reading the same repository on Core, may see something else there, so
each such path is said once: what is behind it was not checked.

Failing: ``stacks/shared -> /srv/shared`` (a link leaving the tree), or a folder
with mode ``000``.

Passing: links that stay inside the tree, readable files.
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
    """One finding per outward link and per unreadable path."""
    for path in sorted(workspace.outside_links):
        yield rule.finding(
            "symbolic link leading outside the tree: not followed, so what is "
            "behind it was not checked",
            location=Location(path, 1, 1),
            hint="commit the files themselves if Komodo should read them from git",
        )
    for path in sorted(workspace.unreadable):
        yield rule.finding(
            "cannot be read by this user, so it was not checked",
            location=Location(path, 1, 1),
            hint="run komodo-guard as a user that can read the whole checkout",
            severity=Severity.WARNING,
        )


RULE = RuleInfo(
    code="KG006",
    name="not-checked",
    severity=Severity.INFO,
    failure_class=FailureClass.UNMANAGED,
    doc=__doc__ or "",
    checker=check,
)
