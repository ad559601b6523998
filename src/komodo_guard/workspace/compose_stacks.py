"""Find the tree's compose files and the Stacks of this tree that deploy them.

A Stack deploys files of this tree when its git source is this tree, or a
repository that ``[tree] folders`` maps to a folder of it: its ``repo`` names
it, or its ``linked_repo`` names a mapped Repo resource or a declared
``[[repo]]`` whose ``repo`` does (``linked_repo`` wins when both are set;
``files_on_host`` stacks read the host, not git). Its compose files are
``run_directory``, read in that folder, joined with each ``file_paths`` entry
(``compose.yaml`` when there is none); a run directory climbing out of the
folder leaves the repository and deploys nothing here. Files
named like compose files (``compose.yaml``, ``docker-compose.yml``,
``*.compose.yaml``, ``compose.*.yaml``, ``docker-compose.*.yml``) are read too,
deployed or not. A deployed file whose extension is not ``.yaml``, ``.yml``,
``.json`` or none is left to the layout rules (it is not a compose file).

For every deploying Stack the collector records which variable names compose
can interpolate with: the Stack's ``environment`` (Komodo writes it to
``env_file_path`` in the run directory and passes it with ``--env-file``), that
env file if it is committed, each ``additional_env_files`` entry found in the
tree, and the ``.env`` beside the compose file. Entries that live on the host
are listed as unknown. Nothing outside the tree is ever read.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from komodo_guard.komodo.parsers import parse_string_list, read_env_block
from komodo_guard.workspace.compose import (
    MAX_COMPOSE_BYTES,
    ComposeFile,
    Deployment,
    parse_compose,
)
from komodo_guard.workspace.envfile import dotenv_names
from komodo_guard.workspace.model import RepoIdentity, Resource
from komodo_guard.workspace.walk import TreeListing, read_inside

COMPOSE_NAME = re.compile(r"^(?:(?:docker-)?compose(?:\..+)?|.+\.compose)\.ya?ml$")
# A deployed file with another extension (an env file in ``file_paths``) is
# the layout rules' finding, not a compose file to read.
COMPOSE_EXTENSIONS = frozenset({".yaml", ".yml", ".json", ""})
DEFAULT_COMPOSE_FILE = "compose.yaml"
DEFAULT_ENV_FILE = ".env"
MAX_ENV_BYTES = 1024 * 1024


def compose_files(
    root: Path,
    listing: TreeListing,
    deployed: Mapping[str, list[Deployment]],
    named: Mapping[str, ComposeFile] | None = None,
) -> tuple[ComposeFile, ...]:
    """Every compose file of the tree, with the Stacks that deploy it.

    ``deployed`` comes from :func:`deployments`; ``named`` holds the files
    :func:`parse_named` parsed (perhaps in another process), None to parse
    them here. Deployed files named otherwise are read here.
    """
    readable = {p for p in deployed if p in listing.files and _compose_extension(p)}
    if named is None:
        named = parse_named(root, named_paths(listing))
    parsed = dict(named)
    for path in sorted(readable - parsed.keys()):
        parsed[path] = parse_compose(path, read_inside(root, path, MAX_COMPOSE_BYTES))
    return tuple(
        dataclasses.replace(parsed[path], deployments=tuple(deployed.get(path, ())))
        for path in sorted(parsed)
    )


def named_paths(listing: TreeListing) -> list[str]:
    """The tree's files named like compose files, sorted."""
    return sorted(p for p in listing.files if COMPOSE_NAME.match(posixpath.basename(p)))


def parse_named(root: Path, paths: Iterable[str]) -> dict[str, ComposeFile]:
    """The compose files at ``paths`` of the tree, parsed, by path."""
    return {
        path: parse_compose(path, read_inside(root, path, MAX_COMPOSE_BYTES))
        for path in paths
    }


def deployments(
    root: Path,
    listing: TreeListing,
    resources: Iterable[Resource],
    repo: RepoIdentity,
) -> dict[str, list[Deployment]]:
    """The Stacks of this tree that deploy each tree path, in declaration order."""
    resources = list(resources)
    env = _EnvReader(root, listing)
    deployed: dict[str, list[Deployment]] = {}
    for stack, folder in _stacks_of_this_tree(resources, repo):
        for path, deployment in _deployments(stack, folder, listing, env):
            deployed.setdefault(path, []).append(deployment)
    return deployed


def _compose_extension(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in COMPOSE_EXTENSIONS


def tree_join(base: str, written: str) -> str | None:
    """``written`` joined to the tree folder ``base`` (``""`` is the root);
    None for an absolute (host) path or one that climbs out of the tree."""
    text = written.strip()
    if text.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(base or ".", text or "."))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


def _within(path: str, folder: str) -> bool:
    """True when the tree path ``path`` is ``folder`` or below it."""
    return not folder or path == folder or path.startswith(folder + "/")


def _stacks_of_this_tree(
    resources: list[Resource], repo: RepoIdentity
) -> Iterator[tuple[Resource, str]]:
    """Each Stack deploying from a repository whose files are in this tree, with
    the folder of the tree holding that repository."""
    for stack in resources:
        if stack.kind != "stack" or stack.config.get("files_on_host") is True:
            continue
        linked = _text(stack.config, "linked_repo")
        folder = (
            repo.folder_of_linked(linked)
            if linked
            else repo.folder_of_repo(_text(stack.config, "repo"))
        )
        if folder is not None:
            yield stack, folder


def _deployments(
    stack: Resource, folder: str, listing: TreeListing, env: _EnvReader
) -> Iterator[tuple[str, Deployment]]:
    config = stack.config
    run_directory = tree_join(folder, _text(config, "run_directory"))
    if run_directory is None or not _within(run_directory, folder):
        return
    environment = _environment_names(config.get("environment"))
    env_file = tree_join(
        run_directory, _text(config, "env_file_path") or DEFAULT_ENV_FILE
    )
    additional = list(_additional(config.get("additional_env_files"), run_directory))
    for written in _file_paths(config.get("file_paths")):
        path = tree_join(run_directory, written)
        if path is None:
            continue
        optional = [env_file, tree_join(posixpath.dirname(path), DEFAULT_ENV_FILE)]
        provided, looked_in, unknown = env.names(additional, optional)
        yield (
            path,
            Deployment(
                stack=stack.name or "?",
                run_directory=run_directory,
                env_file=env_file or "",
                writes_env_file=bool(environment),
                provided=environment | provided,
                looked_in=("the stack's environment", *looked_in),
                unknown=unknown,
            ),
        )


def _file_paths(value: Any) -> list[str]:
    if isinstance(value, str):
        entries = parse_string_list(value)
    elif isinstance(value, list):
        entries = [entry for entry in value if isinstance(entry, str) and entry.strip()]
    else:
        entries = []
    return entries or [DEFAULT_COMPOSE_FILE]


def _additional(value: Any, run_directory: str) -> Iterator[str | tuple[str]]:
    """Each additional env file joined to the run directory; a 1-tuple holding
    the written value when it is not in the tree."""
    entries = parse_string_list(value) if isinstance(value, str) else value
    if not isinstance(entries, list):
        return
    for entry in entries:
        written = entry.get("path") if isinstance(entry, Mapping) else entry
        if not isinstance(written, str) or not written.strip():
            continue
        joined = tree_join(run_directory, written)
        yield (written,) if joined is None else joined


def _environment_names(value: Any) -> frozenset[str]:
    if not isinstance(value, str):
        return frozenset()
    lines, _ = read_env_block(value)
    return frozenset(line.key for line in lines)


class _EnvReader:
    """Reads dotenv files of the tree once each, keeping only names."""

    def __init__(self, root: Path, listing: TreeListing) -> None:
        self.root = root
        self.listing = listing
        self.cache: dict[str, frozenset[str] | None] = {}

    def names(
        self, required: list[str | tuple[str]], optional: list[str | None]
    ) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
        """Names found, files read, and required sources that could not be
        read (host paths, files missing from the tree)."""
        found: set[str] = set()
        read: list[str] = []
        unknown: list[str] = []
        for source in required:
            if isinstance(source, tuple):
                unknown.append(f"`{source[0]}` (not in this tree)")
            elif (names := self._read(source)) is None:
                unknown.append(f"`{source}` (missing)")
            else:
                found |= names
                read.append(f"`{source}`")
        for path in optional:
            if path is not None and (names := self._read(path)) is not None:
                found |= names
                read.append(f"`{path}`")
        return frozenset(found), tuple(dict.fromkeys(read)), tuple(unknown)

    def _read(self, path: str) -> frozenset[str] | None:
        if path not in self.cache:
            raw = (
                read_inside(self.root, path, MAX_ENV_BYTES)
                if path in self.listing.files
                else None
            )
            text = raw.decode("utf-8", errors="replace") if raw is not None else None
            self.cache[path] = dotenv_names(text) if text is not None else None
        return self.cache[path]


def _text(config: Mapping[str, Any], key: str) -> str:
    value = config.get(key)
    return value if isinstance(value, str) else ""
