import os
from pathlib import Path

import pytest

from komodo_guard.rules.files.not_checked import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits


def test_failing_outward_link(make_tree: TreeFactory, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    root = make_tree({"s.toml": '[[stack]]\nname = "a"\n'})
    (root / "shared").symlink_to(outside)
    assert hits(root, RULE) == [("shared", 1, 1, "KG006")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_failing_unreadable_folder(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": '[[stack]]\nname = "a"\n', "locked/x.toml": ""})
    (root / "locked").chmod(0)
    try:
        assert hits(root, RULE) == [("locked", 1, 1, "KG006")]
    finally:
        (root / "locked").chmod(0o755)


def test_passing_link_inside(make_tree: TreeFactory) -> None:
    root = make_tree({"real/s.toml": '[[stack]]\nname = "a"\n'})
    (root / "alias").symlink_to(root / "real")
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory, tmp_path: Path) -> None:
    root = make_tree({"s.toml": '[[stack]]\nname = "a"\n'})
    (root / "out").symlink_to(tmp_path)
    assert hits(root, RULE, disabled=["not-checked"]) == []
