"""KG101 unknown-table: top-level tables that are not Komodo kinds."""

from __future__ import annotations

from komodo_guard.rules.resources.unknown_table import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

FILE = """\
[[git_provider]]
name = "github"

[[stacks_]]
name = "app"

[[stack]]
name = "ok"
"""


def test_reports_tables_komodo_drops(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/resources.toml": FILE})
    assert [(line, code) for _, line, _, code in hits(root, RULE)] == [
        (1, "KG101"),
        (4, "KG101"),
    ]


def test_says_where_core_config_tables_belong(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/resources.toml": FILE})
    provider, typo = findings(root, RULE)
    assert "[[git_provider]]" in provider.message
    assert "Core's config file" in provider.hint
    assert "did you mean [[stacks]]?" in typo.message


def test_single_table_and_plain_key(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"r.toml": 'title = "x"\n[stack_x]\na = 1\n[[stack]]\nname = "a"\n'}
    )
    messages = [f.message for f in findings(root, RULE)]
    assert messages[0].startswith("top-level key `title`")
    assert messages[1].startswith("top-level table [stack_x]")
    assert "did you mean [[stack]]?" in messages[1]


def test_every_kind_and_plural_passes(make_tree: TreeFactory) -> None:
    text = "".join(
        f'[[{table}]]\nname = "x"\n'
        for table in (
            "stack",
            "stacks",
            "server",
            "deployments",
            "variable",
            "user_groups",
        )
    )
    assert hits(make_tree({"r.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/resources.toml": FILE})
    assert hits(root, RULE, disabled=[RULE.code]) == []
