"""What host rules share: where a checkout's finding points, which resource
it is about, and how file lists read."""

from __future__ import annotations

from collections.abc import Iterable

from komodo_guard.host.model import Checkout
from komodo_guard.komodo.names import normalize_name
from komodo_guard.rules.interface import HostFacts, Location, ResourceRef, RuleOptions


def at_checkout(checkout: Checkout, relative: str = "") -> Location:
    """The checkout's folder, or a file in it, as an absolute host path."""
    path = checkout.path.rstrip("/")
    return Location(f"{path}/{relative}" if relative else path)


def owner(facts: HostFacts, checkout: Checkout) -> ResourceRef | None:
    """The stack, repo or build the checkout belongs to: the folder's name,
    Komodo's own layout, unless Core or the tree is known and has no
    resource of that kind and name."""
    known = known_names(facts, checkout.kind)
    if known is not None and checkout.name not in known:
        return None
    return ResourceRef(checkout.kind, checkout.name)


def known_names(facts: HostFacts, kind: str) -> frozenset[str] | None:
    """Names of ``kind`` in Core's snapshot and the tree; None when neither
    was given (or Core's list could not be read and no tree was)."""
    names: set[str] = set()
    found = False
    if facts.snapshot is not None:
        listed = facts.snapshot.names(kind)
        if listed is not None:
            names.update(listed)
            found = True
    if facts.workspace is not None:
        names.update(
            normalize_name(kind, name) for name in facts.workspace.declared_names(kind)
        )
        found = True
    return frozenset(names) if found else None


def files(paths: Iterable[str]) -> str:
    """Paths as a message lists them: ``a.txt``, ``b/c.yaml``."""
    return ", ".join(f"`{path}`" for path in paths)


def plural(count: int, word: str) -> str:
    """``1 file``, ``3 files``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def short(commit: str) -> str:
    """A commit hash as git shows it briefly."""
    return commit[:8]


def number_option(options: RuleOptions, key: str, default: int) -> int:
    """A positive whole number from ``options.extra``, else ``default``."""
    value = options.extra.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default
