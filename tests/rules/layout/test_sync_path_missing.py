"""KG504 sync-path-missing: resource_path entries that give Komodo nothing."""

from __future__ import annotations

import os
from pathlib import Path

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.sync_path_missing import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

REPOS = ["me/tree"]


def sync(paths: str, extra: str = "") -> str:
    return (
        '[[resource_sync]]\nname = "s"\n[resource_sync.config]\nrepo = "me/tree"\n'
        f"resource_path = {paths}\n{extra}"
    )


def test_missing_entry_is_an_error(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": sync('["k.toml", "main.toml"]')})
    (found,) = findings(root, RULE, repos=REPOS)
    assert hits(root, RULE, repos=REPOS) == [("k.toml", 5, 28, "KG504")]
    assert found.severity is Severity.ERROR
    assert "`main.toml` is not in this repository" in found.message


def test_non_toml_file_reads_nothing(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": sync('["k.toml", "stacks.yaml"]'), "stacks.yaml": ""})
    (found,) = findings(root, RULE, repos=REPOS)
    assert "silently reads nothing" in found.message


def test_existing_paths_pass(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": sync('["./k.toml", "stacks/"]'), "stacks/a.toml": ""})
    assert hits(root, RULE, repos=REPOS) == []


def test_other_repo_and_files_on_host_are_not_checked(make_tree: TreeFactory) -> None:
    text = (
        '[[resource_sync]]\nname = "a"\n[resource_sync.config]\nrepo = "other/x"\n'
        'resource_path = ["gone.toml"]\n'
        '[[resource_sync]]\nname = "b"\n[resource_sync.config]\nfiles_on_host = true\n'
        'resource_path = ["k.toml", "gone.toml"]\n'
    )
    assert hits(make_tree({"k.toml": text}), RULE, repos=REPOS) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": sync('["k.toml", "main.toml"]')})
    assert hits(root, RULE, repos=REPOS, disabled=[RULE.code]) == []


def test_link_leaving_the_tree_is_not_checked(
    make_tree: TreeFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = make_tree({"k.toml": sync('["k.toml", "linked/a.toml"]')})
    os.symlink(outside, root / "linked")
    (found,) = findings(root, RULE, repos=REPOS)
    assert found.severity is Severity.INFO
    assert "not checked" in found.message


def test_corpus_issue_676(make_tree: TreeFactory, shared: Path) -> None:
    snippet = (
        shared
        / "corpus"
        / "issues"
        / "676-resource-path-moved-before-sync-updated.toml"
    )
    root = make_tree({"komodo.toml": snippet.read_text(encoding="utf-8")})
    found = hits(root, RULE, repos=["komodo/komodo-test-config"])
    assert found == [("komodo.toml", 17, 18, "KG504")]
