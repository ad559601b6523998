"""Compose projects and containers on the host that no Komodo stack or deployment owns.

What runs outside GitOps is invisible to Komodo: it is not redeployed,
not updated, not in any sync, and gone with the host. A compose project is
Komodo's when its name is a stack's project name (``project_name``, else the
stack's name) or when compose ran it from Periphery's stack or repo folder; a
plain container is Komodo's when it bears a deployment's name. Stacks and
deployments come from Core's snapshot and the tree, when given (limited to
this host's Server when its name is known). Containers labelled
``komodo.skip`` and swarm tasks are not judged. Plain containers cannot be
judged without Core or a tree: they are reported once, as info.

Failing: compose project ``grafana`` running from ``/opt/grafana`` with no
stack of that name.

Passing: the same services declared as a ``[[stack]]`` and deployed by
Komodo; or the containers removed.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.host.common import plural
from komodo_guard.rules.host.ownership import Unowned, ownership
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    HostFacts,
    HostRuleInfo,
    RuleOptions,
    Severity,
)

_SHOWN = 5


def check(
    rule: HostRuleInfo, facts: HostFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per unowned compose project or plain container."""
    if facts.host.containers is None:
        return
    verdict = ownership(facts)
    for group in verdict.unowned:
        yield rule.finding(
            _message(group, verdict.sources),
            hint="declare it as a Komodo stack (or deployment) in git and deploy "
            "it from there, or remove it from the host",
        )
    if verdict.undecided:
        names = ", ".join(f"`{c.name}`" for c in verdict.undecided)
        yield rule.finding(
            f"{plural(len(verdict.undecided), 'container')} outside compose "
            f"could not be matched to Komodo deployments without Komodo Core or "
            f"a GitOps tree: {names}",
            severity=Severity.INFO,
            hint="run `host` with --komodo URL or the GitOps tree's PATH",
        )


def _message(group: Unowned, sources: str) -> str:
    if not group.project:
        container = group.containers[0]
        return (
            f"container `{container.name}` ({container.image}) is not a Komodo "
            f"deployment: no deployment of that name in {sources}"
        )
    names = [f"`{c.name}`" for c in group.containers]
    shown = ", ".join(names[:_SHOWN])
    if len(names) > _SHOWN:
        shown += f" and {len(names) - _SHOWN} more"
    where = f"runs from {group.working_dir}" if group.working_dir else "runs"
    return (
        f"compose project `{group.project}` ({plural(len(names), 'container')}: "
        f"{shown}) {where}, outside Periphery's stack and repo folders, and no "
        f"Komodo stack in {sources} has that project name"
    )


RULE = HostRuleInfo(
    code="KG1211",
    name="unmanaged-container",
    severity=Severity.WARNING,
    failure_class=FailureClass.UNMANAGED,
    doc=__doc__ or "",
    checker=check,
)
