"""The same name declared twice for one kind within what one sync reads.

A ResourceSync matches declarations to Komodo's resources by kind and name only.
Komodo does not reject a repeated name: for a new resource the second create fails
with "already exists", and for an existing one both declarations are applied one
after the other, so the last file read silently wins and the sync may show changes
on every run. Variables and user groups count too.

Only files read by the same ResourceSync are compared: two syncs (often for two
Cores) may each declare a procedure called ``Deploy stacks``. Files no sync reads
are not compared. Each repeat is reported at its ``name`` with the first one's
file and line.

Failing (both files under one sync's ``resource_path``)::

    # stacks/a.toml            # stacks/b.toml
    [[stack]]                  [[stack]]
    name = "caddy"             name = "caddy"

Passing: keep one declaration and delete (or rename) the other.
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
from komodo_guard.rules.locate import ref
from komodo_guard.rules.references.index import (
    ScopeView,
    name_location,
    scope_label,
    scope_views,
)
from komodo_guard.workspace.model import Resource, Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per repeated declaration, under the first scope reading it."""
    reported: set[tuple[str, str, int]] = set()
    for view in scope_views(workspace):
        for first, repeat in _repeats(view):
            key = (repeat.file.path, repeat.table, repeat.index)
            if key not in reported:
                reported.add(key)
                yield _finding(rule, view, first, repeat)


def _repeats(view: ScopeView) -> Iterator[tuple[Resource, Resource]]:
    first_of: dict[tuple[str, str], Resource] = {}
    for resource in view.resources:
        if resource.name is None:
            continue
        first = first_of.setdefault((resource.kind, resource.name), resource)
        if first is not resource:
            yield first, resource


def _finding(
    rule: RuleInfo, view: ScopeView, first: Resource, repeat: Resource
) -> Finding:
    earlier = name_location(first)
    where = f"{earlier.path}:{earlier.line}"
    return rule.finding(
        f"{repeat.label} is declared again; it is already declared at {where} and "
        f"both are read by {scope_label(view.scope)}; Komodo matches by name, so "
        "one silently overrides the other (or the create fails with 'already exists')",
        location=name_location(repeat),
        resource=ref(repeat),
        hint=f"keep one declaration: delete this one or the one at {where}, "
        "or give one of them another name",
    )


RULE = RuleInfo(
    code="KG201",
    name="duplicate-name",
    severity=Severity.ERROR,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
