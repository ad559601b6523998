"""A declared ResourceSync that nothing in the tree ever runs.

A ``[[resource_sync]]`` only applies git to Komodo when it runs: by its
webhook (``/listener/<provider>/sync/<name>/sync``), by a procedure stage
``RunSync`` (on a schedule or its own webhook), by an Action, or by someone
pressing Execute. A sync that no procedure or action of the tree runs and
whose ``webhook_enabled = false`` is declared but never applied: pushed
changes wait in its pending list for as long as nobody looks (warning, at
``webhook_enabled``). With the webhook on (the default) the provider side
cannot be checked from here, so the same situation is info.

A procedure counts when one of its enabled stages runs ``RunSync`` for the
sync by name; an action counts when its script mentions ``RunSync`` and the
sync's name. A ``RunSync`` that names a sync by id could be any of them, so
nothing is reported then. Templates are skipped.

Failing::

    [[resource_sync]]
    name = "homelab"
    [resource_sync.config]
    repo = "me/homelab"
    webhook_enabled = false

Passing (a procedure runs it every five minutes)::

    [[procedure]]
    name = "reconcile"
    [procedure.config]
    schedule_format = "Cron"
    schedule = "0 */5 * * * *"
    [[procedure.config.stage]]
    name = "Sync"
    executions = [{ execution.type = "RunSync", execution.params.sync = "homelab" }]
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
from komodo_guard.rules.references.index import is_object_id
from komodo_guard.rules.wiring.effects import Act, Plan, Selector
from komodo_guard.workspace.model import Resource, Workspace

_RUN_SYNC = "RunSync"


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per sync that no procedure or action runs."""
    syncs = [
        s
        for s in workspace.of_kind("resource_sync")
        if s.name and s.body.get("template") is not True
    ]
    if not syncs:
        return
    runs = _run_sync_targets(Plan(workspace))
    if any(is_object_id(selector.text) for selector in runs):
        return
    scripts = _action_scripts(workspace)
    for sync in syncs:
        name = sync.name or ""
        if any(selector.selects(name) for selector in runs):
            continue
        if any(name in script for script in scripts):
            continue
        yield _finding(rule, sync)


def _run_sync_targets(plan: Plan) -> list[Selector]:
    return [
        effect.selector
        for procedure in plan.procedures
        for step in plan.steps(procedure)
        for effect in step.effects
        if effect.act is Act.SYNC and not effect.via
    ]


def _action_scripts(workspace: Workspace) -> list[str]:
    scripts = []
    for action in workspace.of_kind("action"):
        text = action.config.get("file_contents")
        if isinstance(text, str) and _RUN_SYNC in text:
            scripts.append(text)
    return scripts


def _finding(rule: RuleInfo, sync: Resource) -> Finding:
    hint = (
        f"add a procedure whose first stage runs RunSync for {sync.name!r} (with "
        "a schedule, or its own webhook), or enable the sync's webhook and add "
        "it at the git provider"
    )
    if sync.config.get("webhook_enabled") is False:
        return rule.finding(
            f"{sync.label}: no procedure or action of this tree runs RunSync for "
            "it and its webhook is off, so what is pushed to git is never "
            "applied until someone runs the sync by hand",
            location=at_key(sync, "config", "webhook_enabled", value=True),
            resource=ref(sync),
            hint=hint,
        )
    return rule.finding(
        f"{sync.label}: no procedure or action of this tree runs RunSync for "
        "it, so pushes are applied only if the git provider calls its webhook "
        f"(/listener/<provider>/sync/{sync.name}/sync), which cannot be checked "
        "from here",
        location=at_key(sync, "name"),
        resource=ref(sync),
        hint=hint,
        severity=Severity.INFO,
    )


RULE = RuleInfo(
    code="KG616",
    name="sync-never-runs",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
