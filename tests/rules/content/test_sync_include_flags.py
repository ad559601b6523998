"""KG501 sync-include-flags: Variables and user groups a sync never applies."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.content.sync_include_flags import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_SYNC = """[[resource_sync]]
name = "infra"
[resource_sync.config]
resource_path = [
  "komodo/stacks.toml",
  "komodo/variables.toml",
]
"""
_FILES: dict[str, str | bytes] = {
    "komodo/stacks.toml": '[[stack]]\nname = "a"\n',
    "komodo/variables.toml": '[[variable]]\nname = "TZ"\nvalue = "UTC"\n\n'
    '[[user_group]]\nname = "ops"\n',
}


def test_reported_on_the_resource_path_entry(make_tree: TreeFactory) -> None:
    root = make_tree({"sync.toml": _SYNC, **_FILES})
    found = findings(root, RULE)
    assert hits(root, RULE) == [
        ("sync.toml", 6, 3, "KG501"),
        ("sync.toml", 6, 3, "KG501"),
    ]
    messages = sorted(f.message for f in found)
    assert "include_user_groups = true" in messages[0]
    assert "include_variables = true" in messages[1]
    assert "komodo/variables.toml:1" in messages[1]


def test_flags_set_pass(make_tree: TreeFactory) -> None:
    sync = _SYNC + "include_variables = true\ninclude_user_groups = true\n"
    assert hits(make_tree({"sync.toml": sync, **_FILES}), RULE) == []


def test_a_folder_entry_is_matched(make_tree: TreeFactory) -> None:
    sync = _SYNC.replace(
        '  "komodo/stacks.toml",\n  "komodo/variables.toml",\n', '"komodo"'
    )
    sync += "include_user_groups = true\n"
    root = make_tree({"sync.toml": sync, **_FILES})
    assert hits(root, RULE) == [("sync.toml", 5, 1, "KG501")]


def test_no_declared_sync_means_no_finding(make_tree: TreeFactory) -> None:
    assert hits(make_tree(_FILES), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"sync.toml": _SYNC, **_FILES})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_repo34_variables_file_entry(shared: Path) -> None:
    root = shared / "corpus" / "real" / "repo34"
    found = findings(root, RULE)
    assert [(f.location.path, f.location.line) for f in found if f.location] == [
        ("komodo/resource-sync.toml", 29)
    ]
    for line in (9, 14, 19):
        assert f"komodo/variables.toml:{line}" in found[0].message
