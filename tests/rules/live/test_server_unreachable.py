"""server-unreachable: NotOk and Disabled servers."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.server_unreachable import RULE
from tests.rules.live.livekit import (
    alert,
    messages,
    run,
    server,
    snapshot,
    target,
    unread,
)

DAY = timedelta(days=1)


def test_unreachable_since_the_oldest_open_alert() -> None:
    attic = target("server", "attic")
    snap = snapshot(
        servers=[
            server(
                "attic",
                "NotOk",
                error="error sending request for url "
                "(https://periphery:p4ssk3y@attic.lan:8120/?key=abc)\ncaused by...",
            )
        ],
        alerts=[
            alert("ServerUnreachable", attic, 2 * DAY, level="CRITICAL"),
            alert("ServerUnreachable", attic, DAY, level="CRITICAL"),
            alert("ServerUnreachable", attic, 9 * DAY, resolved=True),
        ],
    )
    (finding,) = run(RULE, snap)
    assert finding.message == (
        "server 'attic' is unreachable for 2 days: error sending request for url "
        "(https://***@attic.lan:8120/?…; nothing on it is deployed or monitored"
    )
    assert "p4ssk3y" not in finding.message
    assert "abc" not in finding.message


def test_disabled_is_info() -> None:
    (finding,) = run(RULE, snapshot(servers=[server("old", "Disabled")]))
    assert finding.severity is Severity.INFO


def test_passing_disabled_and_unread() -> None:
    down = [server("attic", "NotOk")]
    assert run(RULE, snapshot(servers=[server("attic")])) == []
    assert messages(run(RULE, snapshot(servers=down))) == [
        "server 'attic' is unreachable; nothing on it is deployed or monitored"
    ]
    assert run(RULE, snapshot(servers=down), disabled=[RULE.code]) == []
    assert run(RULE, snapshot(servers=down, incomplete=unread("ListServers"))) == []
