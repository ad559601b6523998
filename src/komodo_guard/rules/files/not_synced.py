"""A resource file that no ResourceSync of the tree reads.

When the tree declares ``[[resource_sync]]`` entries, only the files under their
``resource_path`` reach Komodo. A file holding Komodo tables outside every path is
never applied: the resources it declares are not created, and edits to it do
nothing. This is often an old layout left behind, or a path typo in the sync.

Each such file is reported once, at its first line.

Failing: a sync with ``resource_path = ["komodo/stacks.toml"]`` and a
``services/app/stack.toml`` holding ``[[stack]]``.

Passing: add the file (or its folder) to the sync's ``resource_path``, or delete it.
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
    """One finding per file under no sync."""
    names = ", ".join(sorted(repr(scope.name) for scope in workspace.scopes))
    for path in workspace.unsynced:
        yield rule.finding(
            f"no resource_sync reads this file (syncs here: {names}); "
            "what it declares never reaches Komodo",
            location=Location(path, 1, 1),
            hint="add it to a sync's resource_path, or delete it if it is left over",
        )


RULE = RuleInfo(
    code="KG004",
    name="file-not-synced",
    severity=Severity.INFO,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
