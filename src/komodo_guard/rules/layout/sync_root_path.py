"""A ResourceSync ``resource_path`` entry that names a whole root.

Each ``resource_path`` entry is joined to the sync's root and, when it is a
folder, walked recursively for ``.toml`` files. An entry of
``"."`` or ``""`` reads every ``.toml`` file of the repository, so any TOML
file added later (a tool's config, a test fixture) is parsed as Komodo
resources, and one that does not parse stops the whole sync. An entry of
``"/"`` is joined as an absolute path: Core walks its own root filesystem
(Komodo issue #999 reports the UI hanging on it).

Failing::

    [resource_sync.config]
    resource_path = ["/"]

Passing::

    [resource_sync.config]
    resource_path = ["komodo"]
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
from komodo_guard.rules.layout.paths import resource_paths
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per root-like ``resource_path`` entry of every sync."""
    for sync in workspace.of_kind("resource_sync"):
        for entry in resource_paths(sync):
            text = entry.path.strip()
            if text.strip("/") == "" and text:
                what = "Core's own root filesystem, walked for every .toml file"
            elif text.removeprefix("./").strip("/") in ("", "."):
                what = "the sync's whole root (the repository): every .toml file in it"
            else:
                continue
            yield rule.finding(
                f"{sync.label}: resource_path entry `{entry.path}` reads {what}",
                location=at_key(sync, *entry.keys, value=True),
                resource=ref(sync),
                hint="name the folder or files holding the resources, "
                'e.g. resource_path = ["komodo"]',
            )


RULE = RuleInfo(
    code="KG502",
    name="sync-root-path",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
