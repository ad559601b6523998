"""A managed ResourceSync whose ``resource_path`` Commit cannot write back.

With ``managed = true``, edits made in Komodo's UI are committed back to git
by CommitSync, which exports every resource the sync manages into **one**
file: the first ``resource_path`` entry, which must end in ``.toml`` or the
commit fails ("Resource path missing '.toml' extension"). With several
entries, or a folder, the first commit moves everything the other files
declared into the first file while they stay in git: the resources are then
declared twice (Komodo issues #336 and #978).

Failing::

    [resource_sync.config]
    managed = true
    resource_path = ["stacks", "servers.toml"]

Passing::

    [resource_sync.config]
    managed = true
    resource_path = ["komodo/resources.toml"]
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
from komodo_guard.rules.layout.paths import PathEntry, resource_paths
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per managed sync with more than one file to write into."""
    for sync in workspace.of_kind("resource_sync"):
        if sync.config.get("managed") is not True:
            continue
        entries = [e for e in resource_paths(sync) if e.path.strip()]
        problem = _problem(workspace, entries)
        if problem is None:
            continue
        yield rule.finding(
            f"{sync.label}: managed = true, but {problem}; CommitSync writes "
            "every resource into the first resource_path entry only",
            location=at_key(sync, "config", "managed"),
            resource=ref(sync),
            hint="give a managed sync a single .toml file in resource_path, "
            "or set managed = false",
        )


def _problem(workspace: Workspace, entries: list[PathEntry]) -> str | None:
    if not entries:
        return None
    problems = []
    if len(entries) > 1:
        problems.append(f"resource_path has {len(entries)} entries")
    first = entries[0].path.strip().removeprefix("./").strip("/")
    if not first.endswith(".toml"):
        kind = "a folder" if first in workspace.directories else "not a .toml file"
        problems.append(f"its first entry `{entries[0].path}` is {kind}")
    return " and ".join(problems) or None


RULE = RuleInfo(
    code="KG503",
    name="sync-managed-paths",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
