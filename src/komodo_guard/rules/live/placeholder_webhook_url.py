"""Core's public webhook URL is the example from Komodo's docs, or points at itself.

Komodo shows each resource's webhook URL built from ``webhook_base_url``
(``KOMODO_HOST`` when unset) (FACTS §10.2 L14). Left at the documented
``https://komodo.example.com`` (or ``https://example.komodo.com``), every
webhook copied from the UI into GitHub or Gitea points at a host nobody
owns: pushes never reach Core, and syncs and stacks quietly wait for a
manual run. Empty, ``localhost`` or a loopback address is the same problem
when git repositories are meant to call Core: a warning when Core holds a
git-based sync, or the tree declares a git-based resource with webhooks on.

Failing: ``webhook_base_url = "https://komodo.example.com"``.

Passing: the address your git host can reach, e.g.
``https://komodo.home.example.net``.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)

PLACEHOLDERS = frozenset({"https://komodo.example.com", "https://example.komodo.com"})
_LOCAL = frozenset({"", "localhost", "127.0.0.1", "::1", "0.0.0.0"})
_WEBHOOK_KINDS = ("resource_sync", "stack", "build", "repo")


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """At most one finding, about Core's webhook_base_url."""
    core = facts.snapshot.core
    if core is None:
        return
    url = core.webhook_base_url.strip().rstrip("/")
    if url.lower() in PLACEHOLDERS:
        yield rule.finding(
            f"Core's webhook_base_url is the documentation's placeholder {url}: "
            "webhooks copied from Komodo point at a host nobody owns, so pushes "
            "never reach Core",
            hint="set KOMODO_HOST (or webhook_base_url in core.config.toml) to the "
            "address your git host can reach, restart Core and update the webhooks",
        )
    elif _host(url) in _LOCAL and _uses_webhooks(facts):
        shown = url or "empty"
        yield rule.finding(
            f"Core's webhook_base_url is {shown}: git hosts cannot call it, so "
            "webhooks of git-based syncs and stacks never fire",
            hint="set KOMODO_HOST (or webhook_base_url) to an address your git "
            "host can reach",
        )


def _host(url: str) -> str:
    if not url:
        return ""
    return (urlsplit(url if "://" in url else f"//{url}").hostname or "").lower()


def _uses_webhooks(facts: LiveFacts) -> bool:
    if any(sync.repo or sync.linked_repo for sync in facts.snapshot.syncs):
        return True
    workspace = facts.workspace
    if workspace is None:
        return False
    return any(
        (resource.config.get("repo") or resource.config.get("linked_repo"))
        and resource.config.get("webhook_enabled", True) is not False
        for kind in _WEBHOOK_KINDS
        for resource in workspace.of_kind(kind)
    )


RULE = LiveRuleInfo(
    code="KG1016",
    name="placeholder-webhook-url",
    severity=Severity.WARNING,
    failure_class=FailureClass.STALE_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
