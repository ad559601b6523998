"""KG503 sync-managed-paths: managed syncs Commit cannot write back to."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.sync_managed_paths import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def sync(paths: str, managed: str = "true") -> str:
    return (
        '[[resource_sync]]\nname = "s"\n[resource_sync.config]\n'
        f"managed = {managed}\nresource_path = {paths}\n"
    )


@pytest.mark.parametrize(
    ("paths", "says"),
    [
        ('["a.toml", "b.toml"]', "resource_path has 2 entries"),
        ('["komodo"]', "`komodo` is a folder"),
        ('["resources.yaml"]', "`resources.yaml` is not a .toml file"),
        ('"komodo, a.toml"', "2 entries and its first entry `komodo` is a folder"),
    ],
)
def test_managed_sync_problems(make_tree: TreeFactory, paths: str, says: str) -> None:
    root = make_tree({"k.toml": sync(paths), "komodo/a.toml": ""})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("k.toml", 4, 1, "KG503")]
    assert says in found.message
    assert found.severity is Severity.WARNING


def test_single_toml_file_passes(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"k.toml": sync('["komodo/resources.toml"]')}), RULE) == []


def test_unmanaged_sync_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": sync('["a.toml", "stacks"]', managed="false")})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": sync('["a.toml", "b.toml"]')})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_repo34_managed_with_five_paths(shared: Path) -> None:
    found = hits(shared / "corpus" / "real" / "repo34", RULE)
    assert found == [("komodo/resource-sync.toml", 37, 1, "KG503")]


def test_corpus_repo21_single_file_passes(shared: Path) -> None:
    assert hits(shared / "corpus" / "real" / "repo21", RULE) == []
