"""A Stack or ResourceSync with two sources of files: all but one are ignored.

Komodo takes a Stack's compose files, or a sync's resource files, from one
source, in this order (``bin/periphery/src/stack/write.rs``,
``bin/core/src/sync/remote.rs``; FACTS §2.1, S24): ``files_on_host = true``,
then ``linked_repo``, then ``repo``, then the UI-defined ``file_contents``.
Whatever comes after the first one set is silently ignored: ``file_contents``
next to a repo is never deployed, and a ``repo`` next to
``files_on_host = true`` is never cloned. (``repo`` next to ``linked_repo``
is reported by KG211.)

Reported once per resource, at the first ignored key.

Failing::

    [stack.config]
    files_on_host = true
    repo = "owner/homelab"

Passing::

    [stack.config]
    files_on_host = true
    run_directory = "/opt/stacks/app"
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
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

_KINDS = ("stack", "resource_sync")
# Komodo's order of precedence; the first source set wins.
_SOURCES = ("files_on_host", "linked_repo", "repo", "file_contents")
_WORDS = {
    "files_on_host": "files_on_host = true",
    "linked_repo": "linked_repo",
    "repo": "repo",
    "file_contents": "file_contents",
}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per resource whose lower-priority sources are dead."""
    for resource in workspace.resources:
        if resource.kind not in _KINDS:
            continue
        present = [key for key in _SOURCES if _is_set(resource, key)]
        if len(present) < 2:
            continue
        winner, dead = present[0], present[1:]
        if winner == "linked_repo":
            dead = [key for key in dead if key != "repo"]
        if dead:
            yield _finding(rule, resource, winner, dead)


def _is_set(resource: Resource, key: str) -> bool:
    value = resource.config.get(key)
    if key == "files_on_host":
        return value is True
    return isinstance(value, str) and bool(value.strip())


def _finding(
    rule: RuleInfo, resource: Resource, winner: str, dead: list[str]
) -> Finding:
    keys = ", ".join(f"`{key}`" for key in dead)
    verb = "is" if len(dead) == 1 else "are"
    return rule.finding(
        f"{resource.label} sets {_WORDS[winner]}, so its {keys} {verb} ignored "
        "(Komodo uses one source: files_on_host, then linked_repo, then repo, "
        "then file_contents)",
        location=at_key(resource, "config", dead[0]),
        resource=ref(resource),
        hint=f"remove {keys}, or remove `{winner}` if the other source is the "
        "one meant",
    )


RULE = RuleInfo(
    code="KG213",
    name="source-overridden",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
