"""Where a resource's files live, and lexical path joining."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.rules.layout.resolve import (
    Joined,
    Where,
    join,
    outside_link,
    source_of,
)
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.model import Workspace
from tests.conftest import TreeFactory


@pytest.mark.parametrize(
    ("base", "written", "expected"),
    [
        ("", "./apps/web/", Joined("./apps/web/", "apps/web")),
        ("", "", Joined("", "")),
        ("", ".", Joined(".", "")),
        ("stacks/caddy", "../../common.env", Joined("../../common.env", "common.env")),
        ("apps", "x/../y.yml", Joined("x/../y.yml", "apps/y.yml")),
        ("apps", "../../x", Joined("../../x", leaves=True)),
        ("apps", "/srv/env/a.env", Joined("/srv/env/a.env", host=True)),
    ],
)
def test_join_is_lexical(base: str, written: str, expected: Joined) -> None:
    assert join(base, written) == expected


def test_joined_inside_and_shown() -> None:
    assert join("", ".").shown == "."
    assert join("", "a").inside
    assert not join("", "/a").inside
    assert not join("", "..").inside


def _workspace(root: Path, repos: tuple[str, ...] = ("me/tree",)) -> Workspace:
    return collect(root, load(None), repos=repos)


def _source(make_tree: TreeFactory, config: str, extra: str = "") -> tuple[Where, str]:
    text = f'[[stack]]\nname = "s"\n[stack.config]\n{config}\n{extra}'
    workspace = _workspace(make_tree({"a.toml": text, "apps/web/compose.yaml": ""}))
    source = source_of(workspace, next(workspace.of_kind("stack")))
    return source.where, source.root.path if source.root else "-"


def test_inline_repo_of_this_tree(make_tree: TreeFactory) -> None:
    config = 'repo = "Me/Tree.git"\nrun_directory = "./apps/web/"'
    assert _source(make_tree, config) == (Where.TREE, "apps/web")


def test_inline_repo_elsewhere(make_tree: TreeFactory) -> None:
    assert _source(make_tree, 'repo = "other/x"') == (Where.OTHER_REPO, "-")


def test_linked_repo_declared_here_is_this_tree(make_tree: TreeFactory) -> None:
    repo = '[[repo]]\nname = "home"\n[repo.config]\nrepo = "me/tree"\npath = "/srv/x"\n'
    config = 'linked_repo = "home"\nrun_directory = "apps/web"'
    assert _source(make_tree, config, repo) == (Where.TREE, "apps/web")


def test_linked_repo_not_declared_is_unknown(make_tree: TreeFactory) -> None:
    config = 'linked_repo = "home"\nrepo = "me/tree"'
    assert _source(make_tree, config) == (Where.UNKNOWN, "-")


def test_files_on_host_wins(make_tree: TreeFactory) -> None:
    config = 'files_on_host = true\nrepo = "me/tree"'
    assert _source(make_tree, config) == (Where.HOST, "-")


def test_ui_contents(make_tree: TreeFactory) -> None:
    assert _source(make_tree, 'file_contents = "services: {}"') == (Where.UI, "-")


def test_unknown_tree_identity(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a.toml": '[[stack]]\nname = "s"\n[stack.config]\nrepo = "a/b"\n'
            '[[stack]]\nname = "t"\n[stack.config]\nrepo = "c/d"\n'
        }
    )
    workspace = _workspace(root, repos=())
    assert not workspace.repo.names
    assert source_of(workspace, next(workspace.of_kind("stack"))).where is Where.UNKNOWN


def test_outside_link_finds_the_link_prefix(
    make_tree: TreeFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = make_tree({"a.toml": ""})
    os.symlink(outside, root / "linked")
    workspace = _workspace(root)
    assert outside_link(workspace, "linked/compose.yaml") == "linked"
    assert outside_link(workspace, "a.toml") is None
