"""The file paths a Stack names, each with the key that names it.

``file_paths`` is a string-list (an array, or one string split on commas and
newlines); ``additional_env_files`` and ``config_files`` are arrays whose
entries are a string or a table with a ``path`` key (FACTS §1.4). Entries of
the wrong type are left to the type-checking rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.komodo.parsers import parse_string_list
from komodo_guard.workspace.headers import KeyPath
from komodo_guard.workspace.model import Resource

DEFAULT_COMPOSE_FILE = "compose.yaml"


@dataclass(frozen=True)
class PathEntry:
    """One path as written, the key path pointing at it, and whether Komodo
    tracks it (reads, diffs and requires it; only ``additional_env_files``
    entries can opt out with ``track = false``)."""

    field: str
    path: str
    keys: KeyPath
    track: bool = True


def compose_files(stack: Resource) -> list[PathEntry]:
    """The ``file_paths`` entries (empty when the key is absent or empty)."""
    return string_list(stack, "file_paths")


def resource_paths(sync: Resource) -> list[PathEntry]:
    """A ResourceSync's ``resource_path`` entries, empty ones included."""
    return string_list(sync, "resource_path", keep_empty=True)


def string_list(
    resource: Resource, field: str, *, keep_empty: bool = False
) -> list[PathEntry]:
    """The entries of a string-list ``config`` key, each with its position."""
    value = resource.config.get(field)
    keys: KeyPath = ("config", field)
    if isinstance(value, str):
        return [PathEntry(field, p, keys) for p in parse_string_list(value)]
    if not isinstance(value, list):
        return []
    return [
        PathEntry(field, entry, (*keys, index))
        for index, entry in enumerate(value)
        if isinstance(entry, str) and (keep_empty or entry.strip())
    ]


def env_files(stack: Resource) -> list[PathEntry]:
    """The ``additional_env_files`` entries."""
    return list(_entries(stack, "additional_env_files"))


def config_files(stack: Resource) -> list[PathEntry]:
    """The ``config_files`` entries."""
    return list(_entries(stack, "config_files"))


def _entries(stack: Resource, field: str) -> Iterator[PathEntry]:
    value = stack.config.get(field)
    if not isinstance(value, list):
        return
    for index, entry in enumerate(value):
        keys: KeyPath = ("config", field, index)
        if isinstance(entry, str) and entry.strip():
            yield PathEntry(field, entry, keys)
        elif isinstance(entry, Mapping) and _is_path(entry.get("path")):
            track = field != "additional_env_files" or entry.get("track") is not False
            yield PathEntry(field, entry["path"], (*keys, "path"), track)


def _is_path(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
