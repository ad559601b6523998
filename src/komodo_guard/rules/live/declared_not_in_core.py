"""A resource the tree declares does not exist in Komodo Core.

A declaration does nothing until a ResourceSync applies it. When Core has no
resource of that kind and name, the sync reading the file was never run
since the resource was added, runs from another commit or branch, filters
it out with ``match_tags``, or does not read the file at all. The finding
says which: it names the sync whose ``resource_path`` reads the file and the
state Core reports for it (pending: "the sync was never run"). Names are
compared the way Core stores them (FACTS §1.3: stack names lowercased...).

Stacks and deployments are errors (something meant to run is not there);
other kinds are warnings. Files no sync reads are left to ``file-not-synced``
(KG004), and kinds whose list Core did not return are not judged. Needs the
tree (``audit PATH --komodo``, ``drift PATH``).

Failing: ``[[stack]] name = "paperless"`` in ``komodo/apps.toml``, read by
sync ``homelab`` which Core lists as ``Pending``, and no stack ``paperless``
in Core.

Passing: the sync was run and Core lists stack ``paperless``.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.names import normalize_name
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import about
from komodo_guard.rules.locate import at_key
from komodo_guard.workspace.model import Resource, Workspace

_SYNC_STATE = {
    "Pending": "has pending changes: the sync was never run since this was added",
    "Failed": "is Failed and applies nothing",
    "Syncing": "is running right now",
    "Ok": "reports nothing pending: check its match_tags, branch and commit",
}


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per declared resource Core does not hold."""
    workspace = facts.workspace
    if workspace is None:
        return
    unsynced = set(workspace.unsynced)
    for resource in workspace.resources:
        existing = facts.snapshot.names(resource.kind)
        if existing is None or resource.name is None:
            continue
        name = normalize_name(resource.kind, resource.name)
        if name in existing or resource.file.path in unsynced:
            continue
        deploys = _deploys(workspace, resource.kind)
        yield rule.finding(
            f"{resource.kind} {name!r} is declared here but does not exist in "
            f"Komodo Core{_why(facts.snapshot, workspace, resource)}",
            resource=about(resource.kind, name),
            location=at_key(resource, "name"),
            hint="run the sync that reads this file (RunSync) and check its "
            "resource_path, match_tags and branch",
            severity=Severity.ERROR if deploys else Severity.WARNING,
        )


def _deploys(workspace: Workspace, kind: str) -> bool:
    spec = workspace.kind(kind)
    return spec is not None and spec.deploys


def _why(snapshot: LiveSnapshot, workspace: Workspace, resource: Resource) -> str:
    syncs = [
        scope.sync.name
        for scope in workspace.scope_of(resource.file.path)
        if scope.sync is not None and scope.sync.name
    ]
    if not syncs or snapshot.names("resource_sync") is None:
        return ""
    name = normalize_name("resource_sync", syncs[0])
    state = {sync.name: sync.state for sync in snapshot.syncs}.get(name)
    if state is None:
        return f"; the sync {name!r} that reads this file is not in Core either"
    said = _SYNC_STATE.get(state, f"is {state}")
    return f"; the sync {name!r} that reads this file {said}"


RULE = LiveRuleInfo(
    code="KG1003",
    name="declared-not-in-core",
    severity=Severity.ERROR,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
