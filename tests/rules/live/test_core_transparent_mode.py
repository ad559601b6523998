"""core-transparent-mode: Core reports transparent mode on."""

from __future__ import annotations

from komodo_guard.rules.interface import FailureClass
from komodo_guard.rules.live.core_transparent_mode import RULE
from tests.rules.live.livekit import core, run, snapshot


def test_transparent_mode() -> None:
    (finding,) = run(RULE, snapshot(core=core(transparent_mode=True)))
    assert finding.failure_class is FailureClass.EXPOSURE
    assert finding.message.startswith("Komodo Core runs in transparent mode")


def test_passing_disabled_and_unread() -> None:
    assert run(RULE, snapshot()) == []
    assert run(RULE, snapshot(core=None)) == []
    on = snapshot(core=core(transparent_mode=True))
    assert run(RULE, on, disabled=[RULE.code]) == []
