"""KG202 name-normalization: names Komodo stores in another form."""

from __future__ import annotations

from komodo_guard.rules.references.name_normalization import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def test_stack_name_with_capitals_and_space(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": '[[stack]]\nname = "My App"\n'})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 2, 1, "KG202")]
    assert "'my_app'" in found[0].message
    assert found[0].hint == 'write name = "my_app"'
    assert found[0].severity.label == "warning"


def test_each_kind_uses_its_own_normal_form(make_tree: TreeFactory) -> None:
    text = (
        '[[deployment]]\nname = "My.App"\n'  # container names keep case and dots
        '[[repo]]\nname = "my repo"\n'  # repos lose spaces
        '[[server]]\nname = "Big Server"\n'  # other kinds are only trimmed
    )
    root = make_tree({"a.toml": text})
    found = findings(root, RULE)
    assert [(f.location.line if f.location else 0) for f in found] == [4]
    assert "'my_repo'" in found[0].message


def test_variables_and_user_groups_are_not_renamed(make_tree: TreeFactory) -> None:
    text = '[[variable]]\nname = " A "\n[[user_group]]\nname = "Ops Team "\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_normal_names_pass(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "my-app_2"\n[[deployment]]\nname = "My.App"\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_two_names_that_normalise_alike_in_one_scope(make_tree: TreeFactory) -> None:
    text = '[[server]]\nname = "db"\n[[server]]\nname = " db "\n'
    root = make_tree({"a.toml": text})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 4, 1, "KG202"), ("a.toml", 4, 1, "KG202")]
    assert any(
        "both become 'db'" in f.message and "a.toml:2" in f.message for f in found
    )


def test_clash_across_scopes_is_not_reported(make_tree: TreeFactory) -> None:
    def sync(name: str, path: str) -> str:
        return (
            f'[[resource_sync]]\nname = "{name}"\n'
            f'[resource_sync.config]\nresource_path = ["{path}"]\n'
        )

    root = make_tree(
        {
            "one.toml": sync("one", "one.toml") + '[[stack]]\nname = "app"\n',
            "two.toml": sync("two", "two.toml") + '[[stack]]\nname = "App"\n',
        }
    )
    assert hits(root, RULE) == [("two.toml", 6, 1, "KG202")]


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": '[[stack]]\nname = "My App"\n'})
    assert hits(root, RULE, disabled=[RULE.code]) == []
