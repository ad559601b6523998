"""version-skew: Periphery against Core releases."""

from __future__ import annotations

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.version_skew import RULE
from tests.rules.live.livekit import run, server, snapshot, unread


def test_minor_is_error_patch_is_warning() -> None:
    snap = snapshot(
        servers=[
            server("porch", version="2.1.0"),
            server("attic", version="v2.3.1"),
            server("hearth", version="2.3.2"),
            server("gone", "NotOk", version=""),
        ]
    )
    found = run(RULE, snap)
    assert [(f.message, f.severity) for f in found] == [
        (
            "server 'attic' runs Periphery v2.3.1 while Core runs 2.3.2",
            Severity.WARNING,
        ),
        (
            "server 'porch' runs Periphery 2.1.0 while Core runs 2.3.2; they may "
            "not understand each other",
            Severity.ERROR,
        ),
    ]


def test_passing_disabled_and_unread() -> None:
    old = [server("porch", version="1.19.5")]
    assert run(RULE, snapshot(servers=[server("a")])) == []
    assert run(RULE, snapshot(servers=old, version="")) == []
    assert run(RULE, snapshot(servers=old), disabled=[RULE.code]) == []
    assert run(RULE, snapshot(servers=old, incomplete=unread("ListServers"))) == []
