"""KG213 source-overridden: a second source of files that Komodo ignores."""

from __future__ import annotations

import pytest

from komodo_guard.rules.references.source_overridden import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def stack(*lines: str, kind: str = "stack") -> str:
    return f'[[{kind}]]\nname = "app"\n[{kind}.config]\n' + "".join(
        f"{line}\n" for line in lines
    )


def test_files_on_host_with_repo_and_contents(make_tree: TreeFactory) -> None:
    text = stack("files_on_host = true", 'file_contents = "x"', 'repo = "o/r"')
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == [("a.toml", 6, 1, "KG213")]
    (found,) = findings(root, RULE)
    assert "sets files_on_host = true, so its `repo`, `file_contents` are" in (
        found.message
    )


def test_file_contents_next_to_a_repo_on_a_sync(make_tree: TreeFactory) -> None:
    text = stack('linked_repo = "homelab"', 'file_contents = "x"', kind="resource_sync")
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == [("a.toml", 5, 1, "KG213")]
    assert "sets linked_repo, so its `file_contents` is ignored" in (
        findings(root, RULE)[0].message
    )


def test_repo_next_to_linked_repo_is_left_to_kg211(make_tree: TreeFactory) -> None:
    text = stack('linked_repo = "homelab"', 'repo = "o/r"')
    assert hits(make_tree({"a.toml": text}), RULE) == []


@pytest.mark.parametrize(
    "lines",
    [
        ("files_on_host = true",),
        ("files_on_host = false", 'repo = "o/r"'),
        ('repo = "o/r"', 'file_contents = ""'),
        ('file_contents = "services: {}"',),
    ],
)
def test_one_source_passes(make_tree: TreeFactory, lines: tuple[str, ...]) -> None:
    assert hits(make_tree({"a.toml": stack(*lines)}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    text = stack("files_on_host = true", 'repo = "o/r"')
    assert hits(make_tree({"a.toml": text}), RULE, disabled=[RULE.code]) == []
