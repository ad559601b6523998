"""KG207 after-unknown: ``after`` entries naming nothing in the same sync."""

from __future__ import annotations

from komodo_guard.rules.references.after_unknown import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

APP = '[[stack]]\nname = "app"\ndeploy = true\nafter = ["db", "traefik"]\n'


def test_unknown_entry_is_reported_at_the_entry(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": APP + '[[deployment]]\nname = "db"\n'})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 4, 16, "KG207")]
    assert "'traefik'" in found[0].message
    assert found[0].severity.label == "warning"


def test_near_miss_gets_a_suggestion(make_tree: TreeFactory) -> None:
    text = APP + '[[stack]]\nname = "db"\n[[stack]]\nname = "treafik"\n'
    found = findings(make_tree({"a.toml": text}), RULE)
    assert [f.hint for f in found] == ['did you mean "treafik"?']


def test_declared_in_the_same_sync_passes(make_tree: TreeFactory) -> None:
    text = APP + '[[stack]]\nname = "db"\n[[deployment]]\nname = "traefik"\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_declared_only_in_another_sync_is_reported(make_tree: TreeFactory) -> None:
    def sync(name: str, path: str) -> str:
        return (
            f'[[resource_sync]]\nname = "{name}"\n'
            f'[resource_sync.config]\nresource_path = ["{path}"]\n'
        )

    root = make_tree(
        {
            "one.toml": sync("one", "one.toml") + APP + '[[stack]]\nname = "db"\n',
            "two.toml": sync("two", "two.toml") + '[[stack]]\nname = "traefik"\n',
        }
    )
    found = findings(root, RULE)
    assert hits(root, RULE) == [("one.toml", 8, 16, "KG207")]
    assert "resource_sync 'one'" in found[0].message


def test_other_kinds_are_left_to_kg209(make_tree: TreeFactory) -> None:
    text = '[[build]]\nname = "b"\nafter = ["nothing"]\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": APP})
    assert hits(root, RULE, disabled=[RULE.code]) == []
