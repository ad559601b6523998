"""KG205 execution-params: params that do not belong, required ones missing."""

from __future__ import annotations

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.references.execution_params import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def _procedure(execution: str) -> str:
    return (
        '[[procedure]]\nname = "p"\n[[procedure.config.stage]]\nname = "s"\n'
        f"executions = [\n  {{ {execution} }},\n]\n"
    )


DEPLOY_SERVICE = (
    'execution.type = "DeployStack", '
    'execution.params = { stack = "app", service = "web" }'
)


def test_old_service_param_points_at_services(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": _procedure(DEPLOY_SERVICE)})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 6, 73, "KG205")]
    assert found[0].severity is Severity.WARNING
    assert "replaced it with `services`" in found[0].message
    assert found[0].hint.startswith("did you mean `services`?")


def test_old_service_param_is_fine_for_old_komodo(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": _procedure(DEPLOY_SERVICE)})
    assert hits(root, RULE, version="1.16") == []


def test_param_of_a_later_release(make_tree: TreeFactory) -> None:
    text = _procedure(
        'execution.type = "BatchDeployStack", '
        'execution.params = { pattern = "*", tags = ["prod"] }'
    )
    found = findings(make_tree({"a.toml": text}), RULE, version="2.2")
    assert len(found) == 1
    assert "needs Komodo >= 2.3.0" in found[0].message


def test_typo_gets_a_suggestion_and_missing_target_is_an_error(
    make_tree: TreeFactory,
) -> None:
    text = _procedure(
        'execution.type = "DeployStack", execution.params = { stak = "a" }'
    )
    found = findings(make_tree({"a.toml": text}), RULE)
    by_severity = {f.severity: f for f in found}
    assert set(by_severity) == {Severity.ERROR, Severity.WARNING}
    assert "missing its target `stack`" in by_severity[Severity.ERROR].message
    assert by_severity[Severity.WARNING].hint == "did you mean `stack`?"


def test_missing_params_table_is_an_error(make_tree: TreeFactory) -> None:
    text = _procedure('execution.type = "DeployStack"')
    found = findings(make_tree({"a.toml": text}), RULE)
    assert [(f.severity, f.location.line if f.location else 0) for f in found] == [
        (Severity.ERROR, 6)
    ]
    assert "no `params` table" in found[0].message


def test_correct_params_pass(make_tree: TreeFactory) -> None:
    text = _procedure(
        'execution.type = "DeployStack", '
        'execution.params = { stack = "app", services = ["web"], stop_time = 10 }'
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_unknown_execution_is_left_to_kg204(make_tree: TreeFactory) -> None:
    text = _procedure('execution.type = "Nope", execution.params = { x = 1 }')
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": _procedure(DEPLOY_SERVICE)})
    assert hits(root, RULE, disabled=[RULE.code]) == []
