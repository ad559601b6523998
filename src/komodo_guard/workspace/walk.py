"""List a tree's files and folders without ever leaving it.

Symbolic links are never followed out of the tree: a link whose target lies outside
is recorded so rules can say it was not checked, and nothing behind it is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
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
    found = _Found()
    pending = [(str(base), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            found.unreadable.add(prefix.rstrip("/") or ".")
            continue
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            if entry.is_symlink():
                found.link(Path(entry.path), base, relative)
            elif entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS:
                    found.directories.add(relative)
                    pending.append((entry.path, f"{relative}/"))
            else:
                found.files.add(relative)
    return TreeListing(
        frozenset(found.files),
        frozenset(found.directories),
        frozenset(found.outside),
        frozenset(found.unreadable - {"."}),
    )


@dataclass
class _Found:
    files: set[str] = field(default_factory=set)
    directories: set[str] = field(default_factory=set)
    outside: set[str] = field(default_factory=set)
    unreadable: set[str] = field(default_factory=set)

    def link(self, path: Path, base: Path, relative: str) -> None:
        """A symbolic link counts as what it points at, if that is inside."""
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a loop, or a dangling chain
            self.outside.add(relative)
            return
        if not target.is_relative_to(base):
            self.outside.add(relative)
        elif target.is_dir():
            self.directories.add(relative)
        elif target.is_file():
            self.files.add(relative)


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
