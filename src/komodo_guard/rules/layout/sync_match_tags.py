"""Resources a sync reads but never manages, because they lack its ``match_tags``.

A ResourceSync with ``match_tags`` keeps, at read time, only the declared
resources whose ``tags`` hold **every** match tag (a literal comparison of
tag names; FACTS §2.2). The others are dropped without a word: they are
neither created nor updated, and a change to them in git does nothing. The
sync's own ``[[resource_sync]]`` table, when its files declare it, is
filtered the same way. Variables and user groups are never filtered.

Reported once per resource, at its ``tags`` (or its ``name`` when it has no
tags); when more than five resources of one sync are dropped, once at the
sync's ``match_tags`` with their count and the first names.

Failing::

    [[resource_sync]]
    name = "prod"
    [resource_sync.config]
    resource_path = ["komodo"]
    match_tags = ["prod"]

    [[stack]]
    name = "app"            # no tags: the prod sync ignores it

Passing::

    [[stack]]
    name = "app"
    tags = ["prod"]
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.parsers import parse_string_list
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, SyncScope, Workspace

UNFILTERED = frozenset({"variable", "user_group"})
_LISTED = 5


def match_tags(sync: Resource) -> list[str]:
    """A sync's ``match_tags``, split the way Komodo splits a string-list."""
    value = sync.config.get("match_tags", [])
    if isinstance(value, str):
        return parse_string_list(value)
    if isinstance(value, list):
        return [tag for tag in value if isinstance(tag, str) and tag]
    return []


def reads_resources(sync: Resource) -> bool:
    """False when ``include_resources = false``: the sync skips every resource."""
    return sync.config.get("include_resources") is not False


def missing_tags(resource: Resource, wanted: list[str]) -> list[str]:
    """The match tags ``resource`` lacks (none for variables and user groups)."""
    if resource.kind in UNFILTERED:
        return []
    tags = resource.body.get("tags", [])
    have = (
        {tag for tag in tags if isinstance(tag, str)}
        if isinstance(tags, list)
        else set()
    )
    return [tag for tag in wanted if tag not in have]


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Per sync with ``match_tags``: the resources of its files it drops."""
    for scope in workspace.scopes:
        if scope.sync is None or not reads_resources(scope.sync):
            continue
        wanted = match_tags(scope.sync)
        if not wanted:
            continue
        dropped = [
            (resource, missing)
            for resource in _in_files(workspace, scope)
            if (missing := missing_tags(resource, wanted))
        ]
        if len(dropped) > _LISTED:
            yield _summary(rule, scope.sync, wanted, [r for r, _ in dropped])
            continue
        for resource, missing in dropped:
            yield _one(rule, scope.sync, resource, missing)


def _in_files(workspace: Workspace, scope: SyncScope) -> Iterator[Resource]:
    files = set(scope.files)
    return (r for r in workspace.resources if r.file.path in files)


def _tags_words(tags: list[str]) -> str:
    return ", ".join(f'"{tag}"' for tag in tags)


def _one(
    rule: RuleInfo, sync: Resource, resource: Resource, missing: list[str]
) -> Finding:
    itself = resource is sync or (
        resource.kind == "resource_sync" and resource.name == sync.name
    )
    what = "the sync itself" if itself else resource.label
    keys = ("tags",) if "tags" in resource.body else ("name",)
    return rule.finding(
        f"{what} lacks the tag(s) {_tags_words(missing)} that {sync.label} "
        "requires in match_tags, so that sync reads it but never creates or "
        "updates it",
        location=at_key(resource, *keys),
        resource=ref(resource),
        hint=f"add {_tags_words(missing)} to the `tags` of {resource.label}, or "
        f"declare it in a file {sync.label} does not read",
    )


def _summary(
    rule: RuleInfo, sync: Resource, wanted: list[str], dropped: list[Resource]
) -> Finding:
    names = ", ".join(r.label for r in dropped[:_LISTED])
    return rule.finding(
        f"{len(dropped)} resources in the files of {sync.label} lack one of its "
        f"match_tags ({_tags_words(wanted)}), so it never creates or updates "
        f"them: {names}, ...",
        location=at_key(sync, "config", "match_tags"),
        resource=ref(sync),
        hint="tag every resource the sync should manage with all of its "
        "match_tags, or move the others into files the sync does not read",
    )


RULE = RuleInfo(
    code="KG506",
    name="sync-match-tags",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
