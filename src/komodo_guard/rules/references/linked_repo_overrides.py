"""Git settings written next to ``linked_repo``, where they are dead config.

With ``linked_repo`` set, a stack, build or sync takes its repository, branch,
commit, provider and account from that Repo resource; its own ``repo``,
``branch``, ``commit``, ``git_provider``, ``git_https`` and ``git_account`` are
ignored. Keeping them misleads the next reader (a branch changed here changes
nothing) and they drift from the Repo resource.

Reported once per resource, at its ``repo`` key (or the first such key).

Failing::

    [stack.config]
    linked_repo = "homelab"
    repo = "owner/homelab"
    branch = "main"

Passing::

    [stack.config]
    linked_repo = "homelab"
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

GIT_KEYS = ("repo", "branch", "commit", "git_provider", "git_https", "git_account")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per resource with both ``linked_repo`` and inline git keys."""
    for resource in workspace.resources:
        kind = workspace.kind(resource.kind)
        if kind is None or kind.field("linked_repo") is None:
            continue
        linked = resource.config.get("linked_repo")
        dead = [key for key in GIT_KEYS if key in resource.config]
        if isinstance(linked, str) and linked.strip() and dead:
            yield _finding(rule, resource, linked, dead)


def _finding(
    rule: RuleInfo, resource: Resource, linked: str, dead: list[str]
) -> Finding:
    keys = ", ".join(f"`{key}`" for key in dead)
    return rule.finding(
        f"{resource.label} sets linked_repo = {linked!r}, so its {keys} "
        f"{'is' if len(dead) == 1 else 'are'} ignored (the Repo resource's git "
        "settings are used)",
        location=at_key(resource, "config", dead[0]),
        resource=ref(resource),
        hint=f"remove {keys} from [{resource.table}.config], or drop linked_repo "
        "if this resource should clone on its own",
    )


RULE = RuleInfo(
    code="KG211",
    name="linked-repo-overrides",
    severity=Severity.INFO,
    failure_class=FailureClass.STALE_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
