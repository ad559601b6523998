"""Small helpers rules use to point findings at the right place."""

from __future__ import annotations

from komodo_guard.rules.interface import Location, ResourceRef
from komodo_guard.workspace.model import Resource
from komodo_guard.workspace.toml_file import TomlFile


def at_key(resource: Resource, *keys: str | int, value: bool = False) -> Location:
    """The location of a key (or its value) below ``resource``."""
    line, column = resource.position(*keys, value=value)
    return Location(resource.file.path, line, column)


def at_path(file: TomlFile, *keys: str | int, value: bool = False) -> Location:
    """The location of a key path from the top of ``file``."""
    line, column = file.position(tuple(keys), value=value)
    return Location(file.path, line, column)


def ref(resource: Resource) -> ResourceRef | None:
    """The resource a finding is about, when it has a name."""
    return ResourceRef(resource.kind, resource.name) if resource.name else None
