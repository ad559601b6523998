"""Core lets its web UI change resources that a ResourceSync manages from git.

With ``KOMODO_UI_WRITE_DISABLED`` not ``true`` (the default), anyone with
write access can edit a Stack or Procedure in the UI; the change is live at
once, git still says otherwise, and the next sync either reverts it or shows
it as pending until someone notices. Setting it to ``true`` makes the UI
read-only, which suits a tree where git is the source of truth.

It only guards the UI: Core's ``/write`` API does not check it, so API keys,
the ``km`` CLI and scripts can still change everything. It is a guard against
accidental edits, not a security boundary.

Severity: info, for a Core service in the tree that does not set it and for
any source that sets it to ``false``.

Failing (``compose.env``)::

    KOMODO_UI_WRITE_DISABLED=false

Passing::

    KOMODO_UI_WRITE_DISABLED=true
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.install.common import at, cores, flag, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace

HINT = (
    "set KOMODO_UI_WRITE_DISABLED=true so changes go through git; it only "
    "guards the UI, not the API (API keys and the CLI can still write)"
)


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Explicit ``false`` anywhere; unset on a complete Core service."""
    found: list[Finding] = []
    for core in cores(workspace):
        setting = core.settings.get("ui_write_disabled")
        if setting is not None and flag(setting) is False:
            found.append(
                rule.finding(
                    f"{where(setting)} is `false`: the UI can change resources "
                    "that git manages, and the change drifts from git",
                    location=at(setting.origin),
                    hint=HINT,
                )
            )
        elif setting is None and core.complete:
            found.append(
                rule.finding(
                    f"{core.label} does not set KOMODO_UI_WRITE_DISABLED: the UI "
                    "can change resources that git manages, and the change "
                    "drifts from git",
                    location=at(core.place),
                    hint=HINT,
                )
            )
    yield from once(found)


RULE = RuleInfo(
    code="KG902",
    name="ui-write-enabled",
    severity=Severity.INFO,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
