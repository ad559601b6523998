"""open-alert: unresolved alerts grouped per type and resource."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.open_alert import RULE
from tests.rules.live.livekit import (
    alert,
    run,
    server,
    snapshot,
    target,
    unread,
)

DAY = timedelta(days=1)
ATTIC = target("server", "attic")


def test_grouped_with_level_and_age() -> None:
    snap = snapshot(
        servers=[server("attic")],
        alerts=[
            alert("ServerDisk", ATTIC, 2 * DAY, level="CRITICAL"),
            alert("ServerDisk", ATTIC, DAY),
            alert("ServerMem", ATTIC, timedelta(hours=5)),
            alert("ServerCpu", ATTIC, DAY, resolved=True),
            alert("ServerUnreachable", ATTIC, DAY, level="CRITICAL"),
            alert("ServerVersionMismatch", target("System", ""), DAY),
        ],
    )
    found = run(RULE, snap)
    assert [(f.message, f.severity) for f in found] == [
        (
            "Komodo Core has an open ServerVersionMismatch alert for 1 day",
            Severity.INFO,
        ),
        (
            "server 'attic' has an open ServerDisk alert (2 alerts) for 2 days, "
            "level CRITICAL",
            Severity.WARNING,
        ),
        ("server 'attic' has an open ServerMem alert for 5 hours", Severity.INFO),
    ]


def test_passing_disabled_and_unread() -> None:
    snap = snapshot(alerts=[alert("ServerDisk", ATTIC, DAY)])
    assert run(RULE, snapshot()) == []
    assert run(RULE, snap, disabled=[RULE.code]) == []
    cut = snapshot(
        alerts=[alert("ServerDisk", ATTIC, DAY)], incomplete=unread("ListAlerts")
    )
    assert run(RULE, cut) == []
