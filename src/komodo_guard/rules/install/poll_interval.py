"""Core's resource poll interval: invalid (start-up panic) or left at one hour.

Core refreshes Stacks, Repos, Builds and ResourceSyncs (their latest commit,
their pending changes) every ``KOMODO_RESOURCE_POLL_INTERVAL``
(``resource_poll_interval``). The value must be one of Komodo's time lengths:
``1-sec``, ``5-sec``, ``10-sec``, ``15-sec``, ``30-sec``, ``1-min``, ``2-min``,
``5-min``, ``10-min``, ``15-min``, ``30-min``, ``1-hr``, ``2-hr``, ``6-hr``,
``8-hr``, ``12-hr``, ``1-day``, ``3-day``, ``1-wk``, ``2-wk``, ``30-day``
(from 2.3.1 also ``2-sec``, ``3-sec``, ``3-min``, ``3-hr``, ``2-day``).
Anything else (``5m``, ``5 min``, ``300``) stops Core at start-up with a
panic, so the whole UI and every webhook are down.

Left unset, the interval is ``1-hr``: without webhooks from the git provider,
a push can sit unseen for up to an hour and the sync shows nothing pending.

Severity: error for an invalid value (not shown in the message: whatever was
written there stays out of reports); info when a Core service in the tree does
not set it.

Failing::

    KOMODO_RESOURCE_POLL_INTERVAL=5m

Passing::

    KOMODO_RESOURCE_POLL_INTERVAL=5-min
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.rules.install.common import at, cores, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace

TIMELENGTHS = (
    *("1-sec", "5-sec", "10-sec", "15-sec", "30-sec"),
    *("1-min", "2-min", "5-min", "10-min", "15-min", "30-min"),
    *("1-hr", "2-hr", "6-hr", "8-hr", "12-hr"),
    *("1-day", "3-day", "1-wk", "2-wk", "30-day"),
)
ADDED_2_3_1 = ("2-sec", "3-sec", "3-min", "3-hr", "2-day")
SINCE_2_3_1 = KomodoVersion(2, 3, 1)


def accepted(version: KomodoVersion) -> frozenset[str]:
    """The time lengths Core of ``version`` accepts."""
    extra = ADDED_2_3_1 if version >= SINCE_2_3_1 else ()
    return frozenset((*TIMELENGTHS, *extra))


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Invalid values anywhere; unset on a complete Core service."""
    valid = accepted(workspace.model.version)
    found: list[Finding] = []
    for core in cores(workspace):
        setting = core.settings.get("resource_poll_interval")
        if setting is None:
            if core.complete:
                found.append(_unset(rule, core.label, at(core.place)))
        elif setting.value is not None and setting.value.strip() not in valid:
            found.append(
                rule.finding(
                    f"{where(setting)} is not a time length Core accepts: Core "
                    "panics at start-up",
                    location=at(setting.origin),
                    hint="use a value such as 1-min, 5-min, 15-min or 1-hr",
                )
            )
    yield from once(found)


def _unset(rule: RuleInfo, label: str, location: Location) -> Finding:
    return rule.finding(
        f"{label} does not set KOMODO_RESOURCE_POLL_INTERVAL, so Core checks git "
        "every hour (`1-hr`): without webhooks a push can sit unseen for up to "
        "an hour",
        location=location,
        severity=Severity.INFO,
        hint=(
            "set up webhooks for the syncs and stacks, or set "
            "KOMODO_RESOURCE_POLL_INTERVAL=5-min"
        ),
    )


RULE = RuleInfo(
    code="KG904",
    name="resource-poll-interval",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
