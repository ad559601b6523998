"""Komodo Core has alerts that are still open.

Core opens an alert when something crosses a line (a disk over its
threshold, a server version mismatch, a swarm unhealthy) and resolves it
when the condition ends (FACTS §7.2, §10.2 L11). Alerts still open are
problems Core knows about right now; if no alerter sends them they are seen
only in the UI. One finding per alert type and resource: a warning for
``CRITICAL``, info otherwise. Unreachable servers and pending syncs have
their own rules (``server-unreachable``, ``sync-pending``) and are left
out here.

How long: since the oldest open alert of that type and resource.

Failing: an open ``ServerDisk`` alert of level ``CRITICAL`` on ``attic``
raised 2 days ago.

Passing: no unresolved alerts.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.live.views import Alert
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import (
    label,
    lasting,
    located,
    moment,
    plural,
)

LEFT_TO_OTHERS = frozenset({"ServerUnreachable", "ResourceSyncPendingUpdates"})


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per open alert type and resource."""
    snapshot = facts.snapshot
    if snapshot.could_not_read("ListAlerts"):
        return
    grouped: dict[tuple[str, str, str], list[Alert]] = {}
    for alert in snapshot.open_alerts:
        if alert.kind not in LEFT_TO_OTHERS:
            key = (alert.kind, alert.target.kind, alert.target.id)
            grouped.setdefault(key, []).append(alert)
    for (kind, _, _), alerts in sorted(grouped.items()):
        name, resource = label(snapshot, alerts[0].target)
        since = moment(min(alert.ts for alert in alerts))
        critical = any(alert.level == "CRITICAL" for alert in alerts)
        count = f" ({plural(len(alerts), 'alert')})" if len(alerts) > 1 else ""
        yield rule.finding(
            f"{name} has an open {kind} alert{count}"
            f"{lasting(facts.now, since)}"
            f"{', level CRITICAL' if critical else ''}",
            resource=resource,
            location=located(facts, resource.kind, resource.name) if resource else None,
            hint="look at the alert in Komodo's Alerts page and fix its cause; "
            "Core resolves it by itself once the condition ends",
            severity=Severity.WARNING if critical else Severity.INFO,
            since=since,
        )


RULE = LiveRuleInfo(
    code="KG1020",
    name="open-alert",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
