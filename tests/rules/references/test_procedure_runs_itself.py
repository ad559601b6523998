"""KG215 procedure-runs-itself: a RunProcedure aimed at its own procedure."""

from __future__ import annotations

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.references.procedure_runs_itself import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def procedure(target: str, kind: str = "RunProcedure") -> str:
    return (
        '[[procedure]]\nname = "nightly"\n[[procedure.config.stage]]\n'
        'name = "again"\n[[procedure.config.stage.executions]]\n'
        f'execution.type = "{kind}"\nexecution.params.procedure = "{target}"\n'
    )


def test_self_target_is_an_error(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": procedure("nightly")})
    assert hits(root, RULE) == [("a.toml", 7, 30, "KG215")]
    (found,) = findings(root, RULE)
    assert found.severity is Severity.ERROR
    assert "stage 1, execution 1 runs procedure 'nightly' itself" in found.message


def test_other_target_and_other_execution_pass(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"a.toml": procedure("backup")}), RULE) == []
    cancel = procedure("nightly", "CancelProcedure")
    assert hits(make_tree({"a.toml": cancel}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": procedure("nightly")})
    assert hits(root, RULE, disabled=[RULE.code]) == []
