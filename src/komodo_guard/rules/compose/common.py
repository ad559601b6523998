"""Small readers the compose rules share: locations, deploying Stacks, images,
volumes and ports in both of compose's syntaxes."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from komodo_guard.rules.interface import Location
from komodo_guard.workspace.compose import ComposeFile, Deployment
from komodo_guard.workspace.compose_interpolation import has_interpolation
from komodo_guard.workspace.compose_stacks import tree_join
from komodo_guard.workspace.model import Resource, Workspace
from komodo_guard.workspace.yaml_positions import KeyPath


def at(compose: ComposeFile, path: KeyPath, *, value: bool = False) -> Location:
    """The location of a key (or its value) in a compose file."""
    line, column = compose.position(path, value=value)
    return Location(compose.path, line, column)


class StackIndex:
    """The tree's Stacks by name, built once per check."""

    def __init__(self, workspace: Workspace) -> None:
        self.by_name: dict[str, list[Resource]] = {}
        for stack in workspace.of_kind("stack"):
            if stack.name:
                self.by_name.setdefault(stack.name, []).append(stack)

    def deploying(self, compose: ComposeFile) -> Iterator[tuple[Deployment, Resource]]:
        """Each Stack deploying ``compose`` with its declaration."""
        for deployment in compose.deployments:
            for stack in self.by_name.get(deployment.stack, ()):
                yield deployment, stack


def files_under(files: Sequence[str], folder: str) -> list[str]:
    """The files of the sorted ``files`` below ``folder``."""
    prefix = f"{folder}/"
    start = bisect.bisect_left(files, prefix)
    end = bisect.bisect_left(files, f"{folder}0")  # "0" sorts right after "/"
    return [file for file in files[start:end] if file.startswith(prefix)]


def split_outside_braces(text: str, separator: str) -> list[str]:
    """Split on ``separator`` except inside ``${...}`` (``${A:-x}:80``)."""
    if "${" not in text:
        return text.split(separator)
    parts: list[str] = []
    depth = 0
    current = ""
    index = 0
    while index < len(text):
        if text.startswith("${", index):
            depth += 1
            current += "${"
            index += 2
            continue
        char = text[index]
        if char == "}" and depth:
            depth -= 1
        if char == separator and not depth:
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    parts.append(current)
    return parts


@dataclass(frozen=True)
class Mount:
    """One ``volumes`` entry of a service, short or long syntax."""

    path: KeyPath
    source: str
    target: str
    read_only: bool
    bind: bool


def mounts(service_path: KeyPath, service: Mapping[str, Any]) -> Iterator[Mount]:
    """The service's volume entries that name a source."""
    entries = service.get("volumes")
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        path = (*service_path, "volumes", index)
        if isinstance(entry, str):
            mount = _short_mount(path, entry)
        elif isinstance(entry, Mapping):
            mount = _long_mount(path, entry)
        else:
            mount = None
        if mount is not None:
            yield mount


def _short_mount(path: KeyPath, entry: str) -> Mount | None:
    parts = split_outside_braces(entry, ":")
    if len(parts) < 2:
        return None
    modes = parts[2].split(",") if len(parts) > 2 else []
    source = parts[0]
    return Mount(path, source, parts[1], "ro" in modes, _looks_like_path(source))


def _long_mount(path: KeyPath, entry: Mapping[str, Any]) -> Mount | None:
    source, target = entry.get("source"), entry.get("target")
    if not isinstance(source, str) or not source:
        return None
    read_only = entry.get("read_only") in (True, "true")
    kind = entry.get("type")
    bind = kind == "bind" or (kind is None and _looks_like_path(source))
    return Mount(
        path, source, target if isinstance(target, str) else "", read_only, bind
    )


def _looks_like_path(source: str) -> bool:
    return source.startswith(("/", ".", "~", "$"))


def relative_source(compose: ComposeFile, source: str) -> str | None:
    """The tree path a relative bind-mount source points at, or None when it
    is a host path, uses a variable, or leaves the tree."""
    if not source.startswith(".") or has_interpolation(source):
        return None
    return tree_join(compose.folder, source)


def image_name(image: str) -> tuple[str, str, str]:
    """``registry/owner/name:tag@digest`` -> (repository, tag, digest)."""
    rest, _, digest = image.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        return rest[:colon], rest[colon + 1 :], digest
    return rest, "", digest
