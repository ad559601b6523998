"""A resource exists in Komodo Core but no file of the tree declares it.

Such a resource was created (or renamed) in Komodo's UI or API, outside
GitOps: git no longer describes what runs, a rebuild from git would lose it,
and a sync with ``delete = true`` (or ``managed``) in whose scope it falls
removes it on its next run (FACTS §2.3). Each one is a warning, when the tree
declares other resources of its kind.

A tree that declares no resource of a kind at all (no ``[[server]]``, say)
leaves that kind to the UI on purpose: then one info finding lists the names
Core holds of it. Names listed in ``komodo-guard.toml`` under ``[known]``
(``servers``, ``repos``, and the other kinds) are expected outside git and
never reported. Kinds whose list Core did not return are not judged. Needs the
tree (``audit PATH --komodo``, ``drift PATH``).

Failing: Core lists stack ``scratch`` and the tree declares stacks, none
named ``scratch``.

Passing: ``scratch`` is declared in a synced file, or listed as known.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.names import normalize_name
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import about, listing, plural
from komodo_guard.workspace.model import Workspace

KINDS = (
    "server",
    "swarm",
    "builder",
    "alerter",
    "repo",
    "build",
    "stack",
    "deployment",
    "procedure",
    "action",
    "resource_sync",
)
"""The kinds Core lists, in the order a sync applies them."""


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """Per kind: one finding per unmanaged resource, or one for the whole kind."""
    workspace = facts.workspace
    if workspace is None:
        return
    for kind in KINDS:
        existing = facts.snapshot.names(kind)
        if existing is None:
            continue
        declared = _declared(workspace, kind)
        known = _known(options, kind)
        extra = sorted(existing - declared - known)
        if not extra:
            continue
        if declared:
            yield from (_one(rule, kind, name) for name in extra)
        else:
            yield _whole_kind(rule, kind, extra)


def _declared(workspace: Workspace, kind: str) -> frozenset[str]:
    return frozenset(
        normalize_name(kind, name) for name in workspace.declared_names(kind)
    )


def _known(options: RuleOptions, kind: str) -> frozenset[str]:
    names = {name for known_kind, name in options.known_names if known_kind == kind}
    if kind == "server":
        names |= options.known_servers
    if kind == "repo":
        names |= options.known_repos
    return frozenset(normalize_name(kind, name) for name in names)


def _one(rule: LiveRuleInfo, kind: str, name: str) -> Finding:
    return rule.finding(
        f"{kind} {name!r} exists in Komodo Core but no file of the tree declares "
        "it: it was created or renamed outside GitOps, and a sync with "
        "`delete = true` in whose scope it falls removes it on its next run",
        resource=about(kind, name),
        hint=f"export it into the tree (Komodo's Export TOML) as a [[{kind}]] "
        "table, delete it in Komodo, or list it under [known] in "
        "komodo-guard.toml if it lives outside git on purpose",
    )


def _whole_kind(rule: LiveRuleInfo, kind: str, names: list[str]) -> Finding:
    return rule.finding(
        f"Komodo Core holds {plural(len(names), kind)} ({listing(names)}) and the "
        f"tree declares no [[{kind}]]: they are managed in Komodo's UI, outside "
        "GitOps",
        hint=f"declare them as [[{kind}]] tables to manage them from git, or list "
        "them under [known] in komodo-guard.toml",
        severity=Severity.INFO,
    )


RULE = LiveRuleInfo(
    code="KG1004",
    name="unmanaged-in-core",
    severity=Severity.WARNING,
    failure_class=FailureClass.UNMANAGED,
    doc=__doc__ or "",
    checker=check,
)
