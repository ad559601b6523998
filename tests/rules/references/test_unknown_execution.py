"""KG204 unknown-execution: stage executions Komodo does not know."""

from __future__ import annotations

from komodo_guard.rules.references.unknown_execution import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def _procedure(*executions: str) -> str:
    lines = "".join(f"  {{ {execution} }},\n" for execution in executions)
    return (
        '[[procedure]]\nname = "p"\n[[procedure.config.stage]]\nname = "s"\n'
        f"executions = [\n{lines}]\n"
    )


def test_misspelt_type_suggests_the_nearest(make_tree: TreeFactory) -> None:
    text = _procedure('execution.type = "DeployStacks", execution.params.stack = "a"')
    root = make_tree({"a.toml": text})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 6, 22, "KG204")]
    assert found[0].severity.label == "error"
    assert found[0].hint == 'did you mean "DeployStack"?'
    assert "stage 1, execution 1" in found[0].message


def test_execution_of_a_later_release_names_it(make_tree: TreeFactory) -> None:
    text = _procedure(
        'execution.type = "BatchPullStack", execution.params.pattern = "*"'
    )
    root = make_tree({"a.toml": text})
    found = findings(root, RULE, version="1.16")
    assert len(found) == 1
    assert "needs Komodo >= 1.17.5" in found[0].message
    assert hits(root, RULE, version="1.17.5") == []


def test_missing_type(make_tree: TreeFactory) -> None:
    text = _procedure('execution.params.stack = "a"', "enabled = true")
    found = findings(make_tree({"a.toml": text}), RULE)
    assert [f.location.line if f.location else 0 for f in found] == [6, 7]
    assert "has no execution type" in found[0].message


def test_known_types_pass(make_tree: TreeFactory) -> None:
    text = _procedure(
        'execution.type = "DeployStack", execution.params.stack = "a"',
        'execution.type = "None", execution.params = {}',
        'execution.type = "Sleep", execution.params.duration_ms = 1000',
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_alias_spellings_of_stages_are_walked(make_tree: TreeFactory) -> None:
    text = (
        '[[procedure]]\nname = "p"\n[[procedure.config.stages]]\nname = "s"\n'
        "[[procedure.config.stages.execution]]\n"
        'execution.type = "Deploy_Stack"\n'
    )
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 6, 18, "KG204")]


def test_disabled(make_tree: TreeFactory) -> None:
    text = _procedure('execution.type = "Nope", execution.params = {}')
    assert hits(make_tree({"a.toml": text}), RULE, disabled=[RULE.code]) == []
