"""KG505 sync-manages-itself: a sync declared in the files it reads."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.sync_self import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

SYNC = (
    '[[resource_sync]]\nname = "infra"\n[resource_sync.config]\n'
    'resource_path = ["komodo"]\n'
)
STACK = '[[stack]]\nname = "app"\n'


def test_sync_in_its_own_folder(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/sync.toml": SYNC, "komodo/stacks.toml": STACK})
    assert hits(root, RULE) == [("komodo/sync.toml", 2, 1, "KG505")]
    (found,) = findings(root, RULE)
    assert found.severity is Severity.WARNING
    assert "ResourceSync busy" in found.message
    assert "komodo/sync.toml" in found.message
    assert "declare the sync in a file it does not read" in found.hint
    assert "delete" not in found.hint


def test_delete_mode_hint_keeps_it_declared(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/sync.toml": SYNC + "delete = true\n"})
    (found,) = findings(root, RULE)
    assert "it must stay declared" in found.hint


def test_sync_declared_outside_its_files_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"sync.toml": SYNC, "komodo/stacks.toml": STACK})
    assert hits(root, RULE) == []


def test_sync_its_match_tags_leave_out_passes(make_tree: TreeFactory) -> None:
    text = SYNC + 'match_tags = ["apps"]\n'
    root = make_tree({"komodo/sync.toml": text, "komodo/stacks.toml": STACK})
    assert hits(root, RULE) == []
    tagged = text.replace('name = "infra"', 'name = "infra"\ntags = ["apps"]')
    root = make_tree({"komodo/sync.toml": tagged})
    assert hits(root, RULE) == [("komodo/sync.toml", 2, 1, "KG505")]


def test_sync_without_resources_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/sync.toml": SYNC + "include_resources = false\n"})
    assert hits(root, RULE) == []


def test_reported_once_when_two_syncs_read_it(make_tree: TreeFactory) -> None:
    other = SYNC.replace('["komodo"]', '["komodo/sync.toml"]')
    root = make_tree({"komodo/sync.toml": SYNC, "boot/main.toml": other})
    assert hits(root, RULE) == [("komodo/sync.toml", 2, 1, "KG505")]


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/sync.toml": SYNC})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_self_managing_syncs(shared: Path) -> None:
    real = shared / "corpus/real"
    assert hits(real / "repo01", RULE) == [("komodo.toml", 125, 1, "KG505")]
    assert hits(real / "repo10", RULE) == [("komodo/resources.toml", 497, 1, "KG505")]
    assert hits(real / "repo23", RULE) == [("komodo/config.toml", 27, 1, "KG505")]
