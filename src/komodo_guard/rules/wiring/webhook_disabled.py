"""``webhook_enabled = false`` on a resource that is set up for its webhook.

Stacks, syncs, builds, repos, procedures and actions can be started by a git
push through Komodo's webhook listener; with ``webhook_enabled = false`` the
listener authenticates the call and then ignores it (FACTS §4), while the git
provider still shows a successful delivery. Setting the other webhook keys
(``webhook_secret``, a stack's ``webhook_force_deploy``) on the same resource
says someone relies on that webhook: one of the two is a mistake, and pushes
silently do nothing.

Only a contradiction written in the resource itself is evidence here; READMEs
and the git provider's settings cannot be read. A sync whose webhook is off
and that nothing else runs is KG616's case.

Failing::

    [stack.config]
    webhook_enabled = false
    webhook_force_deploy = true

Passing::

    [stack.config]
    webhook_enabled = true
    webhook_force_deploy = true
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.spec import FieldSpec
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

_SWITCH = "webhook_enabled"
_PREFIX = "webhook_"


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per resource with its webhook off and webhook keys set."""
    for resource in workspace.resources:
        kind = workspace.kind(resource.kind)
        if kind is None or kind.field(_SWITCH) is None:
            continue
        if resource.config.get(_SWITCH) is not False:
            continue
        keys = [
            written
            for spec in kind.fields.values()
            if spec.name.startswith(_PREFIX) and spec.name != _SWITCH
            if (written := _written(resource, spec)) is not None
        ]
        if keys:
            yield _finding(rule, resource, keys)


def _written(resource: Resource, spec: FieldSpec) -> str | None:
    """The key as written when its value is not the default (nor blank)."""
    for spelling in spec.spellings:
        value = resource.config.get(spelling)
        if value is None or value == spec.default:
            continue
        if not (isinstance(value, str) and not value.strip()):
            return spelling
    return None


def _finding(rule: RuleInfo, resource: Resource, keys: list[str]) -> Finding:
    written = " and ".join(
        f"{key} (line {resource.position('config', key)[0]})" for key in keys
    )
    return rule.finding(
        f"{resource.label}: webhook_enabled = false, yet {written} "
        f"{'is' if len(keys) == 1 else 'are'} set: Komodo accepts the webhook "
        "call and ignores it, so a push silently does nothing",
        location=at_key(resource, "config", _SWITCH, value=True),
        resource=ref(resource),
        hint="set webhook_enabled = true if pushes should trigger this resource; "
        f"otherwise remove {', '.join(keys)}",
    )


RULE = RuleInfo(
    code="KG615",
    name="webhook-disabled-configured",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
