"""A person changed the configuration of a git-declared resource in Komodo itself.

Every configuration change leaves an Update (``UpdateStack``,
``RenameDeployment``, ``DeleteProcedure``...). Changes a sync applies are
made by the "Resource Sync" service user; one made by a person in the UI or
through the API on a resource the tree declares means git and Core disagree
(FACTS §10.2 L4). A sync's TOML is the whole desired state of each resource
(§2.4): the next run of the sync reverts the edit, or, if the edit was the
fix, the tree is stale and the fix is lost on the next run.

Only edits after the declaring sync's last successful ``RunSync`` count
(older ones were reverted by that run). The finding names who, how many
times and when; changes to Variables are not counted (their values often
live only in Core on purpose). Needs the tree.

Failing: ``UpdateStack`` on stack ``mealie`` by user ``alice`` two days
ago, after the last ``RunSync`` of the sync that declares ``mealie``.

Passing: the change came through the sync (operator "Resource Sync"), or
the sync ran after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from komodo_guard.komodo.names import normalize_name
from komodo_guard.komodo.updates import Update, is_config_change
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import (
    about,
    ago,
    declaration,
    listing,
    moment,
    plural,
    target_name,
    toml_kind,
)
from komodo_guard.rules.locate import at_key
from komodo_guard.workspace.model import Resource, Workspace


@dataclass(frozen=True)
class _Edits:
    kind: str
    name: str
    updates: tuple[Update, ...]
    """Newest first."""


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per declared resource edited by people since its last sync."""
    workspace = facts.workspace
    if workspace is None or facts.snapshot.could_not_read("ListUpdates"):
        return
    for edits in _edits(facts.snapshot):
        resource = declaration(facts, edits.kind, edits.name)
        if resource is None:
            continue
        synced = _last_sync(facts.snapshot, workspace, resource)
        recent = [u for u in edits.updates if u.start_ts > synced]
        if not recent:
            continue
        people = sorted({u.username or u.operator for u in recent})
        yield rule.finding(
            f"{edits.kind} {edits.name!r} was changed in Komodo outside the sync "
            f"{plural(len(recent), 'time')} by {listing(people)} (last "
            f"{ago(facts.now, recent[0].start_ts)}: {recent[0].operation}); the "
            "next sync run reverts this, or the tree is stale",
            resource=about(edits.kind, edits.name),
            location=at_key(resource, "name"),
            hint="copy the change into this file (compare with Komodo's Export "
            "TOML) so git holds it, or run the sync to restore what git says",
            since=moment(recent[-1].start_ts),
        )


def _edits(snapshot: LiveSnapshot) -> list[_Edits]:
    grouped: dict[tuple[str, str], list[Update]] = {}
    for update in snapshot.updates:
        if not is_config_change(update.operation) or update.by_service:
            continue
        kind = toml_kind(update.target)
        name = normalize_name(kind, target_name(snapshot, update.target))
        grouped.setdefault((kind, name), []).append(update)
    return [_Edits(kind, name, tuple(ups)) for (kind, name), ups in grouped.items()]


def _last_sync(snapshot: LiveSnapshot, workspace: Workspace, resource: Resource) -> int:
    """When a sync declaring ``resource`` last applied successfully; 0 if never
    in the window or when no sync of the tree reads its file."""
    syncs = {
        normalize_name("resource_sync", scope.sync.name)
        for scope in workspace.scope_of(resource.file.path)
        if scope.sync is not None and scope.sync.name
    }
    runs = [
        update.start_ts
        for update in snapshot.updates
        if update.operation == "RunSync"
        and update.complete
        and update.success
        and target_name(snapshot, update.target) in syncs
    ]
    return max(runs, default=0)


RULE = LiveRuleInfo(
    code="KG1005",
    name="edited-outside-sync",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
