"""A procedure stage that pulls or syncs in parallel with a deploy it feeds.

The executions of one procedure stage run in parallel; only stages run in
order (FACTS §1.6). So one stage that

* pulls (``PullStack``, ``BatchPullStack``) and deploys the same stack, or
  pulls a Repo (``PullRepo``, ``BatchPullRepo``) that a deployed stack uses as
  its ``linked_repo``, runs two git operations on one checkout at once: the
  deploy may use the files from before the pull, or fail on the checkout's
  lock;
* runs ``RunSync`` next to a deploy, deploys what Komodo had before the sync:
  stacks the sync creates are not there yet and changed config is old.

Stacks overlap when they have the same name, when a Batch pattern selects the
other's name, or when two patterns select one declared stack (or are
written the same). ``RunProcedure`` steps count with everything the procedure
they run does; disabled stages and executions are skipped.

Failing::

    [[procedure.config.stage]]
    name = "Update"
    executions = [
      { execution.type = "BatchPullStack", execution.params.pattern = "*" },
      { execution.type = "BatchDeployStackIfChanged", execution.params.pattern = "*" },
    ]

Passing: put the pull (or the ``RunSync``) in a stage of its own before the
deploy stage, or drop the pull: a deploy pulls the stack's repository itself.
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
from komodo_guard.rules.locate import ref
from komodo_guard.rules.wiring.effects import Act, Effect, Plan, Selector, Step
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Per deploying step: a parallel sync, or a parallel pull of its stacks."""
    plan = Plan(workspace)
    overlap = _Overlap(workspace)
    for procedure in plan.procedures:
        if procedure.body.get("template") is True:
            continue
        steps = plan.steps(procedure)
        for step in steps:
            siblings = [s for s in steps if s.stage == step.stage and s is not step]
            yield from _step(rule, overlap, step, siblings)


def _step(
    rule: RuleInfo, overlap: _Overlap, step: Step, siblings: list[Step]
) -> Iterator[Finding]:
    deploys = [e for e in step.effects if e.act is Act.DEPLOY]
    if not deploys:
        return
    others = [e for s in siblings for e in s.effects]
    syncs = [e for e in others if e.act is Act.SYNC]
    if syncs:
        yield _finding(
            rule,
            step,
            f"{_shown(syncs)} runs in the same stage, in parallel, so the deploy "
            "uses the resources as they were before the sync (stacks it creates "
            "are missing, changed config is old)",
            "put RunSync in a stage of its own before the deploy stage",
        )
    for pull in (e for e in others if e.act is Act.PULL):
        shared = [name for d in deploys for name in overlap.stacks(pull, d)]
        if shared:
            yield _finding(
                rule,
                step,
                f"{pull.shown} runs in the same stage, in parallel, on the "
                f"checkout of {_some(shared)}: the deploy may read the files "
                "from before the pull, or fail on the checkout",
                "move the pull to a stage before the deploy stage, or drop it: "
                "a deploy pulls the stack's repository itself",
            )


def _some(names: list[str]) -> str:
    """The first three of ``names`` and how many more."""
    unique = list(dict.fromkeys(names))
    text = ", ".join(unique[:3])
    return f"{text} and {len(unique) - 3} more" if len(unique) > 3 else text


def _shown(effects: list[Effect]) -> str:
    return " and ".join(effect.shown for effect in effects)


def _finding(rule: RuleInfo, step: Step, problem: str, hint: str) -> Finding:
    execution = step.execution
    deploys = _shown([e for e in step.effects if e.act is Act.DEPLOY])
    return rule.finding(
        f"{execution.label} deploys ({deploys}) while {problem}",
        location=execution.at("type", value=True),
        resource=ref(execution.procedure),
        hint=f"{hint} (executions of one stage run in parallel; stages run in order)",
    )


class _Overlap:
    """Which declared stacks two effects both touch."""

    def __init__(self, workspace: Workspace) -> None:
        self.stacks_declared = sorted(workspace.declared_names("stack"))
        self.linked: Mapping[str, str] = {
            stack.name: linked
            for stack in workspace.of_kind("stack")
            if stack.name
            and isinstance(linked := stack.config.get("linked_repo"), str)
            and linked
        }

    def stacks(self, pull: Effect, deploy: Effect) -> list[str]:
        """Stacks (``stack 'web'``) the pull touches that the deploy deploys."""
        target = deploy.selector
        if target.kind != "stack":
            return []
        if pull.selector.kind == "repo":
            return [
                f"stack {stack!r}"
                for stack, repo in self.linked.items()
                if pull.selector.selects(repo) and target.selects(stack)
            ]
        if pull.selector.kind == "stack":
            return self._same_stacks(pull.selector, target)
        return []

    def _same_stacks(self, first: Selector, second: Selector) -> list[str]:
        if not first.batch:
            return [first.shown] if second.selects(first.text) else []
        if not second.batch:
            return [second.shown] if first.selects(second.text) else []
        both = [
            f"stack {name!r}"
            for name in self.stacks_declared
            if first.selects(name) and second.selects(name)
        ]
        if both or first.text != second.text:
            return both
        return [first.shown]


RULE = RuleInfo(
    code="KG614",
    name="stage-race",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
