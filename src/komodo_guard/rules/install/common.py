"""Small readers the install rules share: locations, Core settings, booleans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.rules.interface import Finding, Location
from komodo_guard.workspace.install import CoreInstall, InstallFiles, Place, Setting
from komodo_guard.workspace.model import Workspace

V2 = KomodoVersion(2, 0, 0)


def install_of(workspace: Workspace) -> InstallFiles:
    """The tree's install files (empty when the collector did not run)."""
    return workspace.install or InstallFiles()


def at(place: Place) -> Location:
    """The location of a place in a file of the tree."""
    return Location(place.path, place.line, place.column)


def cores(workspace: Workspace) -> Iterator[CoreInstall]:
    """Every Core the tree configures, services first, then standalone sources."""
    return iter(install_of(workspace).cores)


def flag(setting: Setting | None) -> bool | None:
    """A boolean setting as Core reads it: True, False, or None when unset,
    unknown, or not one of the two words Core's parser accepts."""
    if setting is None or setting.value is None or setting.from_file:
        return None
    word = setting.value.strip()
    return {"true": True, "false": False}.get(word)


def where(setting: Setting) -> str:
    """How a message names a setting at its origin: "`KEY`", or "the value of
    `KEY` (`path` line N)" when the key is written elsewhere (a ``${VAR}``
    resolved from this line)."""
    if setting.origin == setting.place:
        return f"`{setting.key}`"
    return (
        f"the value of `{setting.key}` (`{setting.place.path}` line "
        f"{setting.place.line})"
    )


def once(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Keep the first finding per location: one value written once can reach
    several Cores and databases, and is reported where it is written, once."""
    seen: set[Location | None] = set()
    for finding in findings:
        if finding.location not in seen:
            seen.add(finding.location)
            yield finding
