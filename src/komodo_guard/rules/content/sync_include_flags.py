"""A sync reads ``[[variable]]`` or ``[[user_group]]`` tables it never applies.

A ResourceSync applies Variables only with ``include_variables = true`` and user
groups only with ``include_user_groups = true``; both default to false (FACTS
§2.3). Without the flag the tables in its files are read and silently ignored:
the Variables are never created or updated, so every ``[[NAME]]`` that relies on
them stays literal text in the deployed environment.

The finding sits on the ``resource_path`` entry that selects the file holding
the tables (or on the sync's config when no entry can be matched) and names
every file and line of the ignored tables.

Failing::

    [[resource_sync]]
    name = "infra"
    [resource_sync.config]
    resource_path = ["komodo/variables.toml"]   # holds [[variable]] tables

Passing::

    [resource_sync.config]
    resource_path = ["komodo/variables.toml"]
    include_variables = true

Careful: with ``delete = true`` or ``managed = true`` an included type is fully
managed, so Variables (or user groups) that exist only in the UI are deleted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, SyncScope, Workspace

_FLAGS = (("variable", "include_variables"), ("user_group", "include_user_groups"))


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per sync, ignored table kind and matching resource_path entry."""
    for scope in workspace.scopes:
        sync = scope.sync
        if sync is None:
            continue
        for kind, flag in _FLAGS:
            if sync.config.get(flag) is True:
                continue
            tables = [r for r in workspace.of_kind(kind) if r.file.path in scope.files]
            if tables:
                yield from _report(rule, sync, scope, kind, flag, tables)


def _report(
    rule: RuleInfo,
    sync: Resource,
    scope: SyncScope,
    kind: str,
    flag: str,
    tables: Sequence[Resource],
) -> Iterator[Finding]:
    for location, selected in _by_entry(sync, tables):
        yield rule.finding(
            f"resource_sync {scope.name!r} reads {_listing(kind, selected)} but does "
            f"not set `{flag} = true`, so Komodo never applies them",
            location=location,
            resource=ref(sync),
            hint=f"add `{flag} = true` to [resource_sync.config]; with delete or "
            f"managed on, {kind} entries that exist only in the UI are then deleted",
        )


def _by_entry(
    sync: Resource, tables: Sequence[Resource]
) -> list[tuple[Location, list[Resource]]]:
    """Tables grouped under the ``resource_path`` array entry that selects them;
    tables no entry matches are grouped at the sync's config."""
    entries = sync.config.get("resource_path")
    groups: list[tuple[Location, list[Resource]]] = []
    unclaimed = list(tables)
    if not isinstance(entries, list):
        entries = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, str):
            continue
        selected = [t for t in unclaimed if _selects(entry, t.file.path)]
        unclaimed = [t for t in unclaimed if not _selects(entry, t.file.path)]
        if selected:
            location = at_key(sync, "config", "resource_path", index, value=True)
            groups.append((location, selected))
    if unclaimed:
        groups.append((at_key(sync, "config"), unclaimed))
    return groups


def _selects(entry: str, path: str) -> bool:
    clean = entry.strip().removeprefix("./").strip("/")
    return clean in ("", ".") or path == clean or path.startswith(clean + "/")


def _listing(kind: str, tables: Sequence[Resource]) -> str:
    places = ", ".join(
        f"{table.file.path}:{table.position()[0]}" for table in tables[:5]
    )
    more = f" and {len(tables) - 5} more" if len(tables) > 5 else ""
    noun = "table" if len(tables) == 1 else "tables"
    return f"{len(tables)} [[{kind}]] {noun} ({places}{more})"


RULE = RuleInfo(
    code="KG501",
    name="sync-include-flags",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
