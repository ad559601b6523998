"""A ``resource_path`` entry that gives a sync reading this tree nothing to read.

Komodo joins each ``resource_path`` entry to the sync's checkout. A path that
does not exist makes the sync fail with a remote error ("Initialize the file
to proceed") and apply nothing; a self-managing sync whose file was moved in
the same push can lock up with "ResourceSync busy" (Komodo issue #676). An
entry naming a file whose extension is not exactly ``.toml`` is skipped
silently: the sync reads nothing from it.

Only syncs that read this tree are checked (their ``repo``, or their
``linked_repo``'s, is this tree, or their paths are found here); files-on-host
syncs read Core's own folder and are not checked.

Failing (``main.toml`` was moved to ``resources/main.toml``)::

    [resource_sync.config]
    repo = "me/komodo-config"
    resource_path = ["main.toml"]

Passing::

    [resource_sync.config]
    repo = "me/komodo-config"
    resource_path = ["resources"]
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
from komodo_guard.rules.layout.resolve import join_within, outside_link
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, SyncScope, Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Findings for missing and non-``.toml`` entries of syncs reading this tree."""
    for scope in workspace.scopes:
        sync = scope.sync
        if sync is None or sync.config.get("files_on_host") is True:
            continue
        for entry in resource_paths(sync):
            finding = _entry(rule, workspace, scope, sync, entry)
            if finding is not None:
                yield finding


def _entry(
    rule: RuleInfo,
    workspace: Workspace,
    scope: SyncScope,
    sync: Resource,
    entry: PathEntry,
) -> Finding | None:
    target = join_within(scope.folder, entry.path)
    if not entry.path.strip() or target.host:
        return None
    link = None if target.leaves else outside_link(workspace, target.path)
    if link is not None:
        return rule.finding(
            f"{sync.label}: resource_path `{entry.path}` goes through `{link}`, a "
            "symbolic link leaving this tree; not checked",
            location=at_key(sync, *entry.keys, value=True),
            resource=ref(sync),
            severity=Severity.INFO,
        )
    if target.leaves or entry.path in scope.missing_paths:
        return _finding(
            rule,
            sync,
            entry,
            "is not in this repository, so the sync fails with a "
            "remote error and applies nothing",
            _missing_hint(sync),
        )
    if workspace.is_file(target.path) and not target.path.endswith(".toml"):
        return _finding(
            rule,
            sync,
            entry,
            "is not a .toml file; Komodo silently reads nothing from it",
            "rename the file to end in .toml, or point resource_path at the "
            ".toml files",
        )
    return None


def _missing_hint(sync: Resource) -> str:
    hint = (
        "fix the path or commit the file; when moving a resource file, change "
        "resource_path in a push before the move"
    )
    if sync.config.get("managed") is True:
        hint += "; a managed sync can also create it (Initialize file in the UI)"
    return hint


def _finding(
    rule: RuleInfo, sync: Resource, entry: PathEntry, problem: str, hint: str
) -> Finding:
    return rule.finding(
        f"{sync.label}: resource_path `{entry.path}` {problem}",
        location=at_key(sync, *entry.keys, value=True),
        resource=ref(sync),
        hint=hint,
    )


RULE = RuleInfo(
    code="KG504",
    name="sync-path-missing",
    severity=Severity.ERROR,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
