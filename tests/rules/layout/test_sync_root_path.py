"""KG502 sync-root-path: resource_path entries that name a whole root."""

from __future__ import annotations

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.sync_root_path import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def sync(paths: str) -> str:
    header = '[[resource_sync]]\nname = "s"\n[resource_sync.config]\n'
    return f"{header}resource_path = {paths}\n"


@pytest.mark.parametrize("entry", ["/", ".", "", "./", "//"])
def test_root_entries(make_tree: TreeFactory, entry: str) -> None:
    root = make_tree({"k.toml": sync(f'["komodo", "{entry}"]')})
    assert hits(root, RULE) == [("k.toml", 4, 28, "KG502")]
    (found,) = findings(root, RULE)
    assert found.severity is Severity.WARNING


def test_slash_walks_cores_filesystem(make_tree: TreeFactory) -> None:
    (found,) = findings(make_tree({"k.toml": sync('["/"]')}), RULE)
    assert "Core's own root filesystem" in found.message


def test_string_form(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"k.toml": sync('"komodo, ."')}), RULE) == [
        ("k.toml", 4, 17, "KG502")
    ]


def test_named_paths_pass(make_tree: TreeFactory) -> None:
    assert (
        hits(
            make_tree({"k.toml": sync('["komodo", "./stacks/", "/syncs/x.toml"]')}),
            RULE,
        )
        == []
    )


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": sync('["/"]')})
    assert hits(root, RULE, disabled=[RULE.code]) == []
