"""No enabled alerter, or none that sends the alerts a failed deploy raises.

Komodo tells nobody about anything unless an Alerter is enabled (``enabled``
defaults to false) and subscribed to the alert's type (FACTS §7). A tree
that declares stacks, syncs or procedures but no enabled ``[[alerter]]``
fails silently: a deploy that fails, a sync with pending changes, an
unreachable server all go unnoticed. The types that matter are
``ServerUnreachable`` always, plus ``StackStateChange``,
``ResourceSyncPendingUpdates``, ``ProcedureFailed`` and ``ActionFailed`` when
the tree declares stacks, syncs, procedures or actions. ``alert_types``
missing or ``[]`` means every type.

The whole tree is one Komodo here (all sync scopes together), and a tree
holding only variables or user groups is not judged. Alerters are often made
in Komodo's UI, where this rule cannot see them: list such an alerter in
``komodo-guard.toml`` (``[known] alerters = ["ntfy"]``), which silences this
rule since that alerter's types cannot be seen. Reported once: at the
first ``[[resource_sync]]`` of the tree (else its first resource) for a
missing alerter, and at ``alert_types`` of the first enabled alerter for
missing types.

Failing::

    [[alerter]]
    name = "ntfy"
    [alerter.config]
    enabled = true
    alert_types = ["ServerUnreachable"]     # deploy failures are not sent

Passing::

    [alerter.config]
    enabled = true
    alert_types = []                         # every type
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.catalog import ALERT_TYPES_ENUM
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

_ALWAYS = ("ServerUnreachable",)
_BY_KIND = (
    ("stack", "StackStateChange"),
    ("resource_sync", "ResourceSyncPendingUpdates"),
    ("procedure", "ProcedureFailed"),
    ("action", "ActionFailed"),
)
_MEANS = {
    "ServerUnreachable": "a server Core cannot reach",
    "StackStateChange": "a stack that stops, fails or restarts",
    "ResourceSyncPendingUpdates": "changes in git a sync has not applied",
    "ProcedureFailed": "a failed procedure",
    "ActionFailed": "a failed action",
}
_NOT_JUDGED = frozenset({"variable", "user_group"})


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding for the tree: no enabled alerter, or critical types unsent."""
    judged = [r for r in workspace.resources if r.kind not in _NOT_JUDGED]
    if not judged or any(kind == "alerter" for kind, _ in options.known_names):
        return
    enabled = [
        a for a in workspace.of_kind("alerter") if a.config.get("enabled") is True
    ]
    if not enabled:
        yield _no_alerter(rule, workspace, judged)
        return
    wanted = _wanted(workspace, judged)
    subscribed = [_types(workspace, alerter) for alerter in enabled]
    if any(types is None for types in subscribed):
        return
    sent = set().union(*(types for types in subscribed if types is not None))
    missing = [name for name in wanted if name not in sent]
    if missing:
        yield _missing(rule, enabled, missing)


def _wanted(workspace: Workspace, judged: list[Resource]) -> list[str]:
    kinds = {resource.kind for resource in judged}
    wanted = [*_ALWAYS, *(name for kind, name in _BY_KIND if kind in kinds)]
    return [name for name in wanted if name in workspace.model.alert_types]


def _types(workspace: Workspace, alerter: Resource) -> frozenset[str] | None:
    """The alert types an alerter sends; None for every type."""
    value = alerter.config.get("alert_types")
    if not isinstance(value, list) or not value:
        return None
    accepted = (
        workspace.model.enum_accepts(ALERT_TYPES_ENUM, item)
        for item in value
        if isinstance(item, str)
    )
    return frozenset(name for name in accepted if name is not None)


def _no_alerter(
    rule: RuleInfo, workspace: Workspace, judged: list[Resource]
) -> Finding:
    syncs = [r for r in judged if r.kind == "resource_sync"]
    anchor = (syncs or judged)[0]
    declared = list(workspace.of_kind("alerter"))
    what = (
        f"none of the {len(declared)} declared [[alerter]] tables sets enabled = true"
        if declared
        else "no [[alerter]] is declared"
    )
    return rule.finding(
        f"{what} in this tree, so nobody is told when a deploy, a sync or a "
        "procedure fails or a server goes unreachable",
        location=at_key(anchor, "name"),
        resource=ref(anchor),
        hint="declare an [[alerter]] with enabled = true and an endpoint "
        "(Ntfy, Discord, Slack, ...); if one was made in Komodo's UI, list it "
        'in komodo-guard.toml: [known] alerters = ["<its name>"]',
    )


def _missing(rule: RuleInfo, enabled: list[Resource], missing: list[str]) -> Finding:
    anchor = next(a for a in enabled if a.config.get("alert_types"))
    names = ", ".join(f"`{name}`" for name in missing)
    means = ", or of ".join(_MEANS[name] for name in missing)
    return rule.finding(
        f"the {len(enabled)} enabled alerter(s) send none of {names}, so nobody "
        f"hears of {means}",
        location=at_key(anchor, "config", "alert_types"),
        resource=ref(anchor),
        hint=f"add {names} to alert_types of an enabled alerter, or write "
        "alert_types = [] to send every type",
    )


RULE = RuleInfo(
    code="KG611",
    name="alerter-coverage",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
