"""An ``after`` entry that names no stack or deployment of the same sync.

``after`` orders the deploys a sync runs (and redeploys a resource when one it
waits for is redeployed). Komodo resolves each entry among existing stacks and
deployments and silently drops names it cannot use: the ordering you wrote does
not happen and nothing says so. Dependencies across syncs are not supported, so
the entry must be declared in a file the same ResourceSync reads.

Failing::

    [[stack]]
    name = "app"
    deploy = true
    after = ["traefik"]     # no stack or deployment "traefik" in this sync

Passing: declare ``traefik`` in a file of the same sync, or fix the name.
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
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.rules.references.index import (
    ScopeView,
    deploying_kinds,
    scope_label,
    scope_views,
    unique,
)
from komodo_guard.rules.references.suggest import Suggester
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per unresolved ``after`` entry, per scope."""
    kinds = deploying_kinds(workspace)
    return unique(
        finding
        for view in scope_views(workspace)
        for finding in _in_scope(rule, view, kinds)
    )


def _in_scope(
    rule: RuleInfo, view: ScopeView, kinds: frozenset[str]
) -> Iterator[Finding]:
    names = frozenset().union(*(view.names(kind) for kind in kinds))
    suggester = Suggester(names)
    for resource in view.resources:
        after = resource.body.get("after")
        if resource.kind not in kinds or not isinstance(after, list):
            continue
        for index, entry in enumerate(after):
            if not isinstance(entry, str) or entry in names:
                continue
            suggestion = suggester.closest(entry)
            yield rule.finding(
                f"`after` of {resource.label} names {entry!r}, but no stack or "
                f"deployment of that name is declared in {scope_label(view.scope)}; "
                "Komodo drops the entry silently, so this ordering does not happen",
                location=at_key(resource, "after", index, value=True),
                resource=ref(resource),
                hint=f'did you mean "{suggestion}"?'
                if suggestion
                else "declare it in a file this sync reads (dependencies across "
                "syncs are not supported), or remove the entry",
            )


RULE = RuleInfo(
    code="KG207",
    name="after-unknown",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
