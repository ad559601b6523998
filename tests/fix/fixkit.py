"""Helpers for fix tests: plan the fixes of a real tree, apply them, read back."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.cli.run import lint_tree, load_settings
from komodo_guard.fix import FixPlan, plan_fixes
from tests.conftest import TreeFactory

FILE = "stacks.toml"


def plan(root: Path, version: str | None = None) -> FixPlan:
    """The fix plan of a full lint run over the tree at ``root``."""
    checked = lint_tree(root, load_settings(root, None), version)
    return plan_fixes(checked.result.active, checked.workspace)


def fixed(make_tree: TreeFactory, text: str | bytes) -> str:
    """``text`` as ``stacks.toml`` after ``--fix``, newlines untouched."""
    root = make_tree({FILE: text})
    plan(root).apply(root)
    return (root / FILE).read_bytes().decode("utf-8")


def unchanged(make_tree: TreeFactory, text: str) -> bool:
    """True when ``--fix`` plans nothing for ``text`` and leaves it as it is."""
    root = make_tree({FILE: text})
    found = plan(root)
    found.apply(root)
    return found.count == 0 and (root / FILE).read_text(encoding="utf-8") == text
