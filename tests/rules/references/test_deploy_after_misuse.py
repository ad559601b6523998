"""KG209 deploy-after-misuse: ``deploy``/``after`` where Komodo ignores them."""

from __future__ import annotations

from komodo_guard.rules.references.deploy_after_misuse import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def test_after_without_deploy(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": '[[stack]]\nname = "app"\nafter = ["db"]\n'})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 3, 1, "KG209")]
    assert "no `deploy = true`" in found[0].message


def test_deploy_and_after_on_a_build(make_tree: TreeFactory) -> None:
    text = '[[build]]\nname = "img"\ndeploy = true\nafter = ["db"]\n'
    assert hits(make_tree({"a.toml": text}), RULE) == [
        ("a.toml", 3, 1, "KG209"),
        ("a.toml", 4, 1, "KG209"),
    ]


def test_defaults_on_other_kinds_pass(make_tree: TreeFactory) -> None:
    text = '[[server]]\nname = "nas"\ndeploy = false\nafter = []\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_deploying_stack_with_after_passes(make_tree: TreeFactory) -> None:
    text = '[[deployment]]\nname = "app"\ndeploy = true\nafter = ["db"]\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": '[[stack]]\nname = "app"\nafter = ["db"]\n'})
    assert hits(root, RULE, disabled=[RULE.code]) == []
