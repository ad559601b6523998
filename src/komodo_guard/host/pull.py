"""What the next pull of a checkout does to the files on disk.

Komodo's pull moves the checkout from HEAD to ``origin/<branch>``. Every path
the upstream adds (``git diff --diff-filter=A HEAD origin/<branch>``) must be
written: when something already stands there (a file, a non-empty folder, or
a file where the path needs a folder) git refuses if it is untracked and
overwrites it if it is ignored, which ``git check-ignore`` tells apart. When
the checkout also has local commits, the files where replaying them conflicts
come from ``git merge-tree``, which touches neither the work tree nor refs.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

from komodo_guard.host.gitrun import Git
from komodo_guard.host.model import Checkout


def compare(git: Git, root: Path, checkout: Checkout) -> Checkout:
    """Collisions when the upstream moved on, conflicts when both did."""
    if not checkout.upstream or not checkout.behind:
        return checkout
    added, deleted = _changes(git, checkout.upstream)
    candidates = sorted(_in_the_way(root, added, deleted))
    ignored = _ignored(git, candidates)
    conflicts: tuple[str, ...] = ()
    if checkout.ahead:
        conflicts = _conflicts(git, checkout.upstream)
    return replace(
        checkout,
        untracked_collisions=tuple(p for p in candidates if p not in ignored),
        ignored_collisions=tuple(p for p in candidates if p in ignored),
        rebase_conflicts=conflicts,
    )


def _changes(git: Git, upstream: str) -> tuple[list[str], set[str]]:
    result = git.run(
        "diff",
        "--name-status",
        "--no-renames",
        "--diff-filter=AD",
        "-z",
        "HEAD",
        upstream,
    )
    fields = result.fields()
    pairs = zip(fields[::2], fields[1::2], strict=False)
    added: list[str] = []
    deleted: set[str] = set()
    for status, path in pairs:
        if status == "A":
            added.append(path)
        else:
            deleted.add(path)
    return added, deleted


def _in_the_way(root: Path, added: list[str], deleted: set[str]) -> set[str]:
    """Paths on disk that git would have to replace to write ``added``: the
    path itself, or a parent that is a file (tracked ones the upstream
    deletes are git's own business)."""
    found: set[str] = set()
    for path in added:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            kind = mode(root / parent)
            if kind is not None and not stat.S_ISDIR(kind) and parent not in deleted:
                found.add(parent)
                break
        else:
            if _occupied(root / path):
                found.add(path)
    return found


def mode(path: Path) -> int | None:
    """The lstat mode of ``path``, or None when nothing is there."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def _occupied(path: Path) -> bool:
    kind = mode(path)
    if kind is None:
        return False
    if stat.S_ISDIR(kind):
        return any(path.iterdir())
    return True


def _ignored(git: Git, paths: list[str]) -> set[str]:
    if not paths:
        return set()
    stdin = "".join(f"{path}\0" for path in paths).encode()
    result = git.run("check-ignore", "-z", "--stdin", stdin=stdin, ok=(0, 1))
    return set(result.fields())


def _conflicts(git: Git, upstream: str) -> tuple[str, ...]:
    result = git.run(
        "merge-tree",
        "--write-tree",
        "--name-only",
        "--no-messages",
        upstream,
        "HEAD",
        ok=(0, 1),
    )
    if result.code == 0:
        return ()
    return tuple(sorted(set(result.lines()[1:])))
