"""A ResourceSync declared in the files it reads itself: it manages itself.

While a sync runs it holds its own busy lock, and Komodo refuses to update or
delete a busy resource (``resource/mod.rs``; FACTS §2.4, Komodo issue #676).
So when a commit changes the sync's own ``[[resource_sync]]`` table (its
``resource_path``, ``match_tags``, ``delete``, ...), its run fails with
"ERROR: failed to update config on ResourceSync ... | ResourceSync busy" and
the sync stays Pending: the change can never be applied from git.

The usual fixes: declare the sync in a file it does not read (applied by
another sync, or create it in the UI), or never change its table in git
(edit it in the UI first, then write the same values to git). With
``delete`` or ``managed`` on, a git sync that its files do not declare tries
to delete itself, which fails the same way: keep it declared, or leave it out
of its own scope with ``match_tags`` it does not carry.

Not reported when the sync's ``match_tags`` filter its own table out, or when
``include_resources = false``.

Failing (``komodo/sync.toml`` holds this table)::

    [[resource_sync]]
    name = "homelab"
    [resource_sync.config]
    resource_path = ["komodo"]

Passing (the sync reads only the stack files)::

    [resource_sync.config]
    resource_path = ["komodo/stacks"]
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.layout.sync_match_tags import (
    match_tags,
    missing_tags,
    reads_resources,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, SyncScope, Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per declaration of a sync inside the files it reads."""
    reported: set[tuple[str, tuple[str | int, ...]]] = set()
    for scope in workspace.scopes:
        sync = scope.sync
        if sync is None or not sync.name or not reads_resources(sync):
            continue
        for declared in _self_declarations(workspace, scope, sync):
            where = (declared.file.path, declared.path)
            if where not in reported:
                reported.add(where)
                yield _finding(rule, sync, declared)


def _self_declarations(
    workspace: Workspace, scope: SyncScope, sync: Resource
) -> Iterator[Resource]:
    files = set(scope.files)
    wanted = match_tags(sync)
    for declared in workspace.of_kind("resource_sync"):
        if (
            declared.name == sync.name
            and declared.file.path in files
            and not missing_tags(declared, wanted)
        ):
            yield declared


def _finding(rule: RuleInfo, sync: Resource, declared: Resource) -> Finding:
    deletes = any(sync.config.get(key) is True for key in ("delete", "managed"))
    hint = (
        "declare the sync in a file it does not read (applied by another sync, "
        "or create it in the UI), or never change its table in git: edit it "
        "in the UI first, then write the same values here"
    )
    if deletes:
        hint += (
            "; with delete or managed on it must stay declared (it would try "
            "to delete itself), so keep it unchanged or exclude it with "
            "match_tags it does not carry"
        )
    return rule.finding(
        f"{sync.label} reads {declared.file.path}, which declares it: a commit "
        'that changes this table makes its own run fail with "ResourceSync '
        'busy" (Komodo cannot update a sync while it runs), and the sync stays '
        "Pending",
        location=at_key(declared, "name"),
        resource=ref(sync),
        hint=hint,
    )


RULE = RuleInfo(
    code="KG505",
    name="sync-manages-itself",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
