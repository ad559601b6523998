"""A declared name Komodo stores in another form.

On create Komodo normalises names: stack and build names are lowercased with every
character outside ``[a-z0-9_-]`` turned into ``_``; deployment names keep
``[A-Za-z0-9_.-]``; repo names lose spaces; every name is trimmed. The sync,
however, matches by the name as written. A declared ``My App`` is stored as
``my_app``, never found again, and created again on the next run (which fails
with "already exists", or deletes and re-creates it in delete mode): the sync
never settles.

Also reported: two names of one kind, read by one sync, that normalise to the
same name (``My App`` and ``my_app``): only one of them can exist.

Failing::

    [[stack]]
    name = "My App"

Passing::

    [[stack]]
    name = "my_app"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.names import normalize_name
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.rules.references.index import (
    ScopeView,
    name_location,
    scope_label,
    scope_views,
    unique,
)
from komodo_guard.workspace.model import Resource, Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Names not in normal form, then clashes of normal forms within a scope."""
    kinds = frozenset(k.name for k in workspace.model.kinds.values() if k.has_config)
    for resource in workspace.resources:
        stored = _stored(resource, kinds)
        if stored is not None and stored != resource.name:
            yield _not_normal(rule, resource, stored)
    yield from unique(
        finding
        for view in scope_views(workspace)
        for finding in _clashes(rule, view, kinds)
    )


def _stored(resource: Resource, kinds: frozenset[str]) -> str | None:
    """The stored name of a resource (variables and user groups are not
    renamed: Komodo validates their names instead)."""
    if resource.kind not in kinds or not (resource.name or "").strip():
        return None
    assert resource.name is not None
    return normalize_name(resource.kind, resource.name)


def _not_normal(rule: RuleInfo, resource: Resource, stored: str) -> Finding:
    return rule.finding(
        f"Komodo stores {resource.label} as {stored!r}; the sync matches the name "
        "as written, so it never finds the stored resource and tries to create it "
        "again on every run",
        location=name_location(resource),
        resource=ref(resource),
        hint=f'write name = "{stored}"',
    )


def _clashes(
    rule: RuleInfo, view: ScopeView, kinds: frozenset[str]
) -> Iterator[Finding]:
    first_of: dict[tuple[str, str], Resource] = {}
    for resource in view.resources:
        stored = _stored(resource, kinds)
        if stored is None:
            continue
        first = first_of.setdefault((resource.kind, stored), resource)
        if first.name != resource.name:
            earlier = name_location(first)
            yield rule.finding(
                f"{resource.label} and {first.label} (at {earlier.path}:"
                f"{earlier.line}) both become {stored!r} in Komodo, and both are "
                f"read by {scope_label(view.scope)}: only one of them can exist",
                location=name_location(resource),
                resource=ref(resource),
                hint="give them names that differ after normalisation",
            )


RULE = RuleInfo(
    code="KG202",
    name="name-normalization",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
