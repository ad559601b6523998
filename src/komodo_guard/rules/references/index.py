"""Indexes over a workspace's declarations, built once per check.

Komodo matches resources by kind and name within what one ResourceSync reads, so
most rules of this group look at declarations grouped per sync scope. Files no
sync reads (``workspace.unsynced``) belong to no scope and are never compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from komodo_guard.rules.interface import Finding, Location
from komodo_guard.rules.locate import at_key
from komodo_guard.workspace.model import Resource, SyncScope, Workspace

_OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")


@dataclass(frozen=True)
class ScopeView:
    """The resources one sync scope reads, in the order Komodo reads them."""

    scope: SyncScope
    resources: tuple[Resource, ...]

    def names(self, kind: str) -> frozenset[str]:
        """Declared names of ``kind`` in this scope."""
        return frozenset(
            r.name for r in self.resources if r.kind == kind and r.name is not None
        )


def scope_views(workspace: Workspace) -> list[ScopeView]:
    """One view per sync scope, resources grouped in a single pass over the tree."""
    by_file: dict[str, list[Resource]] = defaultdict(list)
    for resource in workspace.resources:
        by_file[resource.file.path].append(resource)
    return [
        ScopeView(
            scope, tuple(r for path in scope.files for r in by_file.get(path, ()))
        )
        for scope in workspace.scopes
    ]


def names_by_kind(resources: Iterable[Resource]) -> Mapping[str, frozenset[str]]:
    """Declared names per kind."""
    found: dict[str, set[str]] = defaultdict(set)
    for resource in resources:
        if resource.name is not None:
            found[resource.kind].add(resource.name)
    return {kind: frozenset(names) for kind, names in found.items()}


def deploying_kinds(workspace: Workspace) -> frozenset[str]:
    """Kinds whose ``deploy`` and ``after`` mean something (stack, deployment)."""
    return frozenset(
        kind.name for kind in workspace.model.kinds.values() if kind.deploys
    )


def is_object_id(value: str) -> bool:
    """True for a 24-hex Mongo ObjectId, which Komodo resolves by id."""
    return _OBJECT_ID.fullmatch(value) is not None


def name_location(resource: Resource) -> Location:
    """Where a resource's ``name`` key is written."""
    return at_key(resource, "name")


def scope_label(scope: SyncScope) -> str:
    """``sync 'name'`` or the implicit scope's description, for messages."""
    if scope.sync is None:
        return scope.name
    return f"resource_sync {scope.name!r}"


def unique(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Drop repeats of the same finding (a file read by several syncs)."""
    seen: set[tuple[object, ...]] = set()
    for finding in findings:
        key = (finding.location, finding.message)
        if key not in seen:
            seen.add(key)
            yield finding
