"""What procedure stages do, RunProcedure expanded."""

from __future__ import annotations

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.rules.wiring.effects import Act, Plan, Selector, schedule_runs
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory
from tests.rules.wiring.procedures import DEPLOY_ALL, RUN_SYNC, procedure, stage


def plan_of(make_tree: TreeFactory, text: str) -> Plan:
    return Plan(collect(make_tree({"a.toml": text}), load(None)))


@pytest.mark.parametrize(
    ("text", "batch", "open_ended"),
    [("web", False, False), ("web, db", True, False), ("web-*", True, True),
     ("\\^web\\", True, True)],
)  # fmt: skip
def test_selector_open_ended(text: str, batch: bool, open_ended: bool) -> None:
    assert Selector("stack", text, batch).open_ended is open_ended


def test_selector_selects_names_and_patterns() -> None:
    assert Selector("stack", "web", False).selects("web")
    assert not Selector("stack", "web", False).selects("web-2")
    assert Selector("stack", "web-*, db", True).selects("web-2")
    assert Selector("stack", "web-*, db", True).selects("db")


def test_steps_skip_disabled_and_expand_procedures(make_tree: TreeFactory) -> None:
    text = procedure("inner", stage("Deploy", DEPLOY_ALL)) + procedure(
        "outer",
        stage("Off", RUN_SYNC, enabled=False),
        stage("Run", ("RunProcedure", 'procedure = "inner"'), RUN_SYNC),
    )
    plan = plan_of(make_tree, text)
    outer = plan.named("outer")[0]
    steps = plan.steps(outer)
    assert [(s.stage, s.execution.type) for s in steps] == [
        (1, "RunProcedure"),
        (1, "RunSync"),
    ]
    (deploy,) = steps[0].effects
    assert (deploy.act, deploy.via) == (Act.DEPLOY, ("inner",))
    assert deploy.shown == (
        "BatchDeployStackIfChanged (stacks matching '*') through procedure 'inner'"
    )


def test_procedure_cycles_end(make_tree: TreeFactory) -> None:
    text = procedure(
        "a", stage("Run", ("RunProcedure", 'procedure = "b"'), DEPLOY_ALL)
    ) + procedure("b", stage("Run", ("BatchRunProcedure", 'pattern = "a"')))
    plan = plan_of(make_tree, text)
    run_b, deploy = plan.steps(plan.named("a")[0])
    assert run_b.effects == ()
    assert [e.via for e in deploy.effects] == [()]
    (run_a,) = plan.steps(plan.named("b")[0])
    assert [(e.act, e.via) for e in run_a.effects] == [(Act.DEPLOY, ("a",))]


def test_schedule_runs(make_tree: TreeFactory) -> None:
    text = (
        procedure("on", config='schedule = "Every day at 04:00"')
        + procedure("off", config='schedule = "x"\nschedule_enabled = false')
        + procedure("none")
    )
    plan = plan_of(make_tree, text)
    assert [schedule_runs(p) for p in plan.procedures] == [True, False, False]
