"""The frozen facts a collector hands to rules about a GitOps tree."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from komodo_guard.workspace.headers import KeyPath
from komodo_guard.workspace.toml_file import TomlFile

if TYPE_CHECKING:
    from komodo_guard.komodo.model import KomodoModel, ResourceKind
    from komodo_guard.workspace.compose import ComposeFile
    from komodo_guard.workspace.install import InstallFiles


@dataclass(frozen=True)
class Resource:
    """One declared table of a top-level Komodo array, e.g. one ``[[stack]]``.

    ``kind`` is the canonical singular kind; ``table`` is the key as written
    (``stack`` or ``stacks``). ``body`` holds the values Komodo sees.
    """

    kind: str
    table: str
    index: int
    body: Mapping[str, Any]
    file: TomlFile

    @property
    def path(self) -> KeyPath:
        """The key path of this table inside its file."""
        return (self.table, self.index)

    # ``name`` and ``config`` are read hundreds of thousands of times on a large
    # tree, so each is computed once (``body`` never changes after collection).
    @functools.cached_property
    def name(self) -> str | None:
        """The declared name, or None when it is missing or not a string."""
        value = self.body.get("name")
        return value if isinstance(value, str) else None

    @functools.cached_property
    def config(self) -> Mapping[str, Any]:
        """The ``config`` table (empty when absent or not a table)."""
        value = self.body.get("config")
        return value if isinstance(value, Mapping) else {}

    @property
    def label(self) -> str:
        """``stack 'name'`` for messages."""
        return f"{self.kind} {self.name!r}" if self.name is not None else self.kind

    def position(self, *keys: str | int, value: bool = False) -> tuple[int, int]:
        """Best (line, column) of a key below this resource."""
        return self.file.position((*self.path, *keys), value=value)


@dataclass(frozen=True)
class SyncScope:
    """A group of resource files applied together by one ResourceSync.

    ``sync`` is the declaring ``[[resource_sync]]`` or None for the implicit
    group used when the tree declares no sync that reads it. ``folder`` is
    the folder of the tree holding the sync's repository (``""`` is the root):
    its ``resource_path`` entries are read below it.
    """

    name: str
    sync: Resource | None
    files: tuple[str, ...]
    missing_paths: tuple[str, ...] = ()
    folder: str = ""


@dataclass(frozen=True)
class RepoIdentity:
    """Which git repositories this tree is, and how that was learned.

    ``folders`` maps a Repo resource name or a normalised git ``owner/name`` to
    the folder of the tree holding that repository's files (``[tree] folders``,
    ``""`` is the root); ``linked`` maps each declared Repo resource's name to
    its git ``repo``.
    """

    names: frozenset[str] = frozenset()
    evidence: str = ""
    folders: Mapping[str, str] = field(default_factory=dict)
    linked: Mapping[str, str] = field(default_factory=dict)

    def is_this_tree(self, repo: str) -> bool:
        """True when a ``repo = "owner/name"`` value names this tree."""
        return normalize_repo(repo) in self.names

    def folder_of_repo(self, repo: str) -> str | None:
        """The tree folder holding git ``repo``: ``""`` when it is this tree,
        its mapped folder, or None when its files are not here."""
        name = normalize_repo(repo)
        if name in self.names:
            return ""
        return self.folders.get(name) if "/" in name else None

    def folder_of_linked(self, name: str) -> str | None:
        """The tree folder holding the files of the Repo resource ``name``:
        mapped directly (declared or not), else through its declared ``repo``."""
        if name in self.folders:
            return self.folders[name]
        repo = self.linked.get(name)
        return self.folder_of_repo(repo) if repo else None


@functools.lru_cache(maxsize=1024)
def normalize_repo(repo: str) -> str:
    """``Owner/Name.git/`` and ``https://host/owner/name`` -> ``owner/name``."""
    text = repo.strip().lower().rstrip("/")
    text = text.removesuffix(".git")
    if "://" in text:
        text = text.split("://", 1)[1].split("/", 1)[-1]
    if text.startswith("git@") and ":" in text:
        text = text.split(":", 1)[1]
    parts = [part for part in text.split("/") if part]
    return "/".join(parts[-2:])


@dataclass(frozen=True)
class Workspace:
    """Everything rules may know about a tree; built once by the collector."""

    root: str
    model: KomodoModel
    toml_files: tuple[TomlFile, ...]
    files: frozenset[str]
    directories: frozenset[str]
    scopes: tuple[SyncScope, ...]
    unsynced: tuple[str, ...]
    repo: RepoIdentity
    outside_links: frozenset[str] = frozenset()
    unreadable: frozenset[str] = frozenset()
    resources: tuple[Resource, ...] = field(default=())
    compose_files: tuple[ComposeFile, ...] = field(default=())
    install: InstallFiles | None = None

    def exists(self, path: str) -> bool:
        """True when ``path`` (relative, POSIX) is a file or folder in the tree."""
        clean = path.strip("/") or "."
        return clean == "." or clean in self.files or clean in self.directories

    def is_file(self, path: str) -> bool:
        """True when ``path`` (relative, POSIX) is a file in the tree."""
        return path.strip("/") in self.files

    def of_kind(self, kind: str) -> Iterator[Resource]:
        """Declared resources of one kind, in file order."""
        return (resource for resource in self.resources if resource.kind == kind)

    def kind(self, name: str) -> ResourceKind | None:
        """The model's kind for a canonical singular name."""
        return self.model.kinds.get(name)

    def declared_names(self, kind: str) -> frozenset[str]:
        """Names declared for ``kind`` anywhere in the tree."""
        return frozenset(
            resource.name for resource in self.of_kind(kind) if resource.name
        )

    def scope_of(self, file: str) -> tuple[SyncScope, ...]:
        """The sync scopes that read ``file``."""
        return tuple(scope for scope in self.scopes if file in scope.files)
