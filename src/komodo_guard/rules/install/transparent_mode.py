"""Core's transparent mode lets every user read every resource's config.

With ``KOMODO_TRANSPARENT_MODE=true`` every enabled user gets Read on all
resources. Read returns the raw config, so a read-only user sees every
Stack's ``webhook_secret``, every Alerter's URL (often with a token in it),
Server passkeys and environment values written in plain text.

Severity: warning, on the line that turns it on.

Failing::

    KOMODO_TRANSPARENT_MODE=true

Passing::

    KOMODO_TRANSPARENT_MODE=false
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


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per source that turns transparent mode on."""
    found = []
    for core in cores(workspace):
        setting = core.settings.get("transparent_mode")
        if setting is not None and flag(setting) is True:
            found.append(
                rule.finding(
                    f"{where(setting)} turns on transparent mode: every user can "
                    "read every webhook secret, alerter URL and plain-text "
                    "environment value",
                    location=at(setting.origin),
                    hint=(
                        "set it to false and grant Read through user groups "
                        "to the resources each group needs"
                    ),
                )
            )
    yield from once(found)


RULE = RuleInfo(
    code="KG907",
    name="transparent-mode",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
