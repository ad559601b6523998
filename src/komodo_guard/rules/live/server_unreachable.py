"""A server's Periphery agent does not answer Core, or the server is disabled.

Core lists a server ``NotOk`` when it cannot reach its Periphery agent
(FACTS §3.4, §10.2 L11): nothing on that server is deployed, polled or
monitored, and its stacks show ``unknown``, which the sync's deploy logic
skips (§2.5). The error Core recorded is quoted on its first line, without
URL credentials or query strings. A ``Disabled`` server is reported as info:
Core ignores it on purpose, yet resources placed on it do not run.

How long: since the oldest open ``ServerUnreachable`` alert of that server.

Failing: server ``attic`` ``NotOk`` with error "error sending request for
url (https://attic.lan:8120/)".

Passing: ``Ok``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.live.views import Server
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import about, lasting, located, moment, scrub

UNREACHABLE_ALERT = "ServerUnreachable"


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per unreachable or disabled server."""
    snapshot = facts.snapshot
    if snapshot.names("server") is None:
        return
    for server in snapshot.servers:
        where = located(facts, "server", server.name)
        if server.state == "NotOk":
            since = _since(snapshot, server)
            error = f": {scrub(server.error)}" if server.error.strip() else ""
            yield rule.finding(
                f"server {server.name!r} is unreachable{lasting(facts.now, since)}"
                f"{error}; nothing on it is deployed or monitored",
                resource=about("server", server.name),
                location=where,
                hint="check that Periphery runs on the host, that the server's "
                "address and port are right, and that keys or passkeys match",
                since=since,
            )
        elif server.state == "Disabled":
            yield rule.finding(
                f"server {server.name!r} is disabled; the stacks and deployments "
                "placed on it do not run",
                resource=about("server", server.name),
                location=where,
                hint="enable it (`enabled = true`) or move its resources elsewhere",
                severity=Severity.INFO,
            )


def _since(snapshot: LiveSnapshot, server: Server) -> datetime | None:
    raised = [
        alert.ts
        for alert in snapshot.open_alerts
        if alert.kind == UNREACHABLE_ALERT and alert.target.id == server.id
    ]
    return moment(min(raised)) if raised else None


RULE = LiveRuleInfo(
    code="KG1013",
    name="server-unreachable",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
