"""ui-defined-stack: compose files kept in Core's database."""

from __future__ import annotations

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.ui_defined_stack import RULE
from tests.rules.live.livekit import run, snapshot, stack, unread


def test_ui_stack_is_info() -> None:
    (finding,) = run(RULE, snapshot(stacks=[stack("scratch", file_contents=True)]))
    assert finding.severity is Severity.INFO
    assert finding.message.startswith(
        "stack 'scratch' keeps its compose file in Komodo's database"
    )


def test_passing_disabled_and_unread() -> None:
    ui = snapshot(stacks=[stack("scratch", file_contents=True)])
    assert run(RULE, snapshot(stacks=[stack("web")])) == []
    assert run(RULE, ui, disabled=[RULE.code]) == []
    cut = snapshot(
        stacks=[stack("scratch", file_contents=True)], incomplete=unread("ListStacks")
    )
    assert run(RULE, cut) == []
