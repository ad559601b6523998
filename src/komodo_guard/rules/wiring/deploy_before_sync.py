"""A procedure that deploys before (or without) running the tree's sync.

A stack or deployment declared in git only exists in Komodo once a
ResourceSync has run, and its config (``environment``, ``file_paths``, ...)
only changes then (FACTS §2.4). A procedure that deploys
(``DeployStack``, ``DeployStackIfChanged``, ``BatchDeployStack*``,
``Deploy``, ``BatchDeploy``, or a ``RunProcedure`` of a procedure that does)
in a stage before any ``RunSync`` stage, or with no ``RunSync`` at all, while
the tree declares a ``[[resource_sync]]``, deploys what Komodo had before the
push: a pattern such as ``*`` never meets the stacks added by the push (they
do not exist yet, so they are never deployed), and changed config is deployed
old. That is a warning when a deploy uses a wildcard or regex pattern, and
info when it names fixed resources (only stale config is at stake).

Trees that declare no sync are not judged (their resources are made in the UI).
A deploy in the same stage as a ``RunSync`` runs in parallel with it; KG614
reports that. A procedure that other procedures of the tree run is judged
through its callers, unless it has a schedule of its own; disabled stages and
executions are skipped.

Failing::

    [[procedure.config.stage]]
    name = "Deploy"
    executions = [
      { execution.type = "BatchDeployStackIfChanged", execution.params.pattern = "*" },
    ]

Passing::

    [[procedure.config.stage]]
    name = "Sync"
    executions = [{ execution.type = "RunSync", execution.params.sync = "homelab" }]
    [[procedure.config.stage]]
    name = "Deploy"
    executions = [
      { execution.type = "BatchDeployStackIfChanged", execution.params.pattern = "*" },
    ]
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
from komodo_guard.rules.locate import ref
from komodo_guard.rules.wiring.effects import (
    Act,
    Effect,
    Plan,
    Step,
    key_of,
    schedule_runs,
)
from komodo_guard.workspace.model import Resource, Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Deploying steps of entry-point procedures not preceded by a sync stage."""
    syncs = sorted(workspace.declared_names("resource_sync"))
    if not syncs:
        return
    order = _Order(Plan(workspace))
    for procedure in order.plan.procedures:
        if procedure.body.get("template") is True or not order.is_entry(procedure):
            continue
        for step in order.steps(procedure):
            deploys = order.unsynced(procedure, step)
            if deploys:
                yield _finding(rule, step, deploys, syncs)


class _Order:
    """Which deploys of each procedure run before any sync."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._called: set[str] = set()
        self._steps = {key_of(p): plan.steps(p) for p in plan.procedures}
        for steps in self._steps.values():
            for step in steps:
                self._called.update(plan.callees(step.execution))

    def steps(self, procedure: Resource) -> list[Step]:
        """The procedure's active steps, computed once."""
        return self._steps.get(key_of(procedure), [])

    def is_entry(self, procedure: Resource) -> bool:
        """Not run by another procedure here, or started by its own schedule."""
        return procedure.name not in self._called or schedule_runs(procedure)

    def unsynced(
        self, procedure: Resource, step: Step, path: tuple[str, ...] = ()
    ) -> list[Effect]:
        """Deploy effects of ``step`` that no earlier stage has synced for."""
        steps = self.steps(procedure)
        if any(s.stage < step.stage and _syncs(s) for s in steps):
            return []
        found = [] if _syncs_here(steps, step.stage) else _direct_deploys(step)
        for callee in self.plan.callees(step.execution):
            if callee in path or callee == procedure.name:
                continue
            for effect in self._naked(callee, (*path, procedure.name or "")):
                found.append(_through(callee, effect))
        return found

    def _naked(self, name: str, path: tuple[str, ...]) -> list[Effect]:
        return [
            effect
            for procedure in self.plan.named(name)
            for step in self.steps(procedure)
            for effect in self.unsynced(procedure, step, path)
        ]


def _syncs(step: Step) -> bool:
    return any(effect.act is Act.SYNC for effect in step.effects)


def _syncs_here(steps: list[Step], stage: int) -> bool:
    return any(s.stage == stage and _syncs(s) for s in steps)


def _direct_deploys(step: Step) -> list[Effect]:
    return [e for e in step.effects if e.act is Act.DEPLOY and not e.via]


def _through(callee: str, effect: Effect) -> Effect:
    return Effect(
        effect.act, effect.selector, effect.execution_type, (callee, *effect.via)
    )


def _finding(
    rule: RuleInfo, step: Step, deploys: list[Effect], syncs: list[str]
) -> Finding:
    execution = step.execution
    open_ended = any(effect.selector.open_ended for effect in deploys)
    what = "; ".join(effect.shown for effect in deploys)
    names = ", ".join(repr(name) for name in syncs[:3])
    if open_ended:
        effect = (
            "stacks and deployments added in git are not created yet, so the "
            "pattern never meets them and they are never deployed; changed "
            "config is deployed old"
        )
    else:
        effect = "config changes pushed to git are deployed old"
    return rule.finding(
        f"{execution.label} deploys ({what}) before any stage runs RunSync, "
        f"while the tree declares resource_sync {names}: {effect}",
        location=execution.at("type", value=True),
        resource=ref(execution.procedure),
        hint="add a stage running RunSync for the sync that declares these "
        "resources before this stage (stages run in order; executions of one "
        "stage run in parallel)",
        severity=Severity.WARNING if open_ended else Severity.INFO,
    )


RULE = RuleInfo(
    code="KG613",
    name="deploy-before-sync",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
