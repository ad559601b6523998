"""KG201 duplicate-name: one kind, one name, twice in what one sync reads."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.references.duplicate_name import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

STACK_APP = '[[stack]]\nname = "app"\n'


def _sync(name: str, *paths: str) -> str:
    listed = ", ".join(f'"{path}"' for path in paths)
    return (
        f'[[resource_sync]]\nname = "{name}"\n'
        f"[resource_sync.config]\nresource_path = [{listed}]\n"
    )


def test_second_declaration_points_at_the_first(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_APP, "b.toml": "\n" + STACK_APP})
    found = findings(root, RULE)
    assert [(f.location and (f.location.path, f.location.line)) for f in found] == [
        ("b.toml", 3)
    ]
    assert "a.toml:2" in found[0].message
    assert found[0].severity.label == "error"


def test_third_declaration_is_reported_too(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_APP * 3})
    assert hits(root, RULE) == [("a.toml", 4, 1, "KG201"), ("a.toml", 6, 1, "KG201")]


def test_variables_and_user_groups_count(make_tree: TreeFactory) -> None:
    text = '[[variable]]\nname = "A"\n[[variable]]\nname = "A"\n'
    text += '[[user_group]]\nname = "ops"\n[[user_group]]\nname = "ops"\n'
    root = make_tree({"vars.toml": text})
    assert hits(root, RULE) == [
        ("vars.toml", 4, 1, "KG201"),
        ("vars.toml", 8, 1, "KG201"),
    ]


def test_same_name_of_different_kinds_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_APP + '[[deployment]]\nname = "app"\n'})
    assert hits(root, RULE) == []


def test_files_of_different_syncs_are_not_compared(make_tree: TreeFactory) -> None:
    procedure = '[[procedure]]\nname = "Deploy stacks"\n'
    root = make_tree(
        {
            "lisa.toml": _sync("lisa", "lisa.toml") + procedure,
            "love.toml": _sync("love", "love.toml") + procedure,
        }
    )
    assert hits(root, RULE) == []


def test_files_of_one_sync_are_compared(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "sync.toml": _sync("main", "sync.toml", "stacks"),
            "stacks/a.toml": STACK_APP,
            "stacks/b.toml": STACK_APP,
        }
    )
    assert hits(root, RULE) == [("stacks/b.toml", 2, 1, "KG201")]


def test_unsynced_files_are_not_compared(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "sync.toml": _sync("main", "sync.toml", "a.toml"),
            "a.toml": STACK_APP,
            "old/a.toml": STACK_APP,
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_APP * 2})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_repo08_duplicates(shared: Path) -> None:
    found = hits(shared / "corpus/real/repo08", RULE)
    assert sorted(found) == [
        ("services/caddy/caddy-sequoia/stack.toml", 2, 1, "KG201"),
        ("services/caddy/home/stack.toml", 2, 1, "KG201"),
        ("services/caddy/sequoia/stack.toml", 2, 1, "KG201"),
        ("services/caddy/vps/stack.toml", 2, 1, "KG201"),
        ("services/nebula-sync/home/stack.toml", 2, 1, "KG201"),
        ("services/nebula-sync/sequoia/stack.toml", 2, 1, "KG201"),
    ]


def test_corpus_repo20_procedure_in_two_syncs_passes(shared: Path) -> None:
    assert hits(shared / "corpus/real/repo20", RULE) == []
