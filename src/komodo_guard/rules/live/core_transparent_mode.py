"""Core runs in transparent mode: every user can read every resource's configuration.

With ``transparent_mode`` on, every logged-in user may read all resources,
and the full views (``Get*``, ``ListFull*``) return configuration as stored
(FACTS §10.2 L16): per-resource ``webhook_secret`` values, alerter URLs with
their tokens and server passkeys become readable by anyone with an account.
This reads it from Core itself (``GetCoreInfo``); ``transparent-mode``
(KG907) checks Core's configuration files.

Failing: ``KOMODO_TRANSPARENT_MODE=true`` on a Core with more than one user.

Passing: transparent mode off; read access granted per resource or group.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding when Core reports transparent mode."""
    core = facts.snapshot.core
    if core is not None and core.transparent_mode:
        yield rule.finding(
            "Komodo Core runs in transparent mode: every user can read every "
            "resource's stored configuration, including webhook secrets, "
            "alerter URLs and server passkeys",
            hint="set KOMODO_TRANSPARENT_MODE=false and grant read access through "
            "user groups; rotate secrets other users may have read",
        )


RULE = LiveRuleInfo(
    code="KG1017",
    name="core-transparent-mode",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
