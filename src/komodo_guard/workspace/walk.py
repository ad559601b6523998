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
    unreadable: frozenset[str] = frozenset()


def list_tree(root: Path) -> TreeListing:
    """Walk ``root`` once; symlinks count only when they resolve inside it."""
    base = root.resolve()
    files: set[str] = set()
    directories: set[str] = set()
    outside: set[str] = set()
    unreadable: set[str] = set()

    def refused(error: OSError) -> None:
        if error.filename:
            unreadable.add(Path(error.filename).relative_to(base).as_posix())

    for current, dirnames, filenames in os.walk(base, onerror=refused):
        here = Path(current)
        dirnames[:] = sorted(name for name in dirnames if name not in SKIPPED_DIRS)
        for name in dirnames:
            _add(here / name, base, directories, files, outside)
        for name in sorted(filenames):
            _add(here / name, base, files, files, outside)
    return TreeListing(
        frozenset(files),
        frozenset(directories),
        frozenset(outside),
        frozenset(unreadable - {"."}),
    )


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
    """Read a file of the tree, refusing anything that resolves outside ``root``,
    is larger than ``limit`` bytes or cannot be read (None then; see
    :func:`why_unread`)."""
    base = root.resolve()
    target = (base / relative).resolve()
    try:
        if not target.is_relative_to(base) or not target.is_file():
            return None
        if target.stat().st_size > limit:
            return None
        return target.read_bytes()
    except OSError:
        return None


def why_unread(root: Path, relative: str, limit: int) -> str:
    """Why :func:`read_inside` gave nothing for ``relative``, in a few words."""
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        return "it leads outside the tree (not read)"
    try:
        if not target.is_file():
            return "it is not a regular file"
        if target.stat().st_size > limit:
            return f"it is larger than {limit // (1024 * 1024)} MiB"
        with target.open("rb"):
            return "it could not be read"
    except OSError as error:
        return f"cannot read it: {error.strerror}"
