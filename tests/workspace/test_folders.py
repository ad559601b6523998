"""``[tree] folders``: other repositories' files kept in folders of the tree."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.komodo.model import load
from komodo_guard.rules.engine import RuleSettings, run_rules
from komodo_guard.rules.interface import RuleInfo, RuleOptions
from komodo_guard.rules.layout import missing_file, sync_path_missing
from komodo_guard.rules.layout.resolve import Where, source_of
from komodo_guard.workspace.collect import FolderError, collect
from komodo_guard.workspace.model import RepoIdentity, Workspace
from tests.conftest import TreeFactory

OTHER_STACK = (
    '[[stack]]\nname = "other"\n[stack.config]\n'
    'repo = "owner/other"\nrun_directory = "{run}"\nfile_paths = ["compose.yaml"]\n'
)
LINKED_STACK = (
    '[[stack]]\nname = "web"\n[stack.config]\n'
    'linked_repo = "homelab"\nrun_directory = "web"\n'
)
SYNC = (
    '[[resource_sync]]\nname = "other"\n[resource_sync.config]\n'
    'repo = "owner/other"\nresource_path = ["{path}"]\n'
)
COMPOSE = "services:\n  app:\n    image: nginx\n"
FOLDERS = {"owner/other": "vendor/other", "homelab": ""}


def _tree(make_tree: TreeFactory, **extra: str) -> Path:
    files = {
        "komodo/stacks.toml": OTHER_STACK.format(run="app") + LINKED_STACK,
        "web/compose.yaml": COMPOSE,
        "vendor/other/app/README.md": "docs\n",
    }
    return make_tree({**files, **extra})


def _workspace(root: Path, folders: Mapping[str, str] = FOLDERS) -> Workspace:
    return collect(root, load("2.3"), repos=["owner/homelab"], folders=folders)


def _hits(workspace: Workspace, rule: RuleInfo) -> list[tuple[str, int, str]]:
    found = run_rules(workspace, [rule], RuleOptions(), RuleSettings())
    return [(f.location.path, f.location.line, f.message) for f in found]


def test_repo_identity_lookups() -> None:
    identity = RepoIdentity(
        frozenset({"owner/homelab"}),
        folders={"owner/other": "vendor/other", "tools": "vendor/tools"},
        linked={"mine": "https://github.com/Owner/Homelab.git", "up": "owner/other"},
    )
    assert identity.folder_of_repo("Owner/Homelab") == ""
    assert identity.folder_of_repo("git@github.com:owner/other.git") == "vendor/other"
    assert identity.folder_of_repo("owner/unknown") is None
    assert identity.folder_of_repo("tools") is None
    assert identity.folder_of_linked("tools") == "vendor/tools"
    assert identity.folder_of_linked("mine") == ""
    assert identity.folder_of_linked("up") == "vendor/other"
    assert identity.folder_of_linked("nowhere") is None


def test_missing_compose_file_in_a_mapped_folder(make_tree: TreeFactory) -> None:
    workspace = _workspace(_tree(make_tree))
    assert _hits(workspace, missing_file.RULE) == [
        (
            "komodo/stacks.toml",
            6,
            "stack 'other': file_paths `compose.yaml` "
            "(`vendor/other/app/compose.yaml`) is not a file in this repository; "
            "the deploy fails",
        )
    ]


def test_present_compose_file_in_a_mapped_folder(make_tree: TreeFactory) -> None:
    root = _tree(make_tree, **{"vendor/other/app/compose.yaml": COMPOSE})
    workspace = _workspace(root)
    assert _hits(workspace, missing_file.RULE) == []
    deployed = {
        c.path: [d.stack for d in c.deployments] for c in workspace.compose_files
    }
    assert deployed == {
        "vendor/other/app/compose.yaml": ["other"],
        "web/compose.yaml": ["web"],
    }


def test_without_the_mapping_another_repo_is_not_checked(
    make_tree: TreeFactory,
) -> None:
    workspace = _workspace(_tree(make_tree), folders={})
    assert _hits(workspace, missing_file.RULE) == []
    stack = next(r for r in workspace.of_kind("stack") if r.name == "other")
    assert source_of(workspace, stack).where is Where.OTHER_REPO


def test_undeclared_linked_repo_mapped_to_the_root(make_tree: TreeFactory) -> None:
    workspace = _workspace(_tree(make_tree))
    web = next(r for r in workspace.of_kind("stack") if r.name == "web")
    source = source_of(workspace, web)
    assert source.where is Where.TREE
    assert source.root is not None
    assert source.root.path == "web"


def test_run_directory_climbing_out_of_the_folder_leaves_the_repo(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "komodo/stacks.toml": OTHER_STACK.format(run="../../web"),
            "web/compose.yaml": COMPOSE,
            "vendor/other/README.md": "docs\n",
        }
    )
    workspace = _workspace(root)
    stack = next(workspace.of_kind("stack"))
    source = source_of(workspace, stack)
    assert source.root is not None
    assert source.root.leaves
    assert [c.deployments for c in workspace.compose_files] == [()]
    assert [line for _, line, _ in _hits(workspace, missing_file.RULE)] == [5]


def test_sync_mapped_to_a_folder_reads_below_it(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "komodo/sync.toml": SYNC.format(path="resources"),
            "vendor/other/resources/a.toml": '[[server]]\nname = "a"\n',
            "resources/b.toml": '[[server]]\nname = "b"\n',
        }
    )
    workspace = _workspace(root)
    (scope,) = workspace.scopes
    assert (scope.folder, scope.files) == (
        "vendor/other",
        ("vendor/other/resources/a.toml",),
    )
    assert _hits(workspace, sync_path_missing.RULE) == []


def test_sync_mapped_to_a_folder_misses_a_path_there(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "komodo/sync.toml": SYNC.format(path="resources"),
            "vendor/other/README.md": "docs\n",
            "resources/b.toml": '[[server]]\nname = "b"\n',
        }
    )
    workspace = _workspace(root)
    assert workspace.scopes[0].missing_paths == ("resources",)
    assert [line for _, line, _ in _hits(workspace, sync_path_missing.RULE)] == [5]


def test_a_mapped_folder_not_in_the_tree_is_an_error(make_tree: TreeFactory) -> None:
    with pytest.raises(FolderError, match="`owner/other` is mapped to `vendor/x`"):
        _workspace(_tree(make_tree), folders={"owner/other": "vendor/x"})


def test_cli_exits_two_for_a_mapped_folder_not_in_the_tree(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = '[tree]\nfolders = { "owner/other" = "vendor/gone" }\n'
    root = _tree(make_tree, **{"komodo-guard.toml": config})
    code = main(["lint", str(root), "--komodo-version", "2.3"])
    out, err = capsys.readouterr()
    assert (code, out, err) == (
        2,
        "",
        f"komodo-guard: error: {root}: [tree] folders: `owner/other` is mapped to "
        "`vendor/gone`, which is not a folder of this tree; fix the path "
        '(relative to the tree, "." is its root) or remove the entry\n',
    )


def test_cli_uses_the_configured_folders(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        '[tree]\nrepos = ["owner/homelab"]\n'
        'folders = { "owner/other" = "vendor/other", "homelab" = "." }\n'
    )
    root = _tree(make_tree, **{"komodo-guard.toml": config})
    code = main(["lint", str(root), "--komodo-version", "2.3", "--format", "github"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "KG401" in out
    assert "vendor/other/app/compose.yaml" in out
