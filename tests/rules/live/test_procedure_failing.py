"""procedure-failing: failed procedures and actions, schedule errors."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.procedure_failing import RULE
from tests.rules.live.livekit import (
    failed_log,
    messages,
    run,
    runnable,
    snapshot,
    target,
    unread,
    update,
)

DAY = timedelta(days=1)


def test_failing_procedure_since_first_failure() -> None:
    nightly = target("procedure", "nightly")
    snap = snapshot(
        procedures=[runnable("procedure", "nightly", "Failed")],
        updates=[
            update("RunProcedure", nightly, 4 * DAY),
            update("RunProcedure", nightly, 3 * DAY, success=False),
            update(
                "RunProcedure",
                nightly,
                2 * DAY,
                success=False,
                logs=[failed_log("Stage 2")],
            ),
        ],
    )
    assert messages(run(RULE, snap)) == [
        "procedure 'nightly' is failing for 3 days (last failed at stage `Stage "
        "2`); the work it does on schedule or on demand is not happening"
    ]


def test_schedule_error_of_an_action() -> None:
    snap = snapshot(
        actions=[runnable("action", "rotate-logs", schedule_error="invalid cron")]
    )
    (finding,) = run(RULE, snap)
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "action 'rotate-logs' has a schedule Komodo cannot use: invalid cron; it "
        "never runs on its own"
    )


def test_passing_disabled_and_unread() -> None:
    failed = [runnable("procedure", "nightly", "Failed")]
    assert run(RULE, snapshot(procedures=[runnable("procedure", "nightly")])) == []
    assert run(RULE, snapshot(procedures=failed), disabled=[RULE.code]) == []
    assert (
        run(RULE, snapshot(procedures=failed, incomplete=unread("ListProcedures")))
        == []
    )
