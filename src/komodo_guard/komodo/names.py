"""Komodo's name normalisation (``validated_name`` per kind, Komodo 2.3).

Core stores a resource under a normalised name, while a ResourceSync matches
declared resources by their raw name: a declared name that is not already in
normal form never matches what Core stored.
"""

from __future__ import annotations

_DOCKER_KINDS = frozenset({"stack", "build"})
_CONTAINER_KINDS = frozenset({"deployment"})
_PATH_KINDS = frozenset({"repo"})


def normalize_name(kind: str, name: str) -> str:
    """The name Komodo stores for a ``kind`` resource created as ``name``.

    Stacks and builds get a docker-compatible name, deployments a
    container-compatible one, repos a path-compatible one; every other kind
    only has newlines replaced.
    """
    if kind in _DOCKER_KINDS:
        return docker_compatible(name)
    if kind in _CONTAINER_KINDS:
        return container_compatible(name)
    if kind in _PATH_KINDS:
        return path_compatible(name)
    return general(name)


def general(name: str) -> str:
    """Trimmed, with each newline replaced by ``_``."""
    return name.strip().replace("\n", "_")


def path_compatible(name: str) -> str:
    """Trimmed, with spaces and newlines replaced by ``_``."""
    return name.strip().replace(" ", "_").replace("\n", "_")


def container_compatible(name: str) -> str:
    """``[A-Za-z0-9][A-Za-z0-9_.-]*``: other characters become ``_``."""
    kept = "".join(c if _is_alnum(c) or c in "_.-" else "_" for c in name.strip())
    return _strip_leading_non_alnum(kept)


def docker_compatible(name: str) -> str:
    """``[a-z0-9][a-z0-9_-]*``: lowercased, other characters become ``_``."""
    lowered = name.strip().lower()
    kept = "".join(c if _is_lower_or_digit(c) or c in "_-" else "_" for c in lowered)
    return _strip_leading_non_alnum(kept)


def _is_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _is_lower_or_digit(char: str) -> bool:
    return char.isascii() and (char.islower() or char.isdigit())


def _strip_leading_non_alnum(name: str) -> str:
    index = 0
    while index < len(name) and not _is_alnum(name[index]):
        index += 1
    return name[index:]
