"""ui-write-not-enforced: ui_write_disabled is only a UI guard."""

from __future__ import annotations

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.ui_write_not_enforced import RULE
from tests.rules.live.livekit import core, run, snapshot


def test_ui_write_disabled_is_info() -> None:
    (finding,) = run(RULE, snapshot(core=core(ui_write_disabled=True)))
    assert finding.severity is Severity.INFO
    assert "API keys and the km CLI can still change" in finding.message


def test_passing_disabled_and_unread() -> None:
    assert run(RULE, snapshot()) == []
    assert run(RULE, snapshot(core=None)) == []
    on = snapshot(core=core(ui_write_disabled=True))
    assert run(RULE, on, disabled=["ui-write-not-enforced"]) == []
