"""An alerter or server declared without ``enabled = true``.

``enabled`` defaults to false for Alerters and Servers (FACTS §1.4, §7.3), and a
sync resets every key it is not given to its default. So a declared
``[[alerter]]`` without ``enabled = true`` sends nothing, and a declared
``[[server]]`` without it is disabled: Komodo stops talking to it and nothing
can deploy there. Nobody notices until an alert that should have come does not.

An explicit ``enabled = false`` is taken as deliberate and not reported;
templates (``template = true``) are exempt. The default is read from the Komodo
model, so a release where ``enabled`` defaults to true reports nothing.

Failing::

    [[alerter]]
    name = "ntfy"
    [alerter.config]
    endpoint.type = "Ntfy"

Passing::

    [alerter.config]
    enabled = true
    endpoint.type = "Ntfy"
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
from komodo_guard.workspace.model import Workspace

_EFFECT = {
    "alerter": "alerters are disabled by default, so it sends no alerts",
    "server": "servers are disabled by default, so Komodo does not connect to it "
    "and nothing deploys there",
}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per alerter or server that leaves ``enabled`` unset."""
    for kind, effect in _EFFECT.items():
        spec = workspace.kind(kind)
        enabled = spec.field("enabled") if spec is not None else None
        if enabled is None or enabled.default is not False:
            continue
        for resource in workspace.of_kind(kind):
            if resource.body.get("template") is True or "enabled" in resource.config:
                continue
            yield rule.finding(
                f"{resource.label} does not set `enabled = true`: {effect}",
                location=at_key(resource),
                resource=ref(resource),
                hint=f"add `enabled = true` to [{resource.table}.config]",
            )


RULE = RuleInfo(
    code="KG602",
    name="not-enabled",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
