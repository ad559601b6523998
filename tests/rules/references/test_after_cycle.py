"""KG208 after-cycle: deploy ordering that can never finish."""

from __future__ import annotations

from komodo_guard.rules.references.after_cycle import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def _stack(name: str, *after: str, deploy: bool = True, kind: str = "stack") -> str:
    listed = ", ".join(f'"{entry}"' for entry in after)
    return (
        f'[[{kind}]]\nname = "{name}"\ndeploy = {str(deploy).lower()}\n'
        f"after = [{listed}]\n"
    )


def test_two_cycle_reported_once_with_the_whole_cycle(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": _stack("a", "b") + _stack("b", "a")})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 4, 1, "KG208")]
    assert "stack 'a' -> stack 'b' -> stack 'a'" in found[0].message
    assert found[0].severity.label == "error"


def test_three_cycle_across_kinds_and_files(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a.toml": _stack("a", "b") + _stack("c", "a", kind="deployment"),
            "b.toml": _stack("b", "c"),
        }
    )
    found = findings(root, RULE)
    assert len(found) == 1
    assert "stack 'a' -> stack 'b' -> deployment 'c' -> stack 'a'" in found[0].message


def test_self_reference_is_a_cycle(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": _stack("a", "a")})
    assert hits(root, RULE) == [("a.toml", 4, 1, "KG208")]


def test_two_separate_cycles(make_tree: TreeFactory) -> None:
    text = _stack("a", "b") + _stack("b", "a") + _stack("c", "d") + _stack("d", "c")
    assert hits(make_tree({"a.toml": text}), RULE) == [
        ("a.toml", 4, 1, "KG208"),
        ("a.toml", 12, 1, "KG208"),
    ]


def test_chain_passes(make_tree: TreeFactory) -> None:
    text = _stack("a") + _stack("b", "a") + _stack("c", "a", "b")
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_member_without_deploy_breaks_the_cycle(make_tree: TreeFactory) -> None:
    text = _stack("a", "b") + _stack("b", "a", deploy=False)
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": _stack("a", "b") + _stack("b", "a")})
    assert hits(root, RULE, disabled=[RULE.code]) == []
