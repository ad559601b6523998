"""A reference to a resource that is declared nowhere in the tree.

Komodo resolves ``server``, ``swarm``, ``linked_repo``, ``builder``, a
deployment's ``image.params.build``, a swarm's or builder's ``servers`` and every
procedure execution target (``params.stack``, ``params.sync``, ...) from name to
id when the sync writes the resource. A name that exists neither in the files nor
in Komodo makes that resource's create or update fail ("ERROR: failed to
create ..."), while the rest of the sync carries on.

Servers, repos and other resources are often created in the UI, so this is only
a warning: list such names in ``komodo-guard.toml`` to silence it, under the
key of their kind (``servers``, ``repos``, ``swarms``, ``builders``,
``builds``, ``stacks``, ``deployments``, ``procedures``, ``actions``,
``syncs``, ``alerters``)::

    [known]
    servers = ["Local"]
    repos = ["homelab"]
    procedures = ["Backup Core Database"]

Values that look like an ObjectId (24 hex characters) and empty strings are
skipped; tags are never reported (Komodo creates unknown tags).

Failing (no ``[[server]]`` named ``nas`` anywhere)::

    [stack.config]
    server = "nas"

Passing: declare ``[[server]] name = "nas"``, or list it under ``[known]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.rules.references.index import is_object_id, names_by_kind
from komodo_guard.rules.references.procedures import stage_executions
from komodo_guard.rules.references.refs import NameRef, refs_in
from komodo_guard.workspace.model import Resource, Workspace

# The ``[known]`` key of komodo-guard.toml that lists names of each kind.
KNOWN_KEYS = {
    "server": "servers",
    "repo": "repos",
    "alerter": "alerters",
    "stack": "stacks",
    "deployment": "deployments",
    "build": "builds",
    "builder": "builders",
    "procedure": "procedures",
    "action": "actions",
    "resource_sync": "syncs",
    "swarm": "swarms",
}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per unknown (kind, name) per file, at its first use."""
    known = _Known(names_by_kind(workspace.resources), options)
    reported: set[tuple[str, str, str]] = set()
    for resource, name_ref in _references(workspace):
        key = (resource.file.path, name_ref.kind, name_ref.name)
        if key in reported or known.has(name_ref.kind, name_ref.name):
            continue
        reported.add(key)
        yield _finding(rule, resource, name_ref)


class _Known:
    """Declared names plus the names the operator says exist in Komodo."""

    def __init__(
        self, declared: Mapping[str, frozenset[str]], options: RuleOptions
    ) -> None:
        self._declared = declared
        self._options = options

    def has(self, kind: str, name: str) -> bool:
        if not name.strip() or is_object_id(name):
            return True
        if (
            name in self._declared.get(kind, ())
            or (kind, name) in self._options.known_names
        ):
            return True
        if kind == "server":
            return name in self._options.known_servers
        return kind == "repo" and name in self._options.known_repos


def _references(workspace: Workspace) -> Iterator[tuple[Resource, NameRef]]:
    """Each reference with its keys from the top of its resource."""
    for resource in workspace.resources:
        kind = workspace.kind(resource.kind)
        if kind is not None and kind.has_config:
            for name_ref in refs_in(kind.fields, resource.config, ("config",)):
                yield resource, name_ref
    for execution in stage_executions(workspace):
        spec = workspace.model.executions.get(execution.type or "")
        if spec is not None and execution.params is not None:
            prefix = (*execution.keys, "params")
            for name_ref in refs_in(spec.params, execution.params, prefix):
                yield execution.procedure, name_ref


def _finding(rule: RuleInfo, resource: Resource, name_ref: NameRef) -> Finding:
    return rule.finding(
        f"{resource.label} names {name_ref.kind} {name_ref.name!r} in "
        f"`{name_ref.field}`, but no [[{name_ref.kind}]] of that name is declared "
        "in this tree; if it does not exist in Komodo either, the sync fails to "
        f"create or update {resource.label}",
        location=at_key(resource, *name_ref.keys, value=True),
        resource=ref(resource),
        hint=_hint(name_ref),
    )


def _hint(name_ref: NameRef) -> str:
    if name_ref.field == "linked_repo" and "/" in name_ref.name:
        return (
            "linked_repo names a [[repo]] resource, not a git owner/name: declare "
            "that Repo, or write the git path in `repo` instead of `linked_repo`"
        )
    section = KNOWN_KEYS.get(name_ref.kind)
    listing = (
        f"list it under [known] {section} in komodo-guard.toml to silence this"
        if section
        else "lower this rule under [rules] severity in komodo-guard.toml"
    )
    return (
        f"declare the {name_ref.kind} or fix the name; if it was created in the "
        f"UI, {listing}"
    )


RULE = RuleInfo(
    code="KG203",
    name="unknown-reference",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
