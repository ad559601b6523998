"""An alerter ``resources`` or ``except_resources`` entry that names, not ids.

An Alerter's ``resources`` (send only for these) and ``except_resources``
(never for these) hold ``{ type, id }`` targets. Komodo neither resolves nor
checks them on write, and compares the stored ``id`` with the id carried by
each alert (FACTS §1.4, §7.1), so a name never matches:

* in ``resources``, the whitelist matches no alert, and the alerter silently
  sends nothing for any resource (error);
* in ``except_resources``, nothing is excluded (warning).

A Commit Sync then exports such entries without an id, which Komodo cannot
read back ("missing field `id`"; open PR #1581). Only a 24-hex ObjectId
works; ``System`` targets carry no id and are skipped.

Failing::

    [alerter.config]
    resources = [{ type = "Stack", id = "immich" }]

Passing (the stack's id, as shown in its URL in Komodo's UI)::

    [alerter.config]
    resources = [{ type = "Stack", id = "66f0c2a1b4e5d6f7a8b9c0d1" }]
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
from komodo_guard.rules.references.index import is_object_id
from komodo_guard.workspace.model import Resource, Workspace

_EFFECT: Mapping[str, tuple[str, Severity]] = {
    "resources": (
        "so this whitelist matches no alert and the alerter sends nothing for "
        "any resource",
        Severity.ERROR,
    ),
    "except_resources": ("so nothing is excluded", Severity.WARNING),
}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per target whose ``id`` is not an ObjectId."""
    for alerter in workspace.of_kind("alerter"):
        for field in _EFFECT:
            value = alerter.config.get(field)
            if not isinstance(value, list):
                continue
            for index, target in enumerate(value):
                finding = _target(rule, workspace, alerter, field, index, target)
                if finding is not None:
                    yield finding


def _target(
    rule: RuleInfo,
    workspace: Workspace,
    alerter: Resource,
    field: str,
    index: int,
    target: object,
) -> Finding | None:
    if not isinstance(target, Mapping):
        return None
    kind, written = target.get("type"), target.get("id")
    if kind == "System" or not isinstance(written, str) or not written.strip():
        return None
    if is_object_id(written.strip()):
        return None
    effect, severity = _EFFECT[field]
    return rule.finding(
        f'{alerter.label}: {field} entry {{ type = "{kind}", id = "{written}" }} '
        f"gives a name, but Komodo compares ids, {effect}",
        location=at_key(alerter, "config", field, index, "id", value=True),
        resource=ref(alerter),
        hint=_hint(workspace, kind, written),
        severity=severity,
    )


def _hint(workspace: Workspace, kind: object, name: str) -> str:
    declared = isinstance(kind, str) and any(
        name == resource.name and _type_of(resource) == kind
        for resource in workspace.resources
    )
    where = f"{kind} {name!r} is declared in this tree; " if declared else ""
    return (
        f"{where}write its 24-hex id (shown in the resource's URL in Komodo's UI) "
        "instead of its name"
    )


def _type_of(resource: Resource) -> str:
    """``Stack``, ``ResourceSync``: the ResourceTarget type of a kind."""
    return "".join(part.title() for part in resource.kind.split("_"))


RULE = RuleInfo(
    code="KG612",
    name="alerter-target-by-name",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
