"""A Stack or Deployment that sets both ``swarm`` and ``server``: the server is ignored.

When ``swarm`` is set, Komodo deploys the Stack or Deployment to that Swarm
and never looks at ``server`` (FACTS §1.4, S23). The ``server`` line is dead
config that tells the next reader the wrong host, and it comes back to life
if someone clears ``swarm``.

Failing::

    [stack.config]
    swarm = "prod"
    server = "nas"

Passing::

    [stack.config]
    swarm = "prod"
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
from komodo_guard.workspace.model import Resource, Workspace

_KINDS = ("stack", "deployment")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per Stack or Deployment with a swarm and a server."""
    for resource in workspace.resources:
        if resource.kind not in _KINDS:
            continue
        swarm = _set_key(workspace, resource, "swarm")
        server = _set_key(workspace, resource, "server")
        if swarm is not None and server is not None:
            yield _finding(rule, resource, swarm, server)


def _set_key(workspace: Workspace, resource: Resource, field: str) -> str | None:
    """The spelling of ``field`` that holds a non-empty string, if any."""
    kind = workspace.kind(resource.kind)
    spec = kind.field(field) if kind is not None else None
    if spec is None:
        return None
    for key in spec.spellings:
        value = resource.config.get(key)
        if isinstance(value, str) and value.strip():
            return key
    return None


def _finding(rule: RuleInfo, resource: Resource, swarm: str, server: str) -> Finding:
    return rule.finding(
        f"{resource.label} sets both `{swarm}` and `{server}`: Komodo deploys to "
        f"the swarm and ignores `{server}`",
        location=at_key(resource, "config", server),
        resource=ref(resource),
        hint=f"remove `{server}` (or `{swarm}`, to deploy to that server instead)",
    )


RULE = RuleInfo(
    code="KG212",
    name="swarm-overrides-server",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
