"""Secret Variables a ResourceSync would blank.

A ``[[variable]]`` table declared ``is_secret = true`` without a ``value``
(the usual way to keep the value out of git) is read by Komodo as
``value = ""``. A ResourceSync applies Variables only with
``include_variables = true``; then the next sync overwrites the value an
operator typed in the UI with that empty string (FACTS §1.2, §2.3, §2.4), and
every ``[[NAME]]`` that uses it deploys empty. Pure: reads the collected
workspace only.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.secrets.model import Blanked
from komodo_guard.workspace.model import Resource, Workspace


def blanked_variables(workspace: Workspace) -> tuple[Blanked, ...]:
    """Every secret Variable without a value in a file a sync with
    ``include_variables = true`` applies."""
    return tuple(_blanked(workspace))


def _blanked(workspace: Workspace) -> Iterator[Blanked]:
    for variable in workspace.of_kind("variable"):
        if not _secret_without_value(variable) or not variable.name:
            continue
        syncs = tuple(
            scope.sync.name or scope.name
            for scope in workspace.scope_of(variable.file.path)
            if scope.sync is not None
            and scope.sync.config.get("include_variables") is True
        )
        if syncs:
            line, _ = variable.position()
            yield Blanked(variable.name, variable.file.path, line, syncs)


def _secret_without_value(variable: Resource) -> bool:
    value = variable.body.get("value", "")
    return variable.body.get("is_secret") is True and value == ""
