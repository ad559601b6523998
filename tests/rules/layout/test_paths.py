"""The path entries a Stack or ResourceSync names, with their key paths."""

from __future__ import annotations

from komodo_guard.komodo.model import load
from komodo_guard.rules.layout.paths import (
    PathEntry,
    compose_files,
    config_files,
    env_files,
    resource_paths,
)
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.model import Resource
from tests.conftest import TreeFactory


def _first(make_tree: TreeFactory, text: str) -> Resource:
    workspace = collect(make_tree({"a.toml": text}), load(None))
    return workspace.resources[0]


def test_file_paths_array_and_string(make_tree: TreeFactory) -> None:
    stack = _first(
        make_tree,
        '[[stack]]\nname = "s"\n[stack.config]\nfile_paths = ["a.yml", "", "b.yml"]\n',
    )
    assert [(e.path, e.keys) for e in compose_files(stack)] == [
        ("a.yml", ("config", "file_paths", 0)),
        ("b.yml", ("config", "file_paths", 2)),
    ]
    stack = _first(
        make_tree,
        '[[stack]]\nname = "s"\n[stack.config]\nfile_paths = "a.yml, b.yml # base"\n',
    )
    assert [e.path for e in compose_files(stack)] == ["a.yml", "b.yml"]


def test_env_and_config_file_forms(make_tree: TreeFactory) -> None:
    stack = _first(
        make_tree,
        '[[stack]]\nname = "s"\n[stack.config]\n'
        'additional_env_files = ["a.env", { path = "b.env", track = false }]\n'
        'config_files = [{ path = "c.conf", track = false }, 3]\n',
    )
    assert env_files(stack) == [
        PathEntry(
            "additional_env_files", "a.env", ("config", "additional_env_files", 0)
        ),
        PathEntry(
            "additional_env_files",
            "b.env",
            ("config", "additional_env_files", 1, "path"),
            track=False,
        ),
    ]
    assert config_files(stack) == [
        PathEntry("config_files", "c.conf", ("config", "config_files", 0, "path")),
    ]


def test_resource_paths_keep_empty_entries(make_tree: TreeFactory) -> None:
    sync = _first(
        make_tree,
        '[[resource_sync]]\nname = "s"\n[resource_sync.config]\n'
        'resource_path = ["", "stacks"]\n',
    )
    assert [e.path for e in resource_paths(sync)] == ["", "stacks"]
