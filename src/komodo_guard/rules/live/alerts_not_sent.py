"""Komodo Core sends no alert when deploys fail, syncs wait or servers go away.

Core only tells anyone through an enabled Alerter subscribed to the alert's
type (FACTS §7.1, §10.2 L13). With none enabled (an error) every failure is
silent; an enabled set that leaves out ``ServerUnreachable``,
``StackStateChange``, ``ResourceSyncPendingUpdates``, ``ProcedureFailed`` or
``ActionFailed`` (each needed only when Core holds servers, stacks, syncs,
procedures or actions) misses those failures (a warning). An empty
``alert_types`` means every type. An alerter whose ``resources`` or
``except_resources`` list holds names instead of 24-character ids matches
nothing (FACTS §7.3): a warning per alerter. Alerter URLs are never read
into the snapshot, so no finding can show one.

Failing: the only alerter ``discord`` is disabled; or ``ntfy`` is enabled
with ``alert_types = ["ServerUnreachable"]`` while Core holds stacks.

Passing: ``ntfy`` enabled with an empty ``alert_types``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from komodo_guard.live.views import Alerter
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import about, listing, located

# Alert type -> the snapshot list whose resources raise it.
NEEDED = (
    ("ServerUnreachable", "servers"),
    ("StackStateChange", "stacks"),
    ("ResourceSyncPendingUpdates", "syncs"),
    ("ProcedureFailed", "procedures"),
    ("ActionFailed", "actions"),
)
_OBJECT_ID = re.compile(r"[0-9a-f]{24}")


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """At most one finding for coverage, one per alerter with name whitelists."""
    snapshot = facts.snapshot
    if snapshot.names("alerter") is None:
        return
    enabled = [alerter for alerter in snapshot.alerters if alerter.enabled]
    if not enabled:
        yield rule.finding(
            f"no alerter is enabled in Komodo Core ({_count(snapshot.alerters)}): "
            "failed deploys, pending syncs and unreachable servers notify nobody",
            hint="enable an alerter (`enabled = true` in [alerter.config]) with "
            "an empty alert_types, and send a Test alert",
        )
    else:
        missing = _missing(facts, enabled)
        if missing:
            yield rule.finding(
                f"no enabled alerter sends {listing(missing, 10)}: those failures "
                f"notify nobody (enabled: {listing(sorted(a.name for a in enabled))})",
                hint="add these types to an enabled alerter's alert_types, or "
                "empty the list to send every type",
                severity=Severity.WARNING,
            )
    for alerter in snapshot.alerters:
        yield from _by_name(rule, facts, alerter)


def _count(alerters: tuple[Alerter, ...]) -> str:
    if not alerters:
        return "there are none"
    return f"{listing(sorted(a.name for a in alerters))} disabled"


def _missing(facts: LiveFacts, enabled: list[Alerter]) -> list[str]:
    if any(not alerter.alert_types for alerter in enabled):
        return []
    sent = {kind for alerter in enabled for kind in alerter.alert_types}
    return [
        kind
        for kind, field in NEEDED
        if kind not in sent and getattr(facts.snapshot, field)
    ]


def _by_name(
    rule: LiveRuleInfo, facts: LiveFacts, alerter: Alerter
) -> Iterator[Finding]:
    names = sorted(
        {
            target.id
            for target in (*alerter.resources, *alerter.except_resources)
            if not _OBJECT_ID.fullmatch(target.id)
        }
    )
    if names:
        yield rule.finding(
            f"alerter {alerter.name!r} filters resources by {listing(names)}, "
            "which are not resource ids: Komodo matches ids only, so the filter "
            "never matches",
            resource=about("alerter", alerter.name),
            location=located(facts, "alerter", alerter.name),
            hint="use the resources' 24-character ids in resources and "
            "except_resources, or pick them in Komodo's UI",
            severity=Severity.WARNING,
        )


RULE = LiveRuleInfo(
    code="KG1015",
    name="alerts-not-sent",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
