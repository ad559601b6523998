"""List a tree's files and folders without ever leaving it.

Symbolic links are never followed out of the tree: a link whose target lies outside
is recorded so rules can say it was not checked, and nothing behind it is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "__pycache__"})


@dataclass(frozen=True)
class TreeListing:
    """Relative POSIX paths of a tree's files, folders and outward links."""

    files: frozenset[str]
    directories: frozenset[str]
    outside_links: frozenset[str]


def list_tree(root: Path) -> TreeListing:
    """Walk ``root`` once; symlinks count only when they resolve inside it."""
    base = root.resolve()
    files: set[str] = set()
    directories: set[str] = set()
    outside: set[str] = set()
    for current, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(current)
        dirnames[:] = sorted(name for name in dirnames if name not in SKIPPED_DIRS)
        for name in dirnames:
            _add(here / name, base, directories, files, outside)
        for name in sorted(filenames):
            _add(here / name, base, files, files, outside)
    return TreeListing(frozenset(files), frozenset(directories), frozenset(outside))


def _add(
    path: Path, base: Path, bucket: set[str], files: set[str], outside: set[str]
) -> None:
    relative = path.relative_to(base).as_posix()
    if not path.is_symlink():
        bucket.add(relative)
        return
    target = path.resolve()
    if not target.is_relative_to(base):
        outside.add(relative)
    elif target.is_dir():
        bucket.add(relative)
    elif target.is_file():
        files.add(relative)


def read_inside(root: Path, relative: str, limit: int) -> bytes | None:
    """Read a file of the tree, refusing anything that resolves outside ``root``
    or is larger than ``limit`` bytes (None then)."""
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    if target.stat().st_size > limit:
        return None
    return target.read_bytes()
