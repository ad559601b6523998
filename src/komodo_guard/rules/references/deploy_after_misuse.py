"""``deploy`` or ``after`` where Komodo ignores it.

``after`` only orders the deploys of a sync, so it does nothing on a stack or
deployment without ``deploy = true``. And only stacks and deployments are
deployed by a sync: ``deploy = true`` and ``after`` on a server, build, repo or any
other kind are accepted and ignored. Either way the file promises an ordering or
a deploy that never happens.

Failing::

    [[stack]]
    name = "app"
    after = ["db"]          # no deploy = true: ignored

    [[build]]
    name = "app-image"
    deploy = true           # builds are not deployed by a sync

Passing::

    [[stack]]
    name = "app"
    deploy = true
    after = ["db"]
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
from komodo_guard.rules.references.index import deploying_kinds
from komodo_guard.workspace.model import Resource, Workspace

_KEYS = ("deploy", "after")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """``after`` without ``deploy = true``; ``deploy``/``after`` on other kinds."""
    kinds = deploying_kinds(workspace)
    for resource in workspace.resources:
        kind = workspace.kind(resource.kind)
        if kind is None or not kind.has_config:
            continue
        if resource.kind in kinds:
            yield from _after_without_deploy(rule, resource)
        else:
            yield from _not_deployable(rule, resource, kinds)


def _after_without_deploy(rule: RuleInfo, resource: Resource) -> Iterator[Finding]:
    after = resource.body.get("after")
    if after and resource.body.get("deploy") is not True:
        yield rule.finding(
            f"`after` of {resource.label} is ignored: it only orders the deploys a "
            "sync runs, and this resource has no `deploy = true`",
            location=at_key(resource, "after"),
            resource=ref(resource),
            hint="add deploy = true to let the sync deploy it in this order, "
            "or remove `after`",
        )


def _not_deployable(
    rule: RuleInfo, resource: Resource, kinds: frozenset[str]
) -> Iterator[Finding]:
    allowed = " and ".join(sorted(kinds))
    for key in _KEYS:
        if resource.body.get(key):
            yield rule.finding(
                f"`{key}` on {resource.label} is ignored: a sync only deploys "
                f"{allowed}s",
                location=at_key(resource, key),
                resource=ref(resource),
                hint=f"remove `{key}`; to run a {resource.kind} after a sync, use a "
                "procedure",
            )


RULE = RuleInfo(
    code="KG209",
    name="deploy-after-misuse",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
