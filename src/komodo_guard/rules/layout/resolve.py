"""Where a resource's files live as Komodo finds them, and whether that is here.

Komodo picks one source per Stack, Build or Repo, in this order (FACTS §2.1,
§6.2, §10.1 S24): ``files_on_host`` (files on the Periphery host), a
``linked_repo`` (the files of a declared ``[[repo]]``), an inline ``repo``, and
last the contents typed in the UI (``file_contents``, a Build's
``dockerfile``). A resource's files are checked against this tree only when
its source is a git repository that this tree is known to be, or one that
``[tree] folders`` maps to a folder of the tree (its files are then read in that
folder, and a ``..`` climbing out of it leaves the repository); anything else
is reported as another place, never guessed.

Paths are joined lexically, the way Periphery joins them: an absolute path
replaces the base (a host path, never checked here) and ``..`` is resolved
without touching the disk. Nothing outside the tree is ever looked at.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.workspace.compose_stacks import tree_join
from komodo_guard.workspace.model import Resource, Workspace


class Where(enum.StrEnum):
    """Where a resource's files are."""

    TREE = "this tree"
    OTHER_REPO = "another git repository"
    HOST = "the Periphery host"
    UI = "Komodo's UI"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Joined:
    """A path written in a resource, joined to a folder of the tree.

    ``path`` is tree-relative POSIX (``""`` is the root) when the result stays
    inside the tree; ``host`` marks an absolute path and ``leaves`` a ``..``
    that climbs above the root. ``written`` is the value as written.
    """

    written: str
    path: str = ""
    host: bool = False
    leaves: bool = False

    @property
    def inside(self) -> bool:
        """True when the path is a place in this tree that can be checked."""
        return not (self.host or self.leaves)

    @property
    def shown(self) -> str:
        """The tree-relative path for messages (``.`` for the root)."""
        return self.path or "."


@dataclass(frozen=True)
class Source:
    """Where a resource's files come from, and why that was decided.

    ``root`` is the folder of the tree everything else is relative to: a
    Stack's run directory, a Build's context (``build_path``) or a Repo's root.
    It is set only when ``where`` is :attr:`Where.TREE`.
    """

    where: Where
    why: str
    root: Joined | None = None

    @property
    def in_tree(self) -> bool:
        """True when the resource's files are in this tree at a checkable root."""
        return self.where is Where.TREE and self.root is not None and self.root.inside


def join(base: str, written: str) -> Joined:
    """Join ``written`` to the tree-relative folder ``base``, lexically."""
    if written.strip().startswith("/"):
        return Joined(written, host=True)
    combined = tree_join(base, written)
    return (
        Joined(written, leaves=True) if combined is None else Joined(written, combined)
    )


def join_within(folder: str, written: str) -> Joined:
    """Join ``written`` to ``folder``, a repository's place in the tree; a
    ``..`` climbing out of ``folder`` leaves that repository."""
    joined = join(folder, written)
    inside = joined.path == folder or joined.path.startswith(f"{folder}/")
    if folder and joined.inside and not inside:
        return Joined(written, leaves=True)
    return joined


def outside_link(workspace: Workspace, path: str) -> str | None:
    """The symlink leaving the tree that ``path`` (or a parent) goes through."""
    if not workspace.outside_links:
        return None
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if prefix in workspace.outside_links:
            return prefix
    return None


def source_of(workspace: Workspace, resource: Resource) -> Source:
    """Decide where a Stack's, Build's or Repo's files live."""
    config = resource.config
    if config.get("files_on_host") is True:
        return Source(Where.HOST, "files_on_host = true: files are on the host")
    linked = _text(config, "linked_repo")
    if linked:
        return _linked(workspace, resource, linked)
    repo = _text(config, "repo")
    if repo:
        return _git(workspace, resource, repo, f"repo = {repo!r}")
    if _text(config, "file_contents") or _text(config, "dockerfile"):
        return Source(Where.UI, "its contents are written in Komodo's UI")
    return Source(Where.UI, "no repo, linked_repo or files_on_host is set")


def _linked(workspace: Workspace, resource: Resource, linked: str) -> Source:
    folder = workspace.repo.folders.get(linked)
    if folder is not None:
        return _in_tree(resource, folder, f"linked_repo {linked!r} ([tree] folders)")
    declared = [r for r in workspace.of_kind("repo") if r.name == linked]
    if not declared:
        return Source(
            Where.UNKNOWN, f"linked_repo {linked!r} is not declared in this tree"
        )
    repo = _text(declared[0].config, "repo")
    if not repo:
        return Source(Where.UNKNOWN, f"[[repo]] {linked!r} sets no repo")
    return _git(workspace, resource, repo, f"linked_repo {linked!r} ({repo})")


def _git(workspace: Workspace, resource: Resource, repo: str, why: str) -> Source:
    folder = workspace.repo.folder_of_repo(repo)
    if folder is not None:
        return _in_tree(resource, folder, why)
    if not workspace.repo.names:
        return Source(Where.UNKNOWN, f"{why}, and which repo this tree is is unknown")
    return Source(Where.OTHER_REPO, f"{why} is not this tree")


def _in_tree(resource: Resource, folder: str, why: str) -> Source:
    if not folder:
        return Source(Where.TREE, f"{why} is this tree", _root(resource, ""))
    return Source(
        Where.TREE, f"{why} is folder `{folder}` of this tree", _root(resource, folder)
    )


def _root(resource: Resource, folder: str) -> Joined:
    """The resource's root folder, read in ``folder`` (the repository's place
    in the tree); a ``..`` climbing out of ``folder`` leaves the repository."""
    key = {"stack": "run_directory", "build": "build_path"}.get(resource.kind)
    return join_within(folder, _text(resource.config, key) if key else "")


def _text(config: Mapping[str, Any], key: str) -> str:
    value = config.get(key)
    return value if isinstance(value, str) else ""
