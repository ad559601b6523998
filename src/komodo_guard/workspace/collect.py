"""The workspace collector: all the I/O for a tree, done once.

It lists the tree, parses every TOML file that holds Komodo tables (or that a sync
reads), extracts the declared resources, works out which sync reads which file and
which repository the tree is, and returns a frozen :class:`Workspace`.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from komodo_guard.background import Background, can_fork
from komodo_guard.komodo.model import KomodoModel
from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.workspace import compose_stacks, gitinfo, scopes
from komodo_guard.workspace.compose import ComposeFile
from komodo_guard.workspace.install import read_install_files
from komodo_guard.workspace.model import Resource, SyncScope, Workspace
from komodo_guard.workspace.text import TextProblem, is_blank
from komodo_guard.workspace.toml_file import TomlFile, parse_toml
from komodo_guard.workspace.walk import TreeListing, list_tree, read_inside, why_unread

log = logging.getLogger(__name__)

MAX_TOML_BYTES = 20 * 1024 * 1024
# Core doubles backslashes inside triple-quoted strings since this release (#248).
ESCAPE_RULE_SINCE = KomodoVersion(1, 17, 0)
# From this many files named like compose files on, a child process parses them.
PARALLEL_COMPOSE_FROM = 200


class FolderError(ValueError):
    """A ``[tree] folders`` entry names a folder the tree does not have."""

    def __init__(self, key: str, folder: str) -> None:
        super().__init__(
            f"[tree] folders: `{key}` is mapped to `{folder}`, which is not a "
            'folder of this tree; fix the path (relative to the tree, "." is '
            "its root) or remove the entry"
        )
        self.key = key
        self.folder = folder


@dataclass(frozen=True)
class _Configured:
    """What komodo-guard.toml says about the tree's repositories."""

    repos: Iterable[str]
    folders: Mapping[str, str]

    def names(self) -> list[str]:
        """The git repositories this tree is: ``[tree] repos`` and the git
        keys of ``[tree] folders`` mapped to the root."""
        at_root = [key for key, folder in self.folders.items() if not folder]
        return [*self.repos, *(key for key in at_root if "/" in key)]


def collect(
    root: Path,
    model: KomodoModel,
    *,
    repos: Iterable[str] = (),
    folders: Mapping[str, str] | None = None,
) -> Workspace:
    """Read the tree at ``root`` for the Komodo version of ``model``.

    ``repos`` are the git repositories this tree is; ``folders`` maps a Repo
    resource name or git ``owner/name`` to the tree folder holding its files
    (``""`` is the root). Raises :class:`FolderError` when a mapped folder is
    not in the tree. In a tree with many compose files, a forked child parses
    those while this process reads the TOML files.
    """
    listing = list_tree(root)
    folders = dict(folders or {})
    for key, folder in folders.items():
        if folder and folder not in listing.directories:
            raise FolderError(key, folder)
    named = compose_stacks.named_paths(listing)
    if len(named) < PARALLEL_COMPOSE_FROM or not can_fork():
        return _collect(root, model, _Configured(repos, folders), listing, lambda: None)
    with Background(lambda: compose_stacks.parse_named(root, named)) as early:
        return _collect(root, model, _Configured(repos, folders), listing, early.result)


def _collect(
    root: Path,
    model: KomodoModel,
    configured: _Configured,
    listing: TreeListing,
    named_compose: Callable[[], Mapping[str, ComposeFile] | None],
) -> Workspace:
    table_names = _table_names(model)
    marker = _komodo_marker(table_names)
    parsed = [
        parsed
        for path in sorted(listing.files)
        if path.endswith(".toml")
        and (parsed := _read_toml(root, path, model, marker)) is not None
    ]
    resources = tuple(_resources(parsed, model))
    repo_of = _repo_resources(resources)
    syncs = [r for r in resources if r.kind == "resource_sync"]
    identity = scopes.identify_repo(
        configured.names(),
        gitinfo.remote_repos(root),
        syncs,
        [r for r in resources if r.kind == "stack"],
        listing,
        repo_of,
    )
    identity = dataclasses.replace(
        identity,
        folders=MappingProxyType(dict(configured.folders)),
        linked=MappingProxyType(repo_of),
    )
    declared = scopes.sync_scopes(syncs, listing, identity)
    parsed = _parse_scoped(root, parsed, declared, model)
    resource_files = [f.path for f in parsed if _holds_komodo(f, table_names)]
    sync_scopes, unsynced = _assign(declared, resource_files)
    read = {path for scope in sync_scopes for path in scope.files} | set(resource_files)
    deployed = compose_stacks.deployments(root, listing, resources, identity)
    compose_files = compose_stacks.compose_files(
        root, listing, deployed, named_compose()
    )
    return Workspace(
        root=str(root),
        model=model,
        toml_files=tuple(f for f in parsed if f.path in read),
        files=listing.files,
        directories=listing.directories,
        scopes=tuple(sync_scopes),
        unsynced=tuple(unsynced),
        repo=identity,
        outside_links=listing.outside_links,
        unreadable=listing.unreadable,
        resources=tuple(r for r in resources if r.file.path in read),
        compose_files=compose_files,
        install=read_install_files(
            root, listing, compose_files, resources, model.toml_spec
        ),
    )


def _table_names(model: KomodoModel) -> dict[str, str]:
    names = {}
    for kind in model.kinds.values():
        names[kind.name] = kind.name
        names[kind.plural] = kind.name
    return names


def _komodo_marker(table_names: Mapping[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, table_names), key=len, reverse=True))
    return re.compile(
        rf"^\s*(?:\[\[?\s*[\"']?(?:{alternatives})[\"']?\s*[\].]|(?:{alternatives})\s*[.=])",
        re.MULTILINE,
    )


def _parse(path: str, raw: bytes, model: KomodoModel) -> TomlFile:
    """Parse like the target Komodo: its TOML version, and its backslash rule
    from the release that introduced it."""
    escape = model.version >= ESCAPE_RULE_SINCE
    return parse_toml(path, raw, model.toml_spec, komodo_escape_rule=escape)


def _read_toml(
    root: Path, path: str, model: KomodoModel, marker: re.Pattern[str]
) -> TomlFile | None:
    toml_spec = model.toml_spec
    raw = read_inside(root, path, MAX_TOML_BYTES)
    if raw is None:
        reason = why_unread(root, path, MAX_TOML_BYTES)
        problem = TextProblem("too-large", f"not read: {reason}")
        return TomlFile(path, None, None, {}, (), (problem,), toml_spec)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: Komodo cannot read it either; say so instead of skipping it.
        return _parse(path, raw, model)
    if not marker.search(text) and not is_blank(text):
        log.debug("skipped %s: no Komodo tables", path)
        return TomlFile(path, None, {}, {}, (), (), toml_spec)
    return _parse(path, raw, model)


def _parse_scoped(
    root: Path, parsed: list[TomlFile], declared: list[SyncScope], model: KomodoModel
) -> list[TomlFile]:
    """Fully parse files a sync reads that the quick scan skipped: Komodo parses
    every ``.toml`` file of a sync, and one that fails stops the whole sync."""
    scoped = {path for scope in declared for path in scope.files}
    result = []
    for file in parsed:
        if file.path in scoped and file.text is None and not file.problems:
            raw = read_inside(root, file.path, MAX_TOML_BYTES)
            file = _parse(file.path, raw, model) if raw is not None else file
        result.append(file)
    return result


def _holds_komodo(file: TomlFile, table_names: Mapping[str, str]) -> bool:
    if file.data is None:
        return file.text is not None or bool(file.problems)
    return any(key in table_names for key in file.data) or any(
        p.kind == "empty" for p in file.problems
    )


def _resources(files: Iterable[TomlFile], model: KomodoModel) -> Iterator[Resource]:
    for file in files:
        for key, value in (file.data or {}).items():
            kind = model.kind_for_table(key)
            if kind is None or not isinstance(value, list):
                continue
            for index, body in enumerate(value):
                if isinstance(body, Mapping):
                    yield Resource(kind.name, key, index, body, file)


def _repo_resources(resources: Iterable[Resource]) -> dict[str, str]:
    """Declared Repo resources by name -> their git ``repo``."""
    found = {}
    for resource in resources:
        repo = resource.config.get("repo")
        if resource.kind == "repo" and resource.name and isinstance(repo, str):
            found[resource.name] = repo
    return found


def _assign(
    declared: list[SyncScope], resource_files: list[str]
) -> tuple[list[SyncScope], list[str]]:
    if not declared:
        implicit = SyncScope(scopes.IMPLICIT_SCOPE, None, tuple(resource_files))
        return [implicit], []
    covered = {path for scope in declared for path in scope.files}
    return declared, [path for path in resource_files if path not in covered]


def listing_of(workspace: Workspace) -> TreeListing:
    """The tree listing a workspace was built from (for path resolution)."""
    return TreeListing(
        workspace.files,
        workspace.directories,
        workspace.outside_links,
        workspace.unreadable,
    )
